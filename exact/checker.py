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


# ---------------------------------------------------------------------------------------------
# reluscape/optimum/1
#
# The convex problem (C): blocks (s, sigma) with M = sigma D_s X, A_s = diag(2 D_s - 1) X.
# Dual feasibility of nu: for every block, ||g + A^T lam||^2 <= beta^2 with g = M^T nu and
# some lam >= 0 (then max over K_s of g.u is <= beta). Gap identity: a feasible nu with
# y - nu = sum_b kappa_b M_b p_b, ||p_b|| = beta, p_b the projection, kappa >= 0, is optimal.


def _check_optimum(cert, checks):
    X = _matrix(_field(cert, "X", list, "certificate"), "X")
    n, d = len(X), len(X[0])
    y = _vector(_field(cert, "y", list, "certificate"), "y", n)
    beta = _num(_field(cert, "beta", str, "certificate"), "beta")
    if beta <= 0:
        raise CheckFailed("beta must be > 0")
    pats = _field(cert, "patterns", dict, "certificate")
    if [[_num(a, "X") for a in r] for r in _field(pats, "X", list, "patterns")] != X:
        raise CheckFailed("patterns.X differs from X")
    _check_patterns(pats, checks)
    if pats.get("complete") is None:
        raise CheckFailed("the pattern list must be certified complete")
    D = [tuple(1 if c == "+" else 0 for c in p["signs"]) for p in pats["patterns"]]
    blocks = [(i, s) for i in range(len(D)) if any(D[i]) for s in (1, -1)]
    method = _field(cert, "method", str, "certificate")
    listed = {}
    for j, b in enumerate(_field(cert, "blocks", list, "certificate")):
        key = _block_ref(b, f"blocks[{j}]", len(D))
        if key in listed:
            raise CheckFailed(f"blocks[{j}]: block listed twice")
        listed[key] = b
    if method == "rational":
        _optimum_rational(cert, checks, X, y, beta, D, blocks, listed)
    elif method == "bracket":
        _optimum_bracket(cert, checks, X, y, beta, D, blocks, listed)
    elif method == "krawczyk":
        _optimum_krawczyk(cert, checks, X, y, beta, D, blocks, listed)
    else:
        raise CheckFailed(f"method: unknown method {method!r} (rational, bracket, krawczyk)")


def _block_ref(b, where, P):
    i = _field(b, "pattern", int, where)
    s = _field(b, "sign", int, where)
    if not 0 <= i < P or s not in (1, -1):
        raise CheckFailed(f"{where}: no block (pattern {i}, sign {s})")
    return (i, s)


def _cone(X, Dk):
    return [[a if dk else -a for a in x] for x, dk in zip(X, Dk)]


def _g(X, Dk, s, nu):
    return [s * sum((x[c] * v for x, v, dk in zip(X, nu, Dk) if dk), Fraction(0)) for c in range(len(X[0]))]


def _feasible_exact(X, beta, D, blocks, listed, nu, where):
    """Every block: ||g + A^T lam||^2 <= beta^2 with the listed lam >= 0 (or lam = 0)."""
    projections = {}
    for i, s in blocks:
        g = _g(X, D[i], s, nu)
        A = _cone(X, D[i])
        if (i, s) in listed:
            lam = _vector(_field(listed[(i, s)], "lambda", list, where), f"{where} lambda", len(X))
            if any(a < 0 for a in lam):
                raise CheckFailed(f"{where}: block ({i}, {s}) has a negative multiplier")
            g = [gc + sum(l * A[k][c] for k, l in enumerate(lam) if l) for c, gc in enumerate(g)]
            projections[(i, s)] = (g, lam, A)
        if _dot(g, g) > beta * beta:
            raise CheckFailed(f"{where}: block (pattern {i}, sign {s}) violates the dual constraint")
    return projections


