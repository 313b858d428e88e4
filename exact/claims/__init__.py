"""The registry of claims: theorem -> exact check -> verdict, with a float cross-check.

A *claim* is a statement from ``math/`` (its reference names the section), checked on a
built-in instance by an exact function that returns whether it holds, a JSON certificate the
trusted checker (:mod:`exact.checker`) re-verifies, and a float cross-check computed
independently by :mod:`exact.numeric`. ``reluscape verify`` runs them all.

Claims live in one module per theory area (``exact/claims/patterns.py``, ...); each module
registers its claims with :func:`claim` when imported, and :func:`all_claims` imports them all.
"""

import importlib
import pkgutil
import time
from dataclasses import dataclass, field, replace

__all__ = ["Claim", "Verdict", "Outcome", "CrossCheck", "claim", "crosscheck", "no_crosscheck", "all_claims", "run_claim"]

#: Claim modules reported first, in this order; every other module of this package follows,
#: by name (a new claim module is a new file here).
CLAIM_MODULES = ("patterns", "duality", "landscape", "stationarity", "relaxation", "symmetry")

_REGISTRY = {}


@dataclass(frozen=True)
class Outcome:
    """What an exact check returns: whether the claim holds on its instance, and why."""

    holds: bool
    instance: str
    certificate: dict = None
    detail: str = ""


@dataclass(frozen=True)
class CrossCheck:
    """A float computation repeating an exact one: does it agree, with which residual.

    ``tolerance``, when given, is the bound the residual was compared with (same units).
    ``agrees is None`` marks a claim with no float twin (:func:`no_crosscheck`); ``detail``
    then says why.
    """

    agrees: bool
    detail: str
    residual: float = 0.0
    tolerance: float = None


@dataclass(frozen=True)
class Claim:
    """A registered claim: ``check()`` decides it exactly, ``crosscheck()`` repeats it in floats."""

    name: str
    statement: str
    reference: str
    check: object
    crosscheck: object = None
    slow: bool = False


@dataclass(frozen=True)
class Verdict:
    """The result of running one claim: the exact outcome, certificate kind, float cross-check."""

    claim: str
    statement: str
    reference: str
    holds: bool
    instance: str
    certificate: dict = None
    certificate_verified: bool = None
    numeric: CrossCheck = None
    seconds: float = 0.0
    detail: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def certificate_kind(self):
        """The certificate's schema name (``"reluscape/patterns/1"``), or ``None``."""
        return None if self.certificate is None else self.certificate.get("schema")


def claim(name, statement, reference, *, slow=False):
    """Register the decorated function as the exact check of a claim.

    Examples
    --------
    >>> @claim("demo", "1 + 1 = 2", "arithmetic")
    ... def demo():
    ...     return Outcome(holds=1 + 1 == 2, instance="integers")
    >>> run_claim("demo").holds
    True
    >>> _ = _REGISTRY.pop("demo")
    """

    def register(fn):
        if name in _REGISTRY:
            raise ValueError(f"claim {name!r} is registered twice")
        _REGISTRY[name] = Claim(name, statement, reference, fn, None, slow)
        return fn

    return register


def crosscheck(name):
    """Register the decorated function (returning :class:`CrossCheck`) as the float twin of ``name``."""

    def register(fn):
        _REGISTRY[name] = replace(_REGISTRY[name], crosscheck=fn)
        return fn

    return register


def no_crosscheck(name, reason):
    """Record that claim ``name`` has no float twin, and why (rare: floats cannot repeat it).

    Its numeric column then shows the reason instead of an agreement.

    Examples
    --------
    >>> @claim("demo", "1 + 1 = 2", "arithmetic")
    ... def demo():
    ...     return Outcome(holds=True, instance="integers")
    >>> no_crosscheck("demo", "nothing to compute in floats")
    >>> run_claim("demo").numeric
    CrossCheck(agrees=None, detail='no float twin: nothing to compute in floats', residual=0.0, tolerance=None)
    >>> _ = _REGISTRY.pop("demo")
    """

    def untwinned():
        return CrossCheck(agrees=None, detail=f"no float twin: {reason}")

    crosscheck(name)(untwinned)


def all_claims(*, include_slow=False):
    """Return every registered :class:`Claim`, importing the claim modules first."""
    _import_all()
    return [c for c in _REGISTRY.values() if include_slow or not c.slow]


def run_claim(name, *, crosscheck=True, verify_certificate=True):
    """Run one claim: the exact check, the trusted checker on its certificate, the float twin."""
    _import_all()  # all of them: a float twin may live in another module than its claim
    if name not in _REGISTRY:
        raise KeyError(f"no claim named {name!r}; `reluscape verify --list` lists them")
    entry = _REGISTRY[name]
    t0 = time.perf_counter()
    out = entry.check()
    seconds = time.perf_counter() - t0
    verified = None
    if verify_certificate and out.certificate is not None:
        from ..certificates import verify_certificate

        verified = verify_certificate(out.certificate).ok
    numeric = entry.crosscheck() if (crosscheck and entry.crosscheck is not None) else None
    return Verdict(
        claim=entry.name,
        statement=entry.statement,
        reference=entry.reference,
        holds=bool(out.holds) and verified is not False,
        instance=out.instance,
        certificate=out.certificate,
        certificate_verified=verified,
        numeric=numeric,
        seconds=seconds,
        detail=out.detail,
    )


def _import_all():
    """Import the claim modules: :data:`CLAIM_MODULES` in order, then the others by name."""
    found = sorted(m.name for m in pkgutil.iter_modules(__path__))
    for mod in [*CLAIM_MODULES, *(m for m in found if m not in CLAIM_MODULES)]:
        importlib.import_module(f"{__name__}.{mod}")
