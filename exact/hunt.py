r"""Conjecture hunting: search small exact instances for a certified counterexample to a claim.

A *claim* is a plain Python predicate on a :class:`~exact.Dataset` :math:`(X,y,\beta)`, or on a
dataset and a width :math:`m` (a second positional parameter), whose verdict is built from the
exact kernels: it returns ``True``/``False`` or an :class:`Evidence` (``holds``, a JSON
certificate of what it found, a detail line), and may raise
:class:`~exact.errors.UndecidedError` or :class:`~exact.errors.ResourceLimitError` when the
kernels cannot decide an instance; any :class:`~exact.errors.ReluscapeError` (a float solver that
fails, a resource limit) makes the instance undecided, counted apart and never a failure.

:func:`hunt` draws instances from a hypothesis strategy (:mod:`exact.strategies`), evaluates the
claim exactly on each, and on a failure lets hypothesis shrink it; the smallest failing instance
seen (fewest samples :math:`n`, then fewest features :math:`d`, then smallest entries) is returned
with its evidence and certificate, re-checked by the trusted checker (:mod:`exact.checker`).
When nothing fails within the budget the result is a coverage report, instances by
:math:`(n,d)` and time: evidence, not proof.

Search and verdict are separate: hypothesis (and, inside some claims, float gradient descent)
only *proposes* instances and candidates; every verdict is exact. Evaluations are cached by the
exact instance, so a replayed or shrunk instance is never evaluated twice and always gets the
same verdict. The hypothesis example database (``database=``) keeps failing instances, so a
re-run starts from the known failures. Large budgets are split over processes or a Dask cluster
by :func:`exact.numeric.sweep.sweep` (``shards=``); the shards' results are merged and their
counterexamples deduplicated.
"""

import importlib
import importlib.util
import inspect
import json
import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field

from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase
from hypothesis.errors import Flaky

from .data import Dataset
from .errors import ReluscapeError
from .strategies import datasets, integer_data

__all__ = [
    "Evidence",
    "Counterexample",
    "Coverage",
    "HuntResult",
    "hunt",
    "parse_budget",
    "load_claim",
    "dataset_key",
    "hunt_shard",
]

#: Examples per hypothesis run; runs repeat with the next seed until the budget is spent.
ROUND = 25


@dataclass(frozen=True)
class Evidence:
    """An exact verdict on one instance: ``holds``, a certificate of what was found, a detail."""

    holds: bool
    certificate: dict = field(default=None, repr=False)
    detail: str = ""


@dataclass(frozen=True)
class Counterexample:
    """A failing instance: the data, the width (``None`` for claims without one), the exact
    evidence, and whether the trusted checker verified its certificate."""

    data: Dataset
    m: int
    evidence: Evidence
    verified: bool

    @property
    def n(self):
        return self.data.n

    @property
    def d(self):
        return self.data.d

    def to_json(self):
        """The instance as JSON (numbers as ``"p/q"`` strings), with the verdict's detail."""
        from .certificates import number, numbers

        body = {"X": [numbers(r) for r in self.data.X], "y": numbers(self.data.y), "beta": number(self.data.beta)}
        if self.m is not None:
            body["m"] = self.m
        body["detail"] = self.evidence.detail
        body["certificate_verified"] = self.verified
        return body


@dataclass
class Coverage:
    """What a hunt evaluated: instances by ``(n, d)``, undecided ones (by error class: the
    kernels could not decide them, or a solver failed), examples drawn, seconds."""

    by_size: Counter = field(default_factory=Counter)
    undecided: int = 0
    reasons: Counter = field(default_factory=Counter)
    drawn: int = 0
    seconds: float = 0.0

    @property
    def evaluated(self):
        return sum(self.by_size.values())

    def merge(self, other):
        """Add another coverage (a shard of the same hunt)."""
        self.by_size.update(other.by_size)
        self.undecided += other.undecided
        self.reasons.update(other.reasons)
        self.drawn += other.drawn
        self.seconds = max(self.seconds, other.seconds)

    def to_json(self):
        return {
            "by_size": {f"{n},{d}": k for (n, d), k in sorted(self.by_size.items())},
            "undecided": self.undecided,
            "reasons": dict(self.reasons),
            "drawn": self.drawn,
            "seconds": round(self.seconds, 3),
        }

    @classmethod
    def from_json(cls, body):
        sizes = Counter({tuple(int(v) for v in key.split(",")): k for key, k in body["by_size"].items()})
        return cls(sizes, body["undecided"], Counter(body["reasons"]), body["drawn"], body["seconds"])

    def table(self):
        """One line per ``(n, d)``: the number of instances decided exactly."""
        return "\n".join(f"  n = {n}, d = {d}: {k} instances" for (n, d), k in sorted(self.by_size.items()))