def _optimum_rational(cert, checks, X, y, beta, D, blocks, listed):
    n = len(X)
    nu = _vector(_field(cert, "nu", list, "certificate"), "nu", n)
    proj = _feasible_exact(X, beta, D, blocks, listed, nu, "blocks")
    checks.append(f"nu is dual feasible on all {len(blocks)} blocks (squared norms <= beta^2)")
    fit = [Fraction(0)] * n
    total = Fraction(0)
    for j, a in enumerate(_field(cert, "atoms", list, "certificate")):
        i, s = _block_ref(a, f"atoms[{j}]", len(D))
        kappa = _num(_field(a, "kappa", str, f"atoms[{j}]"), f"atoms[{j}].kappa")
        if kappa < 0 or (i, s) not in proj:
            raise CheckFailed(f"atoms[{j}]: negative weight or no projection listed")
        p, lam, A = proj[(i, s)]
        Ap = [_dot(row, p) for row in A]
        if any(v < 0 for v in Ap) or any(l * v != 0 for l, v in zip(lam, Ap)):
            raise CheckFailed(f"atoms[{j}]: p is not the projection (KKT fails)")
        if _dot(p, p) != beta * beta:
            raise CheckFailed(f"atoms[{j}]: the block is not tight")
        for k in range(n):
            if D[i][k]:
                fit[k] += s * kappa * _dot(X[k], p)
        total += kappa
    if [a - b for a, b in zip(y, fit)] != nu:
        raise CheckFailed("y - fit != nu")
    value = _num(_field(cert, "value", str, "certificate"), "value")
    dual = _dot(nu, y) - _dot(nu, nu) / 2
    primal = _dot(nu, nu) / 2 + beta * beta * total
    if not value == dual == primal:
        raise CheckFailed(f"values differ: claimed {value}, dual {dual}, primal {primal}")
    checks.append(f"zero duality gap: p* = d(nu*) = {value}")


def _optimum_bracket(cert, checks, X, y, beta, D, blocks, listed):
    n, d = len(X), len(X[0])
    nu = _vector(_field(cert, "nu", list, "certificate"), "nu", n)
    _feasible_exact(X, beta, D, blocks, listed, nu, "blocks")
    lower = _num(_field(cert, "lower", str, "certificate"), "lower")
    upper = _num(_field(cert, "upper", str, "certificate"), "upper")
    if _dot(nu, y) - _dot(nu, nu) / 2 < lower:
        raise CheckFailed("the lower bound exceeds d(nu) of the feasible nu")
    fit = [Fraction(0)] * n
    penalty = Fraction(0)
    for j, b in enumerate(_field(cert, "primal", list, "certificate")):
        i, s = _block_ref(b, f"primal[{j}]", len(D))
        u = _vector(_field(b, "u", list, f"primal[{j}]"), f"primal[{j}].u", d)
        if any(_dot(row, u) < 0 for row in _cone(X, D[i])):
            raise CheckFailed(f"primal[{j}]: u is outside its cone")
        for k in range(n):
            if D[i][k]:
                fit[k] += s * _dot(X[k], u)
        penalty += _sqrt_up(_dot(u, u))
    r = [f - v for f, v in zip(fit, y)]
    if _dot(r, r) / 2 + beta * penalty > upper:
        raise CheckFailed("the upper bound is below the primal value")
    checks.append(f"{_decimal(lower)} <= p* <= {_decimal(upper)} (dual feasible point, primal point)")


def _decimal(q, digits=20):
    """``q`` as a decimal string rounded toward zero (display only; no floats)."""
    sign = "-" if q < 0 else ""
    q = abs(q)
    whole = q.numerator // q.denominator
    frac = (q - whole) * 10**digits
    return f"{sign}{whole}.{frac.numerator // frac.denominator:0{digits}d}"


