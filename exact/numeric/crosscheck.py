"""The cross-check harness: run the float twin of an exact claim and report the agreement.

Every claim registered in :mod:`exact.claims` is decided exactly; its *float twin* (registered
with :func:`exact.claims.crosscheck`) repeats the computation independently in floats and
returns a :class:`~exact.claims.CrossCheck`: whether it agrees, its residual and the tolerance
the residual was held to. :func:`crosscheck` runs one twin, for a claim name or for a
:class:`~exact.claims.Verdict` (whose exact result is then reported beside the float one);
:func:`crosscheck_all` runs them all; :func:`missing_crosschecks` lists the claims that have
neither a twin nor a stated reason for having none (:func:`exact.claims.no_crosscheck`).

The float side never decides a claim: a disagreement flags a bug in one of the two routes.
"""

import time
from dataclasses import dataclass

__all__ = ["CrossCheckReport", "crosscheck", "crosscheck_all", "missing_crosschecks"]


@dataclass(frozen=True)
class CrossCheckReport:
    """The float twin of one claim, run: its agreement, residual and tolerance, and the exact side.

    Attributes
    ----------
    claim : str
    exact_holds : bool or None
        The exact verdict, when a :class:`~exact.claims.Verdict` was given (``None`` otherwise).
    has_twin : bool
        Whether the claim has a float twin; without one, ``agrees`` is ``None`` and ``detail``
        says why (the reason given to :func:`~exact.claims.no_crosscheck`, if any).
    agrees : bool or None
    residual : float or None
    tolerance : float or None
        The bound the twin compared ``residual`` with, when it states one.
    detail : str
    seconds : float
        Wall time of the float twin.
    """

    claim: str
    exact_holds: object
    has_twin: bool
    agrees: object
    residual: object
    tolerance: object
    detail: str
    seconds: float

    @property
    def consistent(self):
        """Whether exact and float sides agree: the twin agrees and (if known) the claim holds."""
        return bool(self.agrees) and self.exact_holds is not False


def crosscheck(verdict_or_name):
    """Run the float twin of a claim and return a :class:`CrossCheckReport`.

    Parameters
    ----------
    verdict_or_name : str or Verdict
        A registered claim's name, or the :class:`~exact.claims.Verdict` of an exact run
        (``run_claim(name, crosscheck=False)``), whose ``holds`` is reported as ``exact_holds``.

    Returns
    -------
    CrossCheckReport

    Raises
    ------
    KeyError
        If no claim has that name.

    Examples
    --------
    >>> from exact.claims import run_claim
    >>> rep = crosscheck(run_claim("relaxation.orthonormal_partition", crosscheck=False))
    >>> rep.exact_holds, rep.agrees, rep.residual <= rep.tolerance
    (True, True, True)
    >>> crosscheck("no.such.claim")
    Traceback (most recent call last):
    ...
    KeyError: "no claim named 'no.such.claim'; `reluscape verify --list` lists them"
    """
    from ..claims import Verdict

    if isinstance(verdict_or_name, Verdict):
        name, exact = verdict_or_name.claim, verdict_or_name.holds
    else:
        name, exact = verdict_or_name, None
    entry = _registry(include_slow=True).get(name)
    if entry is None:
        raise KeyError(f"no claim named {name!r}; `reluscape verify --list` lists them")
    if entry.crosscheck is None:
        return CrossCheckReport(name, exact, False, None, None, None, "no float twin registered", 0.0)
    t0 = time.perf_counter()
    out = entry.crosscheck()
    seconds = time.perf_counter() - t0
    if out.agrees is None:  # no_crosscheck: a stated reason, nothing computed
        return CrossCheckReport(name, exact, False, None, None, None, out.detail, seconds)
    return CrossCheckReport(name, exact, True, bool(out.agrees), out.residual, out.tolerance, out.detail, seconds)


def crosscheck_all(*, include_slow=False):
    """Run every registered float twin (in ``reluscape verify`` order); a list of :class:`CrossCheckReport`."""
    return [crosscheck(name) for name in _registry(include_slow=include_slow)]


def missing_crosschecks(*, include_slow=True):
    """The names of the registered claims with no float twin and no stated reason (``verify`` order).

    Examples
    --------
    >>> "relaxation.restriction_bound" in missing_crosschecks()
    False
    """
    return [name for name, entry in _registry(include_slow=include_slow).items() if entry.crosscheck is None]


def _registry(*, include_slow):
    from ..claims import all_claims

    return {c.name: c for c in all_claims(include_slow=include_slow)}