@dataclass(frozen=True)
class HuntResult:
    """The outcome of :func:`hunt`: ``refuted`` with the minimal :class:`Counterexample` found,
    or not, with the :class:`Coverage`."""

    claim: str
    refuted: bool
    counterexample: Counterexample
    coverage: Coverage
    failures: int = 0

    def report(self):
        """A plain-text report; a pass says plainly that it is evidence, not proof."""
        cov = self.coverage
        if self.refuted:
            cx = self.counterexample
            state = "verified by the trusted checker" if cx.verified else "NOT verified by the checker"
            width = "" if cx.m is None else f", m = {cx.m}"
            return (
                f"{self.claim}: REFUTED on n = {cx.n}, d = {cx.d}{width} "
                f"(smallest of {self.failures} failing instances; {cov.evaluated} evaluated in {cov.seconds:.1f} s)\n"
                f"  X = {_rows(cx.data.X)}, y = {_row(cx.data.y)}, beta = {cx.data.beta}\n"
                f"  {cx.evidence.detail}\n  certificate: "
                + (cx.evidence.certificate or {}).get("schema", "none")
                + f" ({state})"
            )
        return (
            f"{self.claim}: not refuted. {cov.evaluated} instances decided exactly in {cov.seconds:.1f} s "
            f"({cov.undecided} undecided, {cov.drawn} drawn):\n{cov.table()}\n"
            "This is evidence, not proof: only these instances were checked."
        )

    def to_json(self):
        return {
            "claim": self.claim,
            "refuted": self.refuted,
            "failures": self.failures,
            "counterexample": None if self.counterexample is None else self.counterexample.to_json(),
            "coverage": self.coverage.to_json(),
        }

    def save(self, out):
        """Write ``hunt.json`` (this result) and, when refuted, ``certificate.json`` (replay with
        ``reluscape check``) into the folder ``out``; return the paths written."""
        from .certificates import write_json

        paths = [os.path.join(out, "hunt.json")]
        write_json(paths[0], self.to_json())
        if self.refuted and self.counterexample.evidence.certificate is not None:
            paths.append(os.path.join(out, "certificate.json"))
            write_json(paths[1], self.counterexample.evidence.certificate)
        return paths


