"""The trusted checker: re-verifies reluscape certificates with the standard library alone.

This file imports nothing from reluscape and nothing outside the standard library, so it can
be copied to any machine with Python 3 and run as ``python checker.py CERT.json``. It trusts
only Python's integers, :class:`fractions.Fraction` and :mod:`json`. Every number in a
certificate is a string ``"p/q"`` (or an integer string) and is parsed exactly; anything
malformed is rejected with a message, never with a traceback.

Schemas (``"schema"`` key):

``reluscape/patterns/1``
    ``X`` (n rows of d numbers) and ``patterns``: a list of ``{"signs": "+-0..", "witness":
    [...]}``. Checked: each witness ``h`` has ``sign(x_k . h) = s_k`` for every row (``0``
    exactly on zero rows), and the sign vectors are distinct. Optional ``"complete"``:
    ``{"method": "cover"}`` (general position checked by minors, count equal to
    ``2 sum_{k<r} C(n-1, k)``) or ``{"method": "zaslavsky"}`` (count equal to the sum of
    ``|mu|`` over the lattice of flats, recomputed here).

Exit status of ``python checker.py CERT.json``: 0 when every check holds, 1 when one fails
(its message names it), 2 when the file cannot be read as a certificate.
"""

import json
import sys
from fractions import Fraction
from itertools import combinations
from math import comb

__all__ = ["CheckResult", "check_certificate", "check_file", "main", "zaslavsky_count"]

#: Limits on what the checker accepts; larger certificates are refused, not attempted.
MAX_BYTES = 256 * 2**20
MAX_DIGITS = 5000
MAX_DEPTH = 64


class CheckFailed(Exception):
    """A check that does not hold, or a malformed certificate."""


class CheckResult:
    """Outcome of checking one certificate: ``ok``, the checks done, the first failure."""

    def __init__(self, ok, schema, checks, failure=None):
        self.ok, self.schema, self.checks, self.failure = ok, schema, checks, failure

    def __repr__(self):
        state = "verified" if self.ok else f"REJECTED: {self.failure}"
        return f"CheckResult({self.schema}: {state})"


def check_certificate(cert):
    """Check a parsed certificate (a dict); return a :class:`CheckResult`, never raise."""
    checks = []
    schema = cert.get("schema") if isinstance(cert, dict) else None
    try:
        if not isinstance(cert, dict):
            raise CheckFailed("a certificate is a JSON object")
        _depth(cert, 0)
        if schema not in _CHECKERS:
            raise CheckFailed(f"unknown schema {schema!r}; known: {', '.join(sorted(_CHECKERS))}")
        _CHECKERS[schema](cert, checks)
    except CheckFailed as err:
        return CheckResult(False, schema, checks, str(err))
    except RecursionError:
        return CheckResult(False, schema, checks, "certificate nested too deeply")
    return CheckResult(True, schema, checks)