def _sqrt_up(q, bits=200):
    from math import isqrt

    s = 1 << bits
    return Fraction(isqrt(-(-q.numerator * s * s // q.denominator)) + 1, s)


class _Iv:
    """A closed interval of Fractions, rounded outward to multiples of 2^-400."""

    __slots__ = ("lo", "hi")
    S = 1 << 400

    def __init__(self, lo, hi=None):
        hi = lo if hi is None else hi
        S = self.S
        self.lo = lo if lo.denominator <= S else Fraction((lo.numerator * S) // lo.denominator, S)
        self.hi = hi if hi.denominator <= S else Fraction(-((-hi.numerator * S) // hi.denominator), S)

    def __add__(self, o):
        o = o if isinstance(o, _Iv) else _Iv(Fraction(o))
        return _Iv(self.lo + o.lo, self.hi + o.hi)

    __radd__ = __add__

    def __neg__(self):
        return _Iv(-self.hi, -self.lo)

    def __sub__(self, o):
        return self + (-(o if isinstance(o, _Iv) else _Iv(Fraction(o))))

    def __rsub__(self, o):
        return _Iv(Fraction(o)) - self

    def __mul__(self, o):
        o = o if isinstance(o, _Iv) else _Iv(Fraction(o))
        c = (self.lo * o.lo, self.lo * o.hi, self.hi * o.lo, self.hi * o.hi)
        return _Iv(min(c), max(c))

    __rmul__ = __mul__

    def sq(self):
        if self.lo >= 0 or self.hi <= 0:
            a, b = sorted((self.lo * self.lo, self.hi * self.hi))
            return _Iv(a, b)
        return _Iv(Fraction(0), max(self.lo * self.lo, self.hi * self.hi))


def _lin_iv(coeffs, v):
    acc = _Iv(Fraction(0))
    for c, x in zip(coeffs, v):
        if c:
            acc = acc + x * c
    return acc


def _face_maps(X, Dk, s, face):
    """For block (D, s) and independent face rows B: V = M Q with Q the projector onto
    {A_B u = 0}, and the maps nu -> lam_B = -(A_B A_B^T)^-1 A_B M^T nu, nu -> A V^T nu."""
    n, d = len(X), len(X[0])
    M = [[s * a if dk else Fraction(0) for a in x] for x, dk in zip(X, Dk)]
    A = _cone(X, Dk)
    B = [A[i] for i in face]
    if B and _rank(B) != len(B):
        raise CheckFailed(f"face rows {face} are not independent")
    Ginv = _inv([[_dot(r1, r2) for r2 in B] for r1 in B]) if B else []
    T = [[sum(Ginv[i][j] * B[j][c] for j in range(len(B))) for c in range(d)] for i in range(len(B))]
    Q = [[Fraction(int(r == c)) - sum(B[i][r] * T[i][c] for i in range(len(B))) for c in range(d)] for r in range(d)]
    V = [[sum(m[t] * Q[t][c] for t in range(d)) for c in range(d)] for m in M]
    Vt = [[V[k][c] for k in range(n)] for c in range(d)]
    Lam = [[-sum(T[i][c] * M[k][c] for c in range(d)) for k in range(n)] for i in range(len(B))]
    AV = [[sum(row[c] * V[k][c] for c in range(d)) for k in range(n)] for row in A]
    return V, Vt, Lam, AV


def _inv(G):
    k = len(G)
    M = [list(G[i]) + [Fraction(int(i == j)) for j in range(k)] for i in range(k)]
    for c in range(k):
        piv = next((r for r in range(c, k) if M[r][c] != 0), None)
        if piv is None:
            raise CheckFailed("singular matrix")
        M[c], M[piv] = M[piv], M[c]
        inv = 1 / M[c][c]
        M[c] = [a * inv for a in M[c]]
        for r in range(k):
            if r != c and M[r][c] != 0:
                f = M[r][c]
                M[r] = [a - f * b for a, b in zip(M[r], M[c])]
    return [row[k:] for row in M]


def _optimum_krawczyk(cert, checks, X, y, beta, D, blocks, listed):
    n, d = len(X), len(X[0])
    atoms = []
    for j, a in enumerate(_field(cert, "atoms", list, "certificate")):
        group = []
        for t, b in enumerate(_field(a, "blocks", list, f"atoms[{j}]")):
            key = _block_ref(b, f"atoms[{j}].blocks[{t}]", len(D))
            face = _field(b, "face", list, f"atoms[{j}].blocks[{t}]")
            if any(not isinstance(f, int) or not 0 <= f < n for f in face):
                raise CheckFailed(f"atoms[{j}].blocks[{t}]: bad face rows")
            group.append((key, _face_maps(X, D[key[0]], key[1], face)))
        if not group or any(g[1][0] != group[0][1][0] for g in group):
            raise CheckFailed(f"atoms[{j}]: blocks of one atom must share V = M Q")
        atoms.append(group)
    k = len(atoms)
    Vs = [g[0][1][0] for g in atoms]
    W = [[[[sum(Vs[b][t][i] * Vs[c][t][jj] for t in range(n)) for jj in range(d)] for i in range(d)] for c in range(k)] for b in range(k)]
    yt = [[sum(Vs[b][t][i] * y[t] for t in range(n)) for i in range(d)] for b in range(k)]
    N = k * (d + 1)
    center = _vector(_field(cert, "center", list, "certificate"), "center", N)
    radius = _vector(_field(cert, "radius", list, "certificate"), "radius", N)
    Y = [_vector(r, f"Y[{i}]", N) for i, r in enumerate(_field(cert, "Y", list, "certificate"))]
    if len(Y) != N or any(r <= 0 for r in radius):
        raise CheckFailed("Y must be N x N and every radius positive")

    def residual(x):
        z, kap = [x[b * d : (b + 1) * d] for b in range(k)], x[k * d :]
        out = []
        for b in range(k):
            for i in range(d):
                e = z[b][i] - yt[b][i]
                for c in range(k):
                    e = e + kap[c] * sum((W[b][c][i][jj] * z[c][jj] for jj in range(d)), Fraction(0))
                out.append(e)
        for b in range(k):
            out.append(sum(z[b][i] * z[b][i] for i in range(d)) - beta * beta)
        return out

    box = [_Iv(c - r, c + r) for c, r in zip(center, radius)]
    z, kap = [box[b * d : (b + 1) * d] for b in range(k)], box[k * d :]
    J = [[_Iv(Fraction(0)) for _ in range(N)] for _ in range(N)]
    for b in range(k):
        for i in range(d):
            for c in range(k):
                for jj in range(d):
                    J[b * d + i][c * d + jj] = kap[c] * W[b][c][i][jj] + (1 if (b == c and i == jj) else 0)
                J[b * d + i][k * d + c] = _lin_iv(W[b][c][i], z[c])
    for b in range(k):
        for i in range(d):
            J[k * d + b][b * d + i] = z[b][i] * 2
    F = residual(center)
    for i in range(N):
        acc = _Iv(-sum((Y[i][l] * F[l] for l in range(N)), Fraction(0)))
        for j in range(N):
            e = _Iv(Fraction(int(i == j)))
            for l in range(N):
                if Y[i][l]:
                    e = e - J[l][j] * Y[i][l]
            acc = acc + e * _Iv(-radius[j], radius[j])
        if not (-radius[i] < acc.lo and acc.hi < radius[i]):
            raise CheckFailed(f"Krawczyk test fails in coordinate {i}")
    checks.append(f"Krawczyk: exactly one solution of the {N} optimality equations in the box")
    if any(kv.lo <= 0 for kv in kap):
        raise CheckFailed("a weight kappa is not positive on the box")
    nu = [_Iv(y[t]) - sum((kap[b] * _lin_iv([Vs[b][t][i] for i in range(d)], z[b]) for b in range(k)), _Iv(Fraction(0))) for t in range(n)]
    in_atoms = set()
    for j, group in enumerate(atoms):
        for key, (V, Vt, Lam, AV) in group:
            in_atoms.add(key)
            if any(_lin_iv(r, nu).lo < 0 for r in Lam) or any(_lin_iv(r, nu).lo < 0 for r in AV):
                raise CheckFailed(f"atoms[{j}]: block {key} is not provably projected onto its face")
    for i, s in blocks:
        if (i, s) in in_atoms:
            continue
        g = [_lin_iv([s * x[c] if dk else 0 for x, dk in zip(X, D[i])], nu) for c in range(d)]
        b = listed.get((i, s))
        if b is not None and "face" in b:
            face = _field(b, "face", list, "blocks")
            V, Vt, Lam, AV = _face_maps(X, D[i], s, face)
            if any(_lin_iv(r, nu).lo < 0 for r in Lam):
                raise CheckFailed(f"block ({i}, {s}): a face multiplier is not provably >= 0")
            g = [_lin_iv(r, nu) for r in Vt]
        elif b is not None:
            lam = _vector(_field(b, "lambda", list, "blocks"), "lambda", n)
            if any(a < 0 for a in lam):
                raise CheckFailed(f"block ({i}, {s}): negative multiplier")
            A = _cone(X, D[i])
            g = [g[c] + sum((l * A[t][c] for t, l in enumerate(lam) if l), Fraction(0)) for c in range(d)]
        bound = sum((v.sq() for v in g), _Iv(Fraction(0)))
        if bound.hi > beta * beta:
            raise CheckFailed(f"block (pattern {i}, sign {s}) is not provably dual feasible over the box")
    checks.append(f"every other block is dual feasible over the box ({len(blocks)} blocks)")
    value = sum((v * yk for v, yk in zip(nu, y)), _Iv(Fraction(0))) - sum((v.sq() for v in nu), _Iv(Fraction(0))) * Fraction(1, 2)
    lower = _num(_field(cert, "lower", str, "certificate"), "lower")
    upper = _num(_field(cert, "upper", str, "certificate"), "upper")
    if not (lower <= value.lo and value.hi <= upper):
        raise CheckFailed("the claimed value interval does not contain the enclosure of d(nu)")
    checks.append(f"p* in [{_decimal(lower)}, {_decimal(upper)}]")


_CHECKERS = {"reluscape/patterns/1": _check_patterns, "reluscape/optimum/1": _check_optimum}


if __name__ == "__main__":
    sys.exit(main())