def hunt(claim, data=None, budget=60, *, n=None, d=None, max_examples=None, seed=0, database=None,
         shards=None, workers=None, scheduler=None, checkpoint=None, progress=None):
    r"""Search for a dataset on which ``claim`` fails; return a :class:`HuntResult`.

    Parameters
    ----------
    claim : callable, conjecture, or str
        A predicate ``claim(data)`` or ``claim(data, m)`` returning a bool or an
        :class:`Evidence`; or an object with ``predicate``, ``name`` and ``instances(n, d)``
        (a conjecture of :mod:`counterexamples.conjectures`); or a spec ``"NAME"`` (a
        conjecture) or ``"path/to/file.py:predicate"`` (see :func:`load_claim`).
    data : hypothesis strategy, optional
        Of :class:`~exact.Dataset` or of ``X`` (lists of rows; labels and ``beta`` are then
        drawn by :func:`~exact.strategies.datasets`). Default: the conjecture's instances, or
        :func:`~exact.strategies.integer_data` with entries in ``[-3, 3]``.
    budget : float or str
        Seconds of search (``60``, ``"60s"``, ``"2m"``, ``"1h"``); shrinking a failure may take
        as long again.
    n, d : (int, int), optional
        Size ranges of the default instances (default ``(1, 3)`` and ``(1, 2)``).
    max_examples : int, optional
        Stop after this many drawn examples (with a fixed ``seed`` the hunt is then
        reproducible whatever the machine's speed).
    seed : int
        Hypothesis runs are seeded ``seed, seed + 1, ...``: the search is derandomized.
    database : str or os.PathLike, optional
        Folder of the hypothesis example database (kept between runs).
    shards, workers, scheduler, checkpoint
        With ``shards > 1``, run that many independent hunts (seeds ``seed + 1000 i``, each
        with the full time budget and ``max_examples / shards``) through
        :func:`exact.numeric.sweep.sweep` (``workers`` processes, or a Dask ``scheduler``),
        checkpointed to ``checkpoint``; ``claim`` must then be a spec string.
    progress : callable, optional
        Called with the :class:`Coverage` and the seconds left after every evaluation.

    Returns
    -------
    HuntResult

    Raises
    ------
    ReluscapeError
        On a bad budget, size range or spec, or a ``data`` that is not a hypothesis strategy
        (or is given to a sharded hunt).

    Examples
    --------
    A false claim: no dataset has more than two samples.

    >>> res = hunt(lambda data: data.n <= 2, budget=30, max_examples=40)
    >>> res.refuted, res.counterexample.n
    (True, 3)
    >>> hunt(lambda data: True, budget="1 day")
    Traceback (most recent call last):
    ...
    exact.errors.ReluscapeError: budget '1 day': expected seconds such as 60, '60s', '2m' or '1h'
    """
    seconds = parse_budget(budget)
    if shards is not None and shards > 1:
        if data is not None:
            raise ReluscapeError("a sharded hunt draws the claim's own instances; data= needs shards=None")
        return _hunt_sharded(claim, seconds, n, d, max_examples, seed, database, shards, workers, scheduler, checkpoint)
    predicate, label, strategy = _resolve(claim, data, n, d)
    takes_m = _takes_width(predicate)
    if takes_m:
        strategy = strategy.flatmap(lambda D: st.tuples(st.just(D), st.integers(1, D.n + 1)))
    run = _Run(predicate, takes_m, seconds, progress)
    test = _test(run, label)
    db = DirectoryBasedExampleDatabase(os.fspath(database)) if database is not None else None
    cap = max_examples if max_examples is not None else 10**9
    offset = 0
    while run.found is None and run.coverage.drawn < cap and not run.out_of_time():
        size = min(ROUND, cap - run.coverage.drawn)
        case = settings(
            max_examples=size,
            database=db,
            deadline=None,
            derandomize=False,
            verbosity=Verbosity.quiet,
            report_multiple_bugs=False,
            print_blob=False,
            phases=(Phase.reuse, Phase.generate, Phase.shrink) if db is not None else (Phase.generate, Phase.shrink),
            suppress_health_check=list(HealthCheck),
        )(given(strategy)(test))
        drawn = run.coverage.drawn
        # hypothesis.seed() would also switch the example database off; seed the generation only
        case._hypothesis_internal_use_seed = seed + offset
        try:
            case()
        except (_Refuted, Flaky):
            pass  # the failures are in run.failures; the smallest is chosen below
        offset += 1
        if run.coverage.drawn == drawn:
            break  # the strategy is exhausted
    run.coverage.seconds = time.monotonic() - run.start
    if not run.failures:
        return HuntResult(label, False, None, run.coverage)
    key = min(run.failures, key=lambda k: run.failures[k][2])
    D, m, size_key = run.failures[key]
    ev = run.cache[key]
    return HuntResult(label, True, Counterexample(D, m, ev, _verified(ev.certificate)), run.coverage, len(run.failures))


def parse_budget(budget):
    """Seconds from ``60``, ``"60"``, ``"60s"``, ``"2m"`` or ``"1h"`` (positive).

    Examples
    --------
    >>> parse_budget("2m"), parse_budget(5)
    (120.0, 5.0)
    >>> parse_budget("-3s")
    Traceback (most recent call last):
    ...
    exact.errors.ReluscapeError: budget '-3s': expected seconds such as 60, '60s', '2m' or '1h'
    """
    if isinstance(budget, (int, float)) and not isinstance(budget, bool):
        value = float(budget)
    else:
        match = re.fullmatch(r"\s*(\d+(?:\.\d*)?)\s*([smh]?)\s*", str(budget))
        value = float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)] if match else -1.0
    if not value > 0:
        raise ReluscapeError(f"budget {budget!r}: expected seconds such as 60, '60s', '2m' or '1h'")
    return value