def check_file(path):
    """Read and check a certificate file; return a :class:`CheckResult` (schema ``None`` if unreadable)."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as err:
        return CheckResult(False, None, [], f"cannot read {path}: {err.strerror}")
    if len(raw) > MAX_BYTES:
        return CheckResult(False, None, [], f"file larger than {MAX_BYTES} bytes (checker.MAX_BYTES)")
    try:
        cert = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return CheckResult(False, None, [], "file is not UTF-8 text")
    except (ValueError, RecursionError) as err:
        return CheckResult(False, None, [], f"file is not valid JSON: {str(err)[:200]}")
    return check_certificate(cert)


def main(argv=None):
    """Command line: ``python checker.py CERT.json [...]``; exit status 0, 1 or 2."""
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python checker.py CERT.json [CERT.json ...]", file=sys.stderr)
        return 2
    status = 0
    for path in args:
        res = check_file(path)
        if res.ok:
            print(f"{path}: verified ({res.schema})")
            for line in res.checks:
                print(f"  - {line}")
        else:
            print(f"{path}: REJECTED: {res.failure}")
            status = max(status, 2 if res.schema is None else 1)
    return status


# ---------------------------------------------------------------------------------------------
# parsing


def _depth(obj, level):
    if level > MAX_DEPTH:
        raise CheckFailed(f"certificate nested deeper than {MAX_DEPTH} levels")
    if isinstance(obj, dict):
        for v in obj.values():
            _depth(v, level + 1)
    elif isinstance(obj, list):
        for v in obj:
            _depth(v, level + 1)


def _field(obj, key, kind, where):
    if not isinstance(obj, dict) or key not in obj:
        raise CheckFailed(f"{where}: missing field {key!r}")
    val = obj[key]
    if not isinstance(val, kind) or isinstance(val, bool):
        raise CheckFailed(f"{where}.{key}: expected {_kind_name(kind)}, got {type(val).__name__}")
    return val


def _kind_name(kind):
    names = {list: "a list", dict: "an object", str: "a string", int: "an integer"}
    return names.get(kind, str(kind))


def _num(s, where):
    if not isinstance(s, str):
        raise CheckFailed(f"{where}: numbers are strings 'p/q', got {type(s).__name__}")
    if len(s) > MAX_DIGITS:
        raise CheckFailed(f"{where}: number longer than {MAX_DIGITS} characters (checker.MAX_DIGITS)")
    body = s[1:] if s[:1] == "-" else s
    parts = body.split("/")
    if len(parts) > 2 or not all(p.isdigit() and p.isascii() for p in parts):
        raise CheckFailed(f"{where}: {s[:40]!r} is not an integer or 'p/q'")
    if len(parts) == 2 and int(parts[1]) == 0:
        raise CheckFailed(f"{where}: zero denominator in {s[:40]!r}")
    return Fraction(s)


def _vector(v, where, length=None):
    if not isinstance(v, list):
        raise CheckFailed(f"{where}: expected a list of numbers")
    if length is not None and len(v) != length:
        raise CheckFailed(f"{where}: has {len(v)} entries, expected {length}")
    return [_num(a, f"{where}[{i}]") for i, a in enumerate(v)]


def _matrix(M, where):
    if not isinstance(M, list) or not M:
        raise CheckFailed(f"{where}: expected a non-empty list of rows")
    first = M[0] if isinstance(M[0], list) else None
    if not first:
        raise CheckFailed(f"{where}[0]: expected a non-empty row")
    return [_vector(r, f"{where}[{k}]", len(first)) for k, r in enumerate(M)]


def _sign(a):
    return (a > 0) - (a < 0)


def _dot(u, v):
    return sum(a * b for a, b in zip(u, v))


# ---------------------------------------------------------------------------------------------
# exact linear algebra (Fractions)


def _rank(rows):
    """Rank of a list of rational vectors (Gaussian elimination over Q)."""
    m = [list(r) for r in rows if any(r)]
    rank, col = 0, 0
    ncols = len(m[0]) if m else 0
    while rank < len(m) and col < ncols:
        piv = next((i for i in range(rank, len(m)) if m[i][col] != 0), None)
        if piv is None:
            col += 1
            continue
        m[rank], m[piv] = m[piv], m[rank]
        for i in range(rank + 1, len(m)):
            if m[i][col] != 0:
                f = m[i][col] / m[rank][col]
                m[i] = [a - f * b for a, b in zip(m[i], m[rank])]
        rank += 1
        col += 1
    return rank


# ---------------------------------------------------------------------------------------------
# reluscape/patterns/1


def _check_patterns(cert, checks):
    X = _matrix(_field(cert, "X", list, "certificate"), "X")
    n, d = len(X), len(X[0])
    pats = _field(cert, "patterns", list, "certificate")
    zero = [not any(r) for r in X]
    seen = set()
    for i, p in enumerate(pats):
        where = f"patterns[{i}]"
        signs = _field(p, "signs", str, where)
        if len(signs) != n or any(c not in "+-0" for c in signs):
            raise CheckFailed(f"{where}.signs: expected {n} characters from '+', '-', '0'")
        h = _vector(_field(p, "witness", list, where), f"{where}.witness", d)
        for k, (row, c) in enumerate(zip(X, signs)):
            want = {"+": 1, "-": -1, "0": 0}[c]
            if (want == 0) != zero[k]:
                raise CheckFailed(f"{where}: sign of row {k} is '{c}' but row {k} is {'' if zero[k] else 'not '}zero")
            got = _sign(_dot(row, h))
            if got != want:
                raise CheckFailed(f"{where}: x_{k} . h has sign {got:+d}, the certificate says '{c}'")
        if signs in seen:
            raise CheckFailed(f"{where}: sign vector {signs} listed twice")
        seen.add(signs)
    checks.append(f"{len(pats)} witnesses give their strict sign vectors on {n} rows; all distinct")
    complete = cert.get("complete")
    if complete is None:
        checks.append("completeness not claimed")
        return
    method = _field(complete, "method", str, "complete")
    nonzero = [r for r, z in zip(X, zero) if not z]
    if method == "cover":
        expected = _cover_count(nonzero)
        checks.append(f"rows in general position (all minors checked); Cover's count {expected}")
    elif method == "zaslavsky":
        expected = zaslavsky_count(nonzero)
        checks.append(f"Zaslavsky's count over the lattice of flats: {expected}")
    else:
        raise CheckFailed(f"complete.method: unknown method {method!r} (cover, zaslavsky)")
    if expected != len(pats):
        raise CheckFailed(f"{len(pats)} patterns listed but the arrangement has {expected} regions")


def _cover_count(rows):
    """Cover's count after checking general position: any <= r rows are independent."""
    if not rows:
        return 1
    r = _rank(rows)
    n = len(rows)
    size = min(r, n)
    for sub in combinations(range(n), size):
        if _rank([rows[i] for i in sub]) < size:
            raise CheckFailed(f"rows {list(sub)} are dependent: not in general position, use 'zaslavsky'")
    return 2 ** n if n <= r else 2 * sum(comb(n - 1, k) for k in range(r))


def zaslavsky_count(rows):
    """Number of regions of the central arrangement of the rows' hyperplanes (Zaslavsky 1975):
    the sum of ``|mu(0, F)|`` over its lattice of flats, recomputed from ranks over Q."""
    if not rows:
        return 1
    hyper = []
    for r in rows:  # one normal per hyperplane (parallel rows share one)
        if not any(_rank([r, h]) == 1 for h in hyper):
            hyper.append(r)
    n = len(hyper)

    def closure(idx):
        base = [hyper[i] for i in idx]
        r = _rank(base)
        return frozenset(i for i in range(n) if _rank(base + [hyper[i]]) == r), r

    flats = {frozenset(): 0}
    layer = {frozenset()}
    while layer:
        nxt = set()
        for F in layer:
            for i in range(n):
                if i not in F:
                    G, r = closure(sorted(F | {i}))
                    if G not in flats:
                        flats[G] = r
                        nxt.add(G)
        layer = nxt
    mu = {}
    for F in sorted(flats, key=lambda F: flats[F]):
        mu[F] = 1 if not F else -sum(mu[G] for G in mu if G < F)
    return sum(abs(m) for m in mu.values())


_CHECKERS = {"reluscape/patterns/1": _check_patterns}


if __name__ == "__main__":
    sys.exit(main())