def load_claim(spec):
    """Resolve a claim spec: ``"NAME"`` (a conjecture of :mod:`counterexamples.conjectures`) or
    ``"path/to/file.py:predicate"`` (a function of that file).

    Raises
    ------
    ReluscapeError
        If the file, the function or the conjecture does not exist.
    """
    if ":" in spec and spec.rsplit(":", 1)[0].endswith(".py"):
        path, name = spec.rsplit(":", 1)
        if not os.path.isfile(path):
            raise ReluscapeError(f"claim file {path!r} does not exist")
        module_spec = importlib.util.spec_from_file_location(f"_reluscape_claim_{abs(hash(path))}", path)
        module = importlib.util.module_from_spec(module_spec)
        module_spec.loader.exec_module(module)
        fn = getattr(module, name, None)
        if not callable(fn):
            raise ReluscapeError(f"{path} defines no function {name!r}")
        return _Named(fn, spec)
    conjectures = importlib.import_module("counterexamples.conjectures")
    return conjectures.conjecture(spec)


def dataset_key(data, m=None):
    """A canonical text of an exact instance (the cache and deduplication key).

    Examples
    --------
    >>> dataset_key(Dataset([[1, 2]], [3], "1/2"), 2)
    '[[["1","2"]],["3"],"1/2",2]'
    """
    from .certificates import number, numbers

    return json.dumps([[numbers(r) for r in data.X], numbers(data.y), number(data.beta), m], separators=(",", ":"))


# ---------------------------------------------------------------------------------------------


class _Refuted(Exception):
    """Raised inside the hypothesis test on a failing instance (so that hypothesis shrinks it)."""


@dataclass(frozen=True)
class _Named:
    """A predicate from a file, named by its spec."""

    predicate: object
    name: str


class _Run:
    """The state of one hunt: cache of verdicts, failures, coverage and the time limits."""

    def __init__(self, predicate, takes_m, seconds, progress):
        self.predicate, self.takes_m, self.progress = predicate, takes_m, progress
        self.start = time.monotonic()
        self.deadline = self.start + seconds
        self.seconds = seconds
        self.cache, self.failures, self.found = {}, {}, None
        self.coverage = Coverage()

    def out_of_time(self):
        return time.monotonic() > self.deadline

    def evaluate(self, D, m):
        """The cached exact verdict on (D, m); ``None`` when skipped (time is up) or undecided."""
        key = dataset_key(D, m)
        if key in self.cache:
            return key, self.cache[key]
        if self.out_of_time():
            return key, None
        try:
            out = self.predicate(D, m) if self.takes_m else self.predicate(D)
        except ReluscapeError as err:  # undecided, over a limit, or a solver failure: no verdict
            out = _UNDECIDED
            self.coverage.undecided += 1
            self.coverage.reasons[type(err).__name__] += 1
        else:
            if not isinstance(out, Evidence):
                out = Evidence(bool(out), None, f"the predicate returned {bool(out)}")
            self.coverage.by_size[(D.n, D.d)] += 1
        self.cache[key] = out
        if out is not _UNDECIDED and not out.holds:
            self.failures[key] = (D, m, (D.n, D.d, _height(D), len(key), key))
            if self.found is None:
                self.found = key
                self.deadline = max(self.deadline, time.monotonic() + self.seconds)  # time to shrink
        if self.progress is not None:
            self.progress(self.coverage, self.deadline - time.monotonic())
        return key, out


#: Marks an undecided instance in the cache (it never fails).
_UNDECIDED = Evidence(True, None, "undecided")


def _test(run, label):
    def test(example):
        D, m = example if run.takes_m else (example, None)
        run.coverage.drawn += 1
        _, out = run.evaluate(D, m)
        if out is not None and not out.holds:
            raise _Refuted(label)

    test._hypothesis_internal_add_digest = label.encode()  # one database entry per claim
    return test


def _resolve(claim, data, n, d):
    """(predicate, label, strategy of Dataset)."""
    if isinstance(claim, str):
        claim = load_claim(claim)
    predicate = getattr(claim, "predicate", claim)
    if not callable(predicate):
        raise ReluscapeError(f"claim {claim!r} is not callable")
    label = getattr(claim, "name", None) or getattr(predicate, "__name__", "claim")
    n, d = _range(n, (1, 3), "n", 1, 12), _range(d, (1, 2), "d", 1, 6)
    if data is None:
        instances = getattr(claim, "instances", None)
        strategy = instances(n, d) if instances is not None else datasets(integer_data(n[1], d[1], 3, min_n=n[0], min_d=d[0]), label_bound=4)
    elif isinstance(data, st.SearchStrategy):
        strategy = data.flatmap(lambda v: st.just(v) if isinstance(v, Dataset) else datasets(st.just(v), label_bound=4))
    else:
        raise ReluscapeError(
            f"data is a {type(data).__name__}, not a hypothesis strategy: pass a strategy of Datasets "
            "or of X (e.g. exact.strategies.integer_data()), or leave data out"
        )
    return predicate, label, strategy


def _range(value, default, name, low, high):
    if value is None:
        return default
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value, value)
    try:
        lo, hi = (int(v) for v in value)
    except (TypeError, ValueError) as err:
        raise ReluscapeError(f"{name} = {value!r}: expected a pair (low, high) of integers") from err
    if not low <= lo <= hi <= high:
        raise ReluscapeError(f"{name} = {lo}..{hi}: expected {low} <= low <= high <= {high}")
    return lo, hi


def _takes_width(predicate):
    try:
        params = inspect.signature(predicate).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty]
    return len(positional) >= 2


def _height(D):
    return max(max(abs(a.numerator) + a.denominator for r in D.X for a in r), max(abs(a.numerator) + a.denominator for a in D.y))


def _verified(certificate):
    if certificate is None:
        return False
    from .checker import check_certificate

    return check_certificate(json.loads(json.dumps(certificate))).ok


def _rows(X):
    return "(" + "; ".join(",".join(str(a) for a in r) for r in X) + ")"


def _row(v):
    return "(" + ",".join(str(a) for a in v) + ")"


# ---------------------------------------------------------------------------------------------
# sharded hunts through exact.numeric.sweep


def _hunt_sharded(claim, seconds, n, d, max_examples, seed, database, shards, workers, scheduler, checkpoint):
    from .numeric.sweep import sweep

    if not isinstance(claim, str):
        raise ReluscapeError("a sharded hunt needs the claim as a spec string (a conjecture name or file.py:predicate)")
    if checkpoint is None:
        raise ReluscapeError("a sharded hunt needs checkpoint= (the sweep's JSON-lines file)")
    per = None if max_examples is None else max(1, max_examples // shards)
    items = [
        {"claim": claim, "seconds": seconds, "n": n, "d": d, "max_examples": per, "seed": seed + 1000 * i,
         "database": None if database is None else os.fspath(database)}
        for i in range(shards)
    ]
    results = sweep(hunt_shard, items, out=checkpoint, workers=workers, scheduler=scheduler, progress=False)
    coverage, found = Coverage(), {}
    for r in results:
        coverage.merge(Coverage.from_json(r["coverage"]))
        cx = r["counterexample"]
        if cx is not None:
            D = Dataset(cx["X"], cx["y"], cx["beta"])
            found.setdefault(dataset_key(D, cx.get("m")), (D, cx.get("m")))
    predicate, label, _ = _resolve(claim, None, n, d)
    if not found:
        return HuntResult(label, False, None, coverage)
    D, m = min(found.values(), key=lambda p: (p[0].n, p[0].d, _height(p[0]), dataset_key(*p)))
    ev = predicate(D, m) if m is not None else predicate(D)  # re-decided here, exactly
    ev = ev if isinstance(ev, Evidence) else Evidence(bool(ev))
    return HuntResult(label, not ev.holds, Counterexample(D, m, ev, _verified(ev.certificate)), coverage, len(found))


def hunt_shard(item):
    """One shard of a sharded hunt (a :func:`~exact.numeric.sweep.sweep` item): JSON result."""
    n = None if item["n"] is None else tuple(item["n"])
    d = None if item["d"] is None else tuple(item["d"])
    res = hunt(item["claim"], budget=item["seconds"], n=n, d=d, max_examples=item["max_examples"],
               seed=item["seed"], database=item["database"])
    return res.to_json()
