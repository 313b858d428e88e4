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

**Numbers in square-root fields.** The schemas below also accept a number as an object
``{"m": "p/q", ...}``: the sum of ``p/q * sqrt(m)`` over squarefree integers ``1 <= m <= 10^9``
(an element of a real multiquadratic field such as Q(sqrt 2, sqrt 3)). Equality compares the
coefficients (the square roots of distinct squarefree integers are independent over Q) and signs
are decided exactly by squaring (``_Surd``), so no rounding is ever involved. A network is a
list of neurons ``{"sign": s, "a2": a_j^2, "u": |a_j| w_j}`` (``{"sign": 0, "a2": "0", "u": w_j}``
when ``a_j = 0``), which keeps networks such as ``a_j = sqrt(sqrt 2 - 1/2)`` exact.

``reluscape/optimum/2``
    The global optimum of the convex problem (C): ``X, y, beta``, complete ``patterns``,
    ``method`` (``rational``, ``krawczyk`` or ``bracket``) and per block the multipliers that its
    dual bound needs: ``"lambda"``, a list of ``[row, "value"]`` pairs with increasing rows (the
    other rows are 0), or a ``"face"`` (krawczyk). ``reluscape/optimum/1`` is the same with each
    ``lambda`` a dense list of n numbers (still accepted). See the comment above
    :func:`_check_optimum`.
``reluscape/stationary/1``
    ``X, y, beta, neurons`` and per neuron ``weights``: regions adjacent to ``w_j`` (signs and
    a witness ``h``: ``w_j + eps h`` lies in the region) with convex weights. Checked:
    ``beta a_j = nu^T (X w_j)_+`` and ``beta w_j = a_j sum_s mu_s X^T D_s nu``
    (``math/convex_duality.md`` T6.2): theta is Clarke stationary.
``reluscape/kink-stationary/1``
    A ``reluscape/stationary/1`` certificate plus ``neuron`` j (on a kink) and ``violations``:
    every adjacent region of ``w_j`` (complete: Zaslavsky's count of its kink rows) with ``u`` in
    its closed cone and ``sign_j nu^T D_s X u > beta ||u||`` (squares compared). Then no
    restricted convex problem has theta optimal (``math/convex_duality.md`` R6.4 (a)).
``reluscape/local-min/1``
    ``scope`` ``cone`` | ``local`` | ``global``, ``blocks`` per neuron (adjacent region, sign,
    multipliers ``lambda >= 0`` with ``||sign X^T D_s nu + A_s^T lambda||^2 <= beta^2``), and a
    ``dual`` section (every region of X, certified complete, both signs) for ``global`` or for
    ``local`` with a zero neuron. Checked: balance, ``beta a_j = nu^T (X w_j)_+``, every block; for
    ``local`` the regions of each neuron are all its adjacent regions (Zaslavsky's count of its
    kink rows). Optional ``competitor``: a network of at most the same width with a smaller
    value (the minimum is spurious).
``reluscape/descent/1``
    ``neurons`` and a ``direction`` ``{"r", "v"}`` per neuron (``da_j = r a_j``,
    ``dw_j = v / |a_j|``; ``da_j = r``, ``dw_j = v`` when ``a_j = 0``). Checked: the polynomial
    ``F(theta + eps d) - F(theta)`` (exact for small eps > 0) has a negative leading coefficient,
    so theta is not a local minimum. Optional ``clarke``: the complete adjacent regions of the
    moved neurons; then the Clarke derivative ``max_{g in dF(theta)} g.d < 0`` is checked too
    (theta is not Clarke stationary).
``reluscape/region-min/1``
    A minimum strictly inside one region, for irrational points known through an enclosure (the
    rank-one point of [BBEL] Thm 2): a centre, a dual point and a strong-convexity constant give a
    ball around the minimiser strictly inside the region. Optional ``escape`` (with a zero
    neuron it is a saddle) and ``competitor`` (it is spurious).
``reluscape/nonunique/1``
    Two optimal solutions of the regularized convex problem or of minimum-norm interpolation
    (optionally with a free skip connection) with a common dual certificate, whose functions
    differ at ``point``.
``reluscape/vector-optimum/1``
    ``c`` outputs: ``Y`` (n x c), ``Lambda``, per region ``blocks`` multipliers ``N >= 0`` with
    ``beta^2 I - B^T B - A^T N A`` positive semidefinite (``B = Lambda^T D_s X``; none listed: N = 0).
    ``rational``: tight ``atoms`` (pattern, ``p``, ``kappa``) whose fit is ``Y - Lambda`` and zero
    gap; ``bracket``: ``lower <= d(Lambda)`` and ``F(network) <= upper``.
``reluscape/parallel3-optimum/1``
    Parallel three-layer networks with the path regularizer (``math/convex_duality.md`` 9.3, the
    group lasso of 9.1): ``X, y, beta, m1``, complete ``patterns`` and ``nu``. The checker builds
    every block ``(Dp, items, eps)`` itself (see :func:`_parallel3_blocks`); ``blocks`` lists
    multipliers ``lambda >= 0`` (one per cone row) with ``||A^T nu + G^T lambda||^2 <= beta^2``
    (none listed: lambda = 0). ``rational``: ``atoms`` (block, ``p`` in the cone with
    ``||p||^2 = beta^2``, ``kappa >= 0``) with fit ``y - nu`` and zero gap; ``bracket``:
    ``lower <= d(nu)`` and ``primal`` blocks ``z`` in their cones with ``norm >= ||z||``, whose
    objective is ``<= upper``.
``reluscape/bundle/1``
    ``parts``: several certificates about one object (a counterexample), each checked.
``reluscape/region/1``
    A constant activation region ``region`` (per neuron a strict sign vector of X and an output
    sign) and ``contains_global``. If true: ``optimum``, a ``reluscape/local-min/1`` certificate
    of scope ``global`` on the same data whose network lies in the closed region. If false:
    ``gap`` with a dual point ``nu`` bounded on every block of the region (multipliers
    ``lambda``), so ``CP(A) >= d(nu)``, and ``primal`` blocks ``{"sign", "u"}`` whose network
    ``(u / sqrt||u||, sign sqrt||u||)`` has value ``G >= p*`` (square roots bounded above);
    checked ``d(nu) > G``. Optional ``spurious``: a ``reluscape/local-min/1`` of scope
    ``local`` for a network in the closed region, whose value exceeds ``G``.

Exit status of ``python checker.py CERT.json``: 0 when every check holds, 1 when one fails
(its message names it), 2 when the file cannot be read as a certificate.
"""

import json
import sys
from fractions import Fraction
from itertools import combinations
from math import comb, gcd, lcm
from operator import mul

__all__ = ["CheckResult", "check_certificate", "check_file", "main", "zaslavsky_count"]

#: Limits on what the checker accepts; larger certificates are refused, not attempted. To
#: raise one, edit it here (or set ``checker.MAX_... = ...`` before calling it from Python).
MAX_BYTES = 256 * 2**20  # size of a certificate file
MAX_DIGITS = 4000  # characters of one number "p/q" (below Python's 4300-digit int parsing limit)
MAX_DEPTH = 64  # nesting of lists and objects
MAX_RANKS = 10**6  # exact rank computations of one completeness check (Cover, Zaslavsky)
MAX_ROOTS = 64  # distinct square roots sqrt(m) in one certificate
MAX_ROOT_PRIMES = 6  # distinct primes under those square roots (sign tests cost 3^primes)
MAX_BLOCKS = 10**5  # group-lasso blocks of one parallel3-optimum certificate


class CheckFailed(Exception):
    """A check that does not hold, or a malformed certificate."""


class CheckResult:
    """Outcome of checking one certificate: ``ok``, the checks done, the first failure."""

    def __init__(self, ok, schema, checks, failure=None):
        schema = schema if isinstance(schema, str) else None  # None: not a certificate at all
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
        roots = set()
        _scan(cert, 0, roots)
        _check_roots(roots)
        if not isinstance(schema, str) or schema not in _CHECKERS:
            raise CheckFailed(f"unknown schema {str(schema)[:60]!r}; known: {', '.join(sorted(_CHECKERS))}")
        _CHECKERS[schema](cert, checks)
    except CheckFailed as err:
        return CheckResult(False, schema, checks, str(err))
    except RecursionError:
        return CheckResult(False, schema, checks, "certificate nested too deeply")
    except (TypeError, LookupError, ValueError, ArithmeticError, AttributeError) as err:
        # a malformed certificate that no check above named: rejected, never a traceback
        return CheckResult(False, schema, checks, f"internal error on a malformed certificate: {type(err).__name__}")
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
        cert = json.loads(raw.decode("utf-8"), object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except UnicodeDecodeError:
        return CheckResult(False, None, [], "file is not UTF-8 text")
    except CheckFailed as err:
        return CheckResult(False, None, [], f"file is not a certificate: {err}")
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


def _unique_keys(pairs):
    """A JSON object whose keys are distinct (a repeated key would hide one of its values)."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen = [k for i, (k, _) in enumerate(pairs) if k in dict(pairs[:i])]
        raise CheckFailed(f"key {seen[0][:40]!r} appears twice in one object")
    return obj


def _no_constant(name):
    raise CheckFailed(f"{name} is not a number (numbers are strings 'p/q')")


def _scan(obj, level, roots):
    """Refuse nesting beyond MAX_DEPTH; collect the square-root keys (all-digit object keys)."""
    if level > MAX_DEPTH:
        raise CheckFailed(f"certificate nested deeper than {MAX_DEPTH} levels (checker.MAX_DEPTH)")
    if isinstance(obj, dict):
        roots.update(k for k in obj if isinstance(k, str) and k.isdigit() and k.isascii() and len(k) <= 10)
        for v in obj.values():
            _scan(v, level + 1, roots)
    elif isinstance(obj, list):
        for v in obj:
            _scan(v, level + 1, roots)


def _check_roots(roots):
    """At most MAX_ROOTS square roots over at most MAX_ROOT_PRIMES primes (the field's size)."""
    if len(roots) > MAX_ROOTS:
        raise CheckFailed(f"{len(roots)} distinct square roots, more than {MAX_ROOTS} (checker.MAX_ROOTS)")
    primes = {p for k in roots if 0 < int(k) <= 10**9 for p in _primes(int(k))}
    if len(primes) > MAX_ROOT_PRIMES:
        raise CheckFailed(
            f"square roots over {len(primes)} primes, more than {MAX_ROOT_PRIMES} (checker.MAX_ROOT_PRIMES)"
        )


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
    return [_ZERO if a == "0" else _num(a, f"{where}[{i}]") for i, a in enumerate(v)]


_ZERO = Fraction(0)


def _matrix(M, where):
    if not isinstance(M, list) or not M:
        raise CheckFailed(f"{where}: expected a non-empty list of rows")
    first = M[0] if isinstance(M[0], list) else None
    if not first:
        raise CheckFailed(f"{where}[0]: expected a non-empty row")
    return [_vector(r, f"{where}[{k}]", len(first)) for k, r in enumerate(M)]


def _sign(a):
    return (a > 0) - (a < 0)


_SIGN = {"+": 1, "-": -1, "0": 0}


def _integral(v):
    """``(ints, q)`` with ``v = ints / q``, ``q`` the least common denominator (``q > 0``)."""
    q = lcm(*(a.denominator for a in v)) if v else 1
    return [a.numerator * (q // a.denominator) for a in v], q


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
    rows = [_integral(r)[0] for r in X]  # positive multiples: the same signs
    seen = set()
    for i, p in enumerate(pats):
        where = f"patterns[{i}]"
        signs = _field(p, "signs", str, where)
        if len(signs) != n or any(c not in "+-0" for c in signs):
            raise CheckFailed(f"{where}.signs: expected {n} characters from '+', '-', '0'")
        h = _integral(_vector(_field(p, "witness", list, where), f"{where}.witness", d))[0]
        for k, (row, c) in enumerate(zip(rows, signs)):
            want = _SIGN[c]
            if (want == 0) != zero[k]:
                raise CheckFailed(f"{where}: sign of row {k} is '{c}' but row {k} is {'' if zero[k] else 'not '}zero")
            got = _sign(sum(map(mul, row, h)))
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
    if comb(n, size) > MAX_RANKS:
        raise CheckFailed(
            f"general position of {n} rows of rank {r} needs C({n}, {size}) = {comb(n, size)} minors, more than "
            f"{MAX_RANKS} (checker.MAX_RANKS; raise it at the top of checker.py)"
        )
    for sub in combinations(range(n), size):
        if _rank([rows[i] for i in sub]) < size:
            raise CheckFailed(f"rows {list(sub)} are dependent: not in general position, use 'zaslavsky'")
    return 2 ** n if n <= r else 2 * sum(comb(n - 1, k) for k in range(r))


def zaslavsky_count(rows):
    """Number of regions of the central arrangement of the rows' hyperplanes (Zaslavsky 1975):
    the sum of ``|mu(0, F)|`` over its lattice of flats, recomputed over Q.

    A flat of rank r + 1 is the span of a flat of rank r and one more normal; it is named by the
    reduced row-echelon form of its span (unique), so each (flat, normal) pair costs one
    reduction, and its hyperplanes are the union over the pairs that name it. The top flat
    (all hyperplanes, rank of the rows) gets mu = -(sum of the others).

    Raises :class:`CheckFailed` after :data:`MAX_RANKS` reductions."""
    budget = [MAX_RANKS]

    def extend(basis, v):
        """The echelon form of span(basis, v) (pivot, normalized row), or None if v is in it."""
        budget[0] -= 1
        if budget[0] < 0:
            raise CheckFailed(
                f"Zaslavsky's count of {len(rows)} rows needs more than {MAX_RANKS} rank computations "
                "(checker.MAX_RANKS; raise it at the top of checker.py)"
            )
        for p, b in basis:
            if v[p]:
                v = [a - v[p] * c for a, c in zip(v, b)]
        piv = next((c for c, a in enumerate(v) if a), None)
        if piv is None:
            return None
        v = [a / v[piv] for a in v]
        return sorted([(p, [a - b[piv] * c for a, c in zip(b, v)] if b[piv] else b) for p, b in basis] + [(piv, v)])

    def key(basis):
        return tuple(tuple(b) for _, b in basis)

    normals, top = {}, []
    for r in rows:  # one normal per hyperplane (parallel rows share one)
        b = extend([], list(r))
        if b is not None:
            normals.setdefault(key(b), b)
            top = extend(top, list(r)) or top
    H = [b[0][1] for b in normals.values()]
    n, R = len(H), len(top)
    if n == 0:
        return 1
    layers = [{(): (frozenset(), [])}]
    for _ in range(R - 1):  # flats of rank 1 .. R - 1
        nxt = {}
        for members, basis in layers[-1].values():
            for i in range(n):
                if i not in members:
                    b = extend(basis, H[i])
                    entry = nxt.setdefault(key(b), [set(), b])
                    entry[0] |= members | {i}
        layers.append({k: (frozenset(m), b) for k, (m, b) in nxt.items()})
    mu, below = {frozenset(): 1}, [frozenset()]
    for layer in layers[1:]:
        for members, _ in layer.values():
            mu[members] = -sum(mu[F] for F in below if F < members)
        below += [members for members, _ in layer.values()]
    mu[frozenset(range(n))] = -sum(mu.values())
    return sum(abs(m) for m in mu.values())


# ---------------------------------------------------------------------------------------------
# reluscape/optimum/2 (and /1, where each lambda is a dense list)
#
# The convex problem (C): blocks (s, sigma) with M = sigma D_s X, A_s = diag(2 D_s - 1) X.
# Dual feasibility of nu: for every block, ||g + A^T lam||^2 <= beta^2 with g = M^T nu and
# some lam >= 0 (then max over K_s of g.u is <= beta). Gap identity: a feasible nu with
# y - nu = sum_b kappa_b M_b p_b, ||p_b|| = beta, p_b the projection, kappa >= 0, is optimal.
# Method krawczyk with "linear": the system also has a free linear term X w and the equations
# X^T nu = 0; "complements" lists blocks (I - D, s) tight with an atom block (D, s), and
# "basis"/"weights" absorb X w into the atoms (see _linear_part).


def _check_optimum(cert, checks):
    sparse = cert.get("schema") != "reluscape/optimum/1"
    X = _matrix(_field(cert, "X", list, "certificate"), "X")
    n, d = len(X), len(X[0])
    y = _vector(_field(cert, "y", list, "certificate"), "y", n)
    beta = _num(_field(cert, "beta", str, "certificate"), "beta")
    if beta <= 0:
        raise CheckFailed("beta must be > 0")
    pats = _field(cert, "patterns", dict, "certificate")
    if pats.get("schema") != "reluscape/patterns/1":
        raise CheckFailed("patterns: expected a reluscape/patterns/1 certificate")
    if _matrix(_field(pats, "X", list, "patterns"), "patterns.X") != X:
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
        if "lambda" in b:
            b = {**b, "lambda": _multipliers(b, f"blocks[{j}]", n, sparse)}
        listed[key] = b
    if method == "rational":
        _optimum_rational(cert, checks, X, y, beta, D, blocks, listed)
    elif method == "bracket":
        _optimum_bracket(cert, checks, X, y, beta, D, blocks, listed)
    elif method == "krawczyk":
        _optimum_krawczyk(cert, checks, X, y, beta, D, blocks, listed)
    else:
        raise CheckFailed(f"method: unknown method {method!r} (rational, bracket, krawczyk)")


def _multipliers(b, where, n, sparse):
    """A block's multipliers as ``(row, value)`` pairs of its non-zero entries (rows increasing,
    values >= 0), from ``[row, value]`` pairs (``sparse``, optimum/2) or a list of n numbers
    (optimum/1)."""
    lam = _field(b, "lambda", list, where)
    if not sparse:
        out = list(enumerate(_vector(lam, f"{where} lambda", n)))
    else:
        out, last = [], -1
        for t, e in enumerate(lam):
            if not (isinstance(e, list) and len(e) == 2 and type(e[0]) is int):
                raise CheckFailed(f"{where} lambda[{t}]: expected a [row, value] pair")
            if not last < e[0] < n:
                raise CheckFailed(f"{where} lambda[{t}]: rows must increase, within 0..{n - 1}")
            last = e[0]
            out.append((last, _num(e[1], f"{where} lambda[{t}]")))
    if any(v < 0 for _, v in out):
        raise CheckFailed(f"{where}: negative multiplier")
    return [(k, v) for k, v in out if v]


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
            lam = _field(listed[(i, s)], "lambda", list, where)  # (row, value) pairs, values > 0
            g = [gc + sum(l * A[k][c] for k, l in lam) for c, gc in enumerate(g)]
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
        if any(v < 0 for v in Ap) or any(Ap[k] != 0 for k, _ in lam):
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
        raise CheckFailed(f"values differ: claimed {_show(value)}, dual {_show(dual)}, primal {_show(primal)}")
    checks.append(f"zero duality gap: p* = d(nu*) = {_show(value)}")


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
    if whole.bit_length() > 3 * MAX_DIGITS:  # too long to print (and to convert to text)
        return f"{sign}(a number of {whole.bit_length()} bits)"
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
    """The interval of ``sum_k c_k v_k`` (exact endpoints, rounded outward once)."""
    lo = hi = _ZERO
    for c, x in zip(coeffs, v):
        if c > 0:
            lo, hi = lo + c * x.lo, hi + c * x.hi
        elif c < 0:
            lo, hi = lo + c * x.hi, hi + c * x.lo
    return _Iv(lo, hi)


def _face_maps(X, Dk, s, face):
    """For block (D, s) and independent face rows B: V = M Q with Q the projector onto
    {A_B u = 0}, V^T, the map nu -> lam_B = -(A_B A_B^T)^-1 A_B M^T nu, and (A, rows i with
    A_i Q = 0): A V^T nu = A z is then 0 on those rows, and A_i z on the others."""
    n, d = len(X), len(X[0])
    M = [[s * a if dk else Fraction(0) for a in x] for x, dk in zip(X, Dk)]
    A = _cone(X, Dk)
    B = [A[i] for i in face]
    if B and _rank(B) != len(B):
        raise CheckFailed(f"face rows {face} are not independent")
    Ginv = _inv([[_dot(r1, r2) for r2 in B] for r1 in B]) if B else []
    T = [[sum(Ginv[i][j] * B[j][c] for j in range(len(B))) for c in range(d)] for i in range(len(B))]
    Q = [[Fraction(int(r == c)) - sum(B[i][r] * T[i][c] for i in range(len(B))) for c in range(d)] for r in range(d)]
    zero = [_ZERO] * d  # rows outside D: zero rows of M, V and of the multiplier map
    V = [[sum(m[t] * Q[t][c] for t in range(d)) for c in range(d)] if dk else zero for m, dk in zip(M, Dk)]
    Vt = [[V[k][c] for k in range(n)] for c in range(d)]
    Lam = [[-sum(T[i][c] * M[k][c] for c in range(d)) if Dk[k] else _ZERO for k in range(n)] for i in range(len(B))]
    flat = {i for i, row in enumerate(A) if not any(sum(row[t] * Q[t][c] for t in range(d)) for c in range(d))}
    return V, Vt, Lam, (A, flat)


def _on_face(maps, nu):
    """Whether the face conditions hold for every nu in the box: lam_B >= 0 and A V^T nu >= 0."""
    _, Vt, Lam, (A, flat) = maps
    z = [_lin_iv(r, nu) for r in Vt]
    return all(_lin_iv(r, nu).lo >= 0 for r in Lam) and all(_lin_iv(row, z).lo >= 0 for i, row in enumerate(A) if i not in flat)


def _krawczyk_fails(Y, J, F, radius, bits=200):
    """The first coordinate where the Krawczyk image ``-Y F + (I - Y J)[-r, r]`` leaves the open
    box ``(-r, r)`` (``None`` if none does). Y is replaced by its rounding to multiples of
    ``2^-bits`` (any matrix is a valid preconditioner), J's intervals are rounded outward, and
    ``|I - Y J|`` is bounded by ``|I - Y mid J| + |Y| rad J`` in exact integer arithmetic."""
    N, S = len(Y), 1 << bits
    Yi = [[(a.numerator * S) // a.denominator for a in row] for row in Y]
    lo = [[(e.lo.numerator * S) // e.lo.denominator for e in row] for row in J]
    hi = [[-((-e.hi.numerator * S) // e.hi.denominator) for e in row] for row in J]
    mid2 = [list(col) for col in zip(*[[a + b for a, b in zip(r1, r2)] for r1, r2 in zip(lo, hi)])]  # columns of 2 S mid
    rad2 = [[b - a for a, b in zip(r1, r2)] for r1, r2 in zip(lo, hi)]
    # sum_j (|Y| rad2)_ij r_j = (|Y| (rad2 r))_i: a matrix-vector product
    rad_r = [sum((a * r for a, r in zip(row, radius) if a), Fraction(0)) for row in rad2]
    f_lo = [(f.numerator * S) // f.denominator for f in F]  # F in [f_lo, f_hi] / S
    f_mid2 = [a - (-f.numerator * S) // f.denominator for a, f in zip(f_lo, F)]
    f_rad2 = [-(-f.numerator * S) // f.denominator - a for a, f in zip(f_lo, F)]
    for i in range(N):
        row = Yi[i]
        e_mid = [(S * S * 2 if i == j else 0) - sum(map(mul, row, col)) for j, col in enumerate(mid2)]
        spread = sum((abs(e) * r for e, r in zip(e_mid, radius) if e), Fraction(0))
        spread += sum((abs(a) * v for a, v in zip(row, rad_r) if a), Fraction(0))
        center = Fraction(abs(sum(map(mul, row, f_mid2))) + sum(map(mul, map(abs, row), f_rad2)), 2 * S * S)
        if center + spread / (2 * S * S) >= radius[i]:
            return i
    return None


class _BoxBound:
    """Decides ``||sigma X^T D nu + A^T lam|| < beta`` for every ``nu`` in a box of intervals, in
    integer arithmetic: the centre is rounded to multiples of ``2^-bits`` (the radius grows by
    the rounding), ``||X^T D (nu - c)|| <= max_k r_k sum_{k in D} ||x_k||_1``, and the squares
    are compared exactly."""

    def __init__(self, X, nu, bits=200):
        self.X, S = X, 1 << bits
        q = lcm(*(a.denominator for row in X for a in row))
        self.scale = q * S
        C = [((v.lo + v.hi) * S).__floor__() // 2 for v in nu]
        radius = max((max(v.hi - Fraction(c, S), Fraction(c, S) - v.lo) for v, c in zip(nu, C)), default=Fraction(0))
        self.R = radius / q
        self.Z = [[c * int(a * q) for a in row] for c, row in zip(C, X)]  # c_k x_k scaled by q S
        self.l1 = [sum(abs(int(a * q)) for a in row) for row in X]

    def below(self, Dk, s, lam, beta):
        d = len(self.X[0])
        g = [0] * d
        lip = 0
        for z, l1, dk in zip(self.Z, self.l1, Dk):
            if dk:
                g = [a + b for a, b in zip(g, z)]
                lip += l1
        slack = beta - self.R * lip
        if slack <= 0:
            return False
        v = [Fraction(s * a, self.scale) for a in g]
        for t, l in lam:  # (row, value) pairs
            c = l if Dk[t] else -l
            v = [a + c * x for a, x in zip(v, self.X[t])]
        return sum(a * a for a in v) < slack * slack


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
            group.append((key, _face_maps(X, D[key[0]], key[1], face), face))
        if not group or any(g[1][0] != group[0][1][0] for g in group):
            raise CheckFailed(f"atoms[{j}]: blocks of one atom must share V = M Q")
        atoms.append(group)
    k = len(atoms)
    Vs = [g[0][1][0] for g in atoms]
    cols = []  # each V_b as integer columns over one denominator: V^T V in integer dot products
    for V in Vs:
        ints, q = _integral([a for row in V for a in row])
        cols.append(([ints[i::d] for i in range(d)], q))
    W = [[[[Fraction(sum(map(mul, cb[i], cc[jj])), qb * qc) for jj in range(d)] for i in range(d)] for cc, qc in cols] for cb, qb in cols]
    yt = [[sum(Vs[b][t][i] * y[t] for t in range(n)) for i in range(d)] for b in range(k)]
    linear = cert.get("linear")
    if linear is not None and not isinstance(linear, dict):
        raise CheckFailed("linear: expected an object")
    L = d if linear is not None else 0  # the free linear term X w and the equations X^T nu = 0
    P = [[[sum(Vs[b][t][i] * X[t][jj] for t in range(n)) for jj in range(d)] for i in range(d)] for b in range(k)]
    S = [[sum(X[t][i] * X[t][jj] for t in range(n)) for jj in range(d)] for i in range(d)]
    N = k * (d + 1) + L
    center = _vector(_field(cert, "center", list, "certificate"), "center", N)
    radius = _vector(_field(cert, "radius", list, "certificate"), "radius", N)
    Y = [_vector(r, f"Y[{i}]", N) for i, r in enumerate(_field(cert, "Y", list, "certificate"))]
    if len(Y) != N or any(r <= 0 for r in radius):
        raise CheckFailed("Y must be N x N and every radius positive")

    def residual(x):
        z, kap, w = [x[b * d : (b + 1) * d] for b in range(k)], x[k * d : k * d + k], x[k * d + k :]
        out = []
        for b in range(k):
            for i in range(d):
                e = z[b][i] - yt[b][i] + sum((P[b][i][jj] * w[jj] for jj in range(L)), Fraction(0))
                for c in range(k):
                    e = e + kap[c] * sum((W[b][c][i][jj] * z[c][jj] for jj in range(d)), Fraction(0))
                out.append(e)
        for b in range(k):
            out.append(sum(z[b][i] * z[b][i] for i in range(d)) - beta * beta)
        for i in range(L):
            e = sum((S[i][jj] * w[jj] for jj in range(d)), Fraction(0)) - sum((X[t][i] * y[t] for t in range(n)), Fraction(0))
            out.append(e + sum((kap[c] * sum((P[c][jj][i] * z[c][jj] for jj in range(d)), Fraction(0)) for c in range(k)), Fraction(0)))
        return out

    box = [_Iv(c - r, c + r) for c, r in zip(center, radius)]
    z, kap, w = [box[b * d : (b + 1) * d] for b in range(k)], box[k * d : k * d + k], box[k * d + k :]
    J = [[_Iv(Fraction(0)) for _ in range(N)] for _ in range(N)]
    for b in range(k):
        for i in range(d):
            for c in range(k):
                for jj in range(d):
                    J[b * d + i][c * d + jj] = kap[c] * W[b][c][i][jj] + (1 if (b == c and i == jj) else 0)
                J[b * d + i][k * d + c] = _lin_iv(W[b][c][i], z[c])
            for jj in range(L):
                J[b * d + i][k * (d + 1) + jj] = _Iv(P[b][i][jj])
    for b in range(k):
        for i in range(d):
            J[k * d + b][b * d + i] = z[b][i] * 2
    for i in range(L):
        for c in range(k):
            for jj in range(d):
                J[k * (d + 1) + i][c * d + jj] = kap[c] * P[c][jj][i]
            J[k * (d + 1) + i][k * d + c] = _lin_iv([P[c][jj][i] for jj in range(d)], z[c])
        for jj in range(d):
            J[k * (d + 1) + i][k * (d + 1) + jj] = _Iv(S[i][jj])
    bad = _krawczyk_fails(Y, J, residual(center), radius)
    if bad is not None:
        raise CheckFailed(f"Krawczyk test fails in coordinate {bad}")
    checks.append(f"Krawczyk: exactly one solution of the {N} optimality equations in the box")
    if any(kv.lo <= 0 for kv in kap):
        raise CheckFailed("a weight kappa is not positive on the box")
    nu = [
        _Iv(y[t])
        - sum((kap[b] * _lin_iv([Vs[b][t][i] for i in range(d)], z[b]) for b in range(k)), _Iv(Fraction(0)))
        - _lin_iv(X[t][:L], w)
        for t in range(n)
    ]
    in_atoms = set()
    for j, group in enumerate(atoms):
        for key, maps, _ in group:
            in_atoms.add(key)
            if not _on_face(maps, nu):
                raise CheckFailed(f"atoms[{j}]: block {key} is not provably projected onto its face")
    if linear is not None:
        in_atoms |= _linear_part(linear, X, D, atoms, z, kap, w, nu, checks)
    box_bound = _BoxBound(X, nu)
    for i, s in blocks:
        if (i, s) in in_atoms:
            continue
        b = listed.get((i, s))
        if b is not None and "face" in b:
            face = _field(b, "face", list, "blocks")
            V, Vt, Lam, _ = _face_maps(X, D[i], s, face)
            if any(_lin_iv(r, nu).lo < 0 for r in Lam):
                raise CheckFailed(f"block ({i}, {s}): a face multiplier is not provably >= 0")
            ok = sum((_lin_iv(r, nu).sq() for r in Vt), _Iv(Fraction(0))).hi <= beta * beta
        else:
            lam = [] if b is None else _field(b, "lambda", list, "blocks")
            ok = box_bound.below(D[i], s, lam, beta)
        if not ok:
            raise CheckFailed(f"block (pattern {i}, sign {s}) is not provably dual feasible over the box")
    checks.append(f"every other block is dual feasible over the box ({len(blocks)} blocks)")
    value = sum((v * yk for v, yk in zip(nu, y)), _Iv(Fraction(0))) - sum((v.sq() for v in nu), _Iv(Fraction(0))) * Fraction(1, 2)
    lower = _num(_field(cert, "lower", str, "certificate"), "lower")
    upper = _num(_field(cert, "upper", str, "certificate"), "upper")
    if not (lower <= value.lo and value.hi <= upper):
        raise CheckFailed("the claimed value interval does not contain the enclosure of d(nu)")
    checks.append(f"p* in [{_decimal(lower)}, {_decimal(upper)}]")


def _linear_part(linear, X, D, atoms, z, kap, w, nu, checks):
    """The system with a free linear term X w: X^T nu = 0 holds exactly at its solution, so the
    complement (I - D, s) of an atom block (D, s) (0 on zero rows, as in every pattern), on the
    same face, has V'^T nu = -V^T nu and is tight if its face conditions hold; and X w is
    absorbed: weights 0 <= s_b <= kappa_b with sum_b s_b sign_b z_b = -w (given off a basis,
    solved on it by Cramer's rule) let each atom keep kappa_b - s_b and its complement take s_b,
    a primal of the original problem with the same value."""
    n, d, k = len(X), len(X[0]), len(atoms)
    antipodal = [1 if any(x) else 0 for x in X]  # D + D' on each row: zero rows are 0 in every pattern
    done = set()
    for j, c in enumerate(_field(linear, "complements", list, "linear")):
        i, s = _block_ref(c, f"linear.complements[{j}]", len(D))
        a = _field(c, "atom", int, f"linear.complements[{j}]")
        face = _field(c, "face", list, f"linear.complements[{j}]")
        if not 0 <= a < k or not any(
            key[1] == s and all(D[key[0]][t] + D[i][t] == antipodal[t] for t in range(n)) and f == face for key, _, f in atoms[a]
        ):
            raise CheckFailed(f"linear.complements[{j}]: not the complement of a block of atom {a} on its face")
        if not _on_face(_face_maps(X, D[i], s, face), nu):
            raise CheckFailed(f"linear.complements[{j}]: block ({i}, {s}) is not provably projected onto its face")
        done.add((i, s))
    sz = [[v * atoms[b][0][0][1] for v in z[b]] for b in range(k)]
    basis = _field(linear, "basis", list, "linear")
    given = [
        (_field(e, "atom", int, f"linear.weights[{j}]"), _num(_field(e, "s", str, f"linear.weights[{j}]"), f"linear.weights[{j}].s"))
        for j, e in enumerate(_field(linear, "weights", list, "linear"))
    ]
    if any(not isinstance(b, int) for b in basis) or sorted(basis + [b for b, _ in given]) != list(range(k)) or len(basis) != d:
        raise CheckFailed("linear: the basis (d atoms) and the given weights must cover every atom once")
    rhs = [-v for v in w]
    for b, sb in given:
        if sb < 0 or sb > kap[b].lo:
            raise CheckFailed(f"linear: the weight of atom {b} is not in [0, kappa]")
        rhs = [r - v * sb for r, v in zip(rhs, sz[b])]
    Z = [[sz[b][i] for b in basis] for i in range(d)]
    det = _det_iv(Z)
    if det.lo <= 0 <= det.hi:
        raise CheckFailed("linear: the basis directions are not provably independent")
    for j, b in enumerate(basis):
        num = _det_iv([[rhs[i] if c == j else Z[i][c] for c in range(d)] for i in range(d)])
        q = [a / c for a in (num.lo, num.hi) for c in (det.lo, det.hi)]
        if min(q) < 0 or max(q) > kap[b].lo:
            raise CheckFailed(f"linear: the weight of basis atom {b} is not provably in [0, kappa]")
    checks.append(f"X^T nu = 0 at the solution: {len(done)} complement blocks tight; X w absorbed by the atoms")
    return done


def _det_iv(M):
    if len(M) == 1:
        return M[0][0]
    total = _Iv(Fraction(0))
    for c in range(len(M)):
        term = M[0][c] * _det_iv([row[:c] + row[c + 1 :] for row in M[1:]])
        total = total + term if c % 2 == 0 else total - term
    return total


# ---------------------------------------------------------------------------------------------
# reluscape/critical-widths/1: the tight atoms are recomputed from a rational optimum, the
# vertices of {gamma >= 0 : sum gamma_a col_a = y - nu} enumerated over all subsets.


def _check_widths(cert, checks):
    opt = _field(cert, "optimum", dict, "certificate")
    if opt.get("schema") not in ("reluscape/optimum/1", "reluscape/optimum/2") or opt.get("method") != "rational":
        raise CheckFailed("optimum: the critical widths need a rational optimum certificate")
    _check_optimum(opt, checks)
    X = _matrix(opt["X"], "X")
    n, d = len(X), len(X[0])
    y, beta, nu = _vector(opt["y"], "y", n), _num(opt["beta"], "beta"), _vector(opt["nu"], "nu", n)
    D = [tuple(1 if c == "+" else 0 for c in p["signs"]) for p in opt["patterns"]["patterns"]]
    atoms = {}
    for j, b in enumerate(opt["blocks"]):
        i, s = b["pattern"], b["sign"]
        A = _cone(X, D[i])
        lam = _multipliers(b, f"optimum.blocks[{j}]", n, opt["schema"] != "reluscape/optimum/1")
        p = [gc + sum(l * A[k][c] for k, l in lam) for c, gc in enumerate(_g(X, D[i], s, nu))]
        if _dot(p, p) != beta * beta:
            continue  # strictly feasible: not tight
        Ap = [_dot(row, p) for row in A]
        if any(v < 0 for v in Ap) or any(Ap[k] != 0 for k, _ in lam):
            raise CheckFailed(f"optimum.blocks[{j}]: bound equals beta^2 but is not the projection: tightness undecided")
        w = tuple(c / beta for c in p)
        atoms[(s, w)] = tuple(s * max(_dot(x, w), Fraction(0)) for x in X)
    keys = sorted(atoms)
    target = [a - b for a, b in zip(y, nu)]
    if len(keys) > 20:
        raise CheckFailed("more than 20 tight atoms: vertex enumeration refused")
    vertices = set()
    for mask in range(1, 1 << len(keys)):
        S = [keys[i] for i in range(len(keys)) if mask >> i & 1]
        cols = [atoms[a] for a in S]
        G = [[_dot(c1, c2) for c2 in cols] for c1 in cols]
        if _rank(cols) < len(cols):
            continue
        g = _solve_sq(G, [_dot(c, target) for c in cols])
        if all(v > 0 for v in g) and [sum(gi * c[t] for gi, c in zip(g, cols)) for t in range(n)] == target:
            vertices.add(frozenset(S))
    if not vertices:
        raise CheckFailed("the optimal polytope has no vertex")
    sizes = [len(S) for S in vertices]
    listed = []
    for i, v in enumerate(_field(cert, "vertices", list, "certificate")):
        atoms = _field(v, "atoms", list, f"vertices[{i}]")
        where = f"vertices[{i}].atoms"
        vertex = {(_field(a, "sign", int, where), tuple(_vector(_field(a, "direction", list, where), where, d))) for a in atoms}
        if len(vertex) != len(atoms):
            raise CheckFailed(f"{where}: an atom is listed twice")
        listed.append(frozenset(vertex))
    claimed = set(listed)
    if len(claimed) != len(listed) or claimed != vertices:
        raise CheckFailed(f"the certificate lists {len(listed)} vertices, the checker finds {len(vertices)}")
    if (cert.get("m_star"), cert.get("M_star")) != (min(sizes), max(sizes)):
        raise CheckFailed(f"m*, M* are {min(sizes)}, {max(sizes)}, not as claimed")
    checks.append(f"{len(keys)} tight atoms, {len(vertices)} vertices: m* = {min(sizes)}, M* = {max(sizes)}")


def _solve_sq(G, b):
    Ginv = _inv(G)
    return [sum(a * c for a, c in zip(row, b)) for row in Ginv]


# ---------------------------------------------------------------------------------------------
# numbers in real multiquadratic fields: {"m": "p/q", ...} is sum of c_m sqrt(m), m squarefree


class _Surd:
    """An irrational sum of c_m sqrt(m) (squarefree m, rational c_m); rational results are Fractions.

    Equality compares coefficients (square roots of distinct squarefree integers are linearly
    independent over Q); the sign splits off the largest prime p, x = A + B sqrt(p), and
    compares A^2 with p B^2 when A and B have opposite signs."""

    __slots__ = ("t",)

    def __init__(self, t):
        self.t = t

    def __add__(self, o):
        return _smake(_sadd(self.t, _st(o)))

    __radd__ = __add__

    def __neg__(self):
        return _smake({m: -c for m, c in self.t.items()})

    def __sub__(self, o):
        return self + (-o)

    def __rsub__(self, o):
        return (-self) + o

    def __mul__(self, o):
        return _smake(_smul(self.t, _st(o)))

    __rmul__ = __mul__

    def __truediv__(self, o):
        return _smake(_smul(self.t, _sinv(_st(o))))

    def __rtruediv__(self, o):
        return _smake(_smul(_st(o), _sinv(self.t)))

    def __eq__(self, o):
        return isinstance(o, (_Surd, Fraction, int)) and self.t == _st(o)

    def __hash__(self):
        return hash(frozenset(self.t.items()))

    def __bool__(self):
        return True

    def __lt__(self, o):
        return _sg(self - o) < 0

    def __le__(self, o):
        return _sg(self - o) <= 0

    def __gt__(self, o):
        return _sg(self - o) > 0

    def __ge__(self, o):
        return _sg(self - o) >= 0


def _st(x):
    if isinstance(x, _Surd):
        return x.t
    return {1: Fraction(x)} if x else {}


def _smake(t):
    t = {m: c for m, c in t.items() if c}
    if not t:
        return Fraction(0)
    return t[1] if list(t) == [1] else _Surd(t)


def _sadd(s, t):
    out = dict(s)
    for m, c in t.items():
        out[m] = out.get(m, 0) + c
    return {m: c for m, c in out.items() if c}


def _smul(s, t):
    out = {}
    for m1, c1 in s.items():
        for m2, c2 in t.items():
            g = gcd(m1, m2)
            m = (m1 // g) * (m2 // g)
            out[m] = out.get(m, 0) + c1 * c2 * g
    return {m: c for m, c in out.items() if c}


def _primes(m):
    out, p = [], 2
    while p * p <= m:
        if m % p == 0:
            out.append(p)
            m //= p
        p += 1
    return out + ([m] if m > 1 else [])


def _ssplit(t):
    """(A, B, p) with t = A + B sqrt(p), p the largest prime involved (None when rational)."""
    primes = [p for m in t for p in _primes(m)]
    if not primes:
        return t, {}, None
    p = max(primes)
    return {m: c for m, c in t.items() if m % p}, {m // p: c for m, c in t.items() if m % p == 0}, p


def _ssign(t):
    A, B, p = _ssplit(t)
    if p is None:
        c = t.get(1, 0)
        return (c > 0) - (c < 0)
    sa, sb = _ssign(A), _ssign(B)
    if sb == 0 or sa == sb:
        return sa
    if sa == 0:
        return sb
    return sa * _ssign(_sadd(_smul(A, A), {m: -p * c for m, c in _smul(B, B).items()}))


def _sinv(t):
    if not t:
        raise CheckFailed("division by zero")
    A, B, p = _ssplit(t)
    if p is None:
        return {1: 1 / t[1]}
    norm = _sadd(_smul(A, A), {m: -p * c for m, c in _smul(B, B).items()})
    return _smul(_sadd(A, {m * p: -c for m, c in B.items()}), _sinv(norm))


def _sg(x):
    """The exact sign of a Fraction or a _Surd."""
    return _ssign(x.t) if isinstance(x, _Surd) else (x > 0) - (x < 0)


def _knum(x, where):
    """A number: 'p/q', or {"m": "p/q", ...} (m a squarefree integer, at most 10^9)."""
    if not isinstance(x, dict):
        return _num(x, where)
    if not x:
        raise CheckFailed(f"{where}: an empty square-root sum (write zero as \"0\")")
    t = {}
    for key, c in x.items():
        if not (key.isdigit() and key.isascii() and 0 < int(key) <= 10**9):
            raise CheckFailed(f"{where}: square-root key {key[:20]!r} is not an integer in 1..10^9")
        m = int(key)
        if any(m % (p * p) == 0 for p in _primes(m)):
            raise CheckFailed(f"{where}: square-root key {m} is not squarefree")
        t[m] = _num(c, f"{where}[{key}]")
    return _smake(t)


def _kvec(v, where, length=None):
    if not isinstance(v, list):
        raise CheckFailed(f"{where}: expected a list of numbers")
    if length is not None and len(v) != length:
        raise CheckFailed(f"{where}: has {len(v)} entries, expected {length}")
    return [_knum(a, f"{where}[{i}]") for i, a in enumerate(v)]


def _kmat(M, where):
    if not isinstance(M, list) or not M or not isinstance(M[0], list) or not M[0]:
        raise CheckFailed(f"{where}: expected a non-empty list of non-empty rows")
    return [_kvec(r, f"{where}[{k}]", len(M[0])) for k, r in enumerate(M)]


def _kdot(u, v):
    return sum((a * b for a, b in zip(u, v)), Fraction(0))


def _signs_field(s, n, where):
    if not isinstance(s, str) or len(s) != n or any(c not in "+-0" for c in s):
        raise CheckFailed(f"{where}: expected a string of {n} characters from '+', '-', '0'")
    return [{"+": 1, "-": -1, "0": 0}[c] for c in s]


def _region(X, u, entry, where):
    """An adjacent region of w (direction u): strict signs of X u off the kinks, those of the
    witness h on the kinks; returns the sign list."""
    d = len(X[0])
    signs = _signs_field(_field(entry, "signs", str, where), len(X), f"{where}.signs")
    h = _kvec(_field(entry, "witness", list, where), f"{where}.witness", d)
    for k, x in enumerate(X):
        zero = not any(x)
        if zero != (signs[k] == 0):
            raise CheckFailed(f"{where}: row {k} is {'' if zero else 'not '}zero but its sign is '{'+-0'[[1, -1, 0].index(signs[k])]}'")
        if zero:
            continue
        su = _sg(_kdot(x, u))
        got = su if su else _sg(_kdot(x, h))
        if got != signs[k]:
            raise CheckFailed(f"{where}: row {k} has sign {got:+d} at w (+ eps h), the certificate says {signs[k]:+d}")
    return signs


def _complete_regions(X, u, listed, where):
    """The listed adjacent regions are distinct and as many as the regions of the kink rows."""
    kinks = [x for x in X if any(x) and _kdot(x, u) == 0]
    keys = {tuple(s) for s in listed}
    expected = zaslavsky_count(kinks)
    if len(keys) != len(listed) or len(keys) != expected:
        raise CheckFailed(f"{where}: {len(keys)} distinct adjacent regions listed, the kink rows have {expected}")


def _block_bound(X, nu, signs, s, lam, beta, where):
    """||s X^T D nu + A^T lam||^2 <= beta^2 with lam >= 0 (max over K of s nu^T D X u is <= beta)."""
    n, d = len(X), len(X[0])
    lam = _kvec(lam, f"{where}.lambda", n)
    if any(_sg(a) < 0 for a in lam):
        raise CheckFailed(f"{where}: a multiplier is negative")
    g = [
        s * sum((X[k][c] * nu[k] for k in range(n) if signs[k] > 0), Fraction(0))
        + sum((lam[k] * (X[k][c] if signs[k] > 0 else -X[k][c]) for k in range(n) if lam[k]), Fraction(0))
        for c in range(d)
    ]
    if _sg(_kdot(g, g) - beta * beta) > 0:
        raise CheckFailed(f"{where}: the block bound ||g + A^T lambda||^2 exceeds beta^2")


# ---------------------------------------------------------------------------------------------
# networks: reluscape/stationary/1, reluscape/local-min/1, reluscape/descent/1
#
# A neuron is {"sign": s, "a2": a_j^2, "u": |a_j| w_j} (s = sign a_j), or {"sign": 0, "a2": "0",
# "u": w_j} when a_j = 0. Then a_j (X w_j)_+ = s (X u)_+, ||w_j||^2 = ||u||^2 / a2, and
# F = 1/2 ||nu||^2 + beta/2 sum (a2 + ||u||^2 / a2), nu = y - fit.


class _Net:
    def __init__(self, cert, key="neurons"):
        self.X = _kmat(_field(cert, "X", list, "certificate"), "X")
        self.n, self.d = len(self.X), len(self.X[0])
        self.y = _kvec(_field(cert, "y", list, "certificate"), "y", self.n)
        self.beta = _knum(_field(cert, "beta", str, "certificate"), "beta")
        if _sg(self.beta) <= 0:
            raise CheckFailed("beta must be > 0")
        self.neurons = _neurons(_field(cert, key, list, "certificate"), self.d, key)
        self.nu, self.value = _evaluate(self.X, self.y, self.beta, self.neurons)

    def act(self, j):
        """nu^T (X u_j)_+ (u_j = |a_j| w_j, or w_j when a_j = 0)."""
        u = self.neurons[j][2]
        return sum((v * _kdot(x, u) for x, v in zip(self.X, self.nu) if _sg(_kdot(x, u)) > 0), Fraction(0))

    def G(self, signs):
        return [sum((self.X[k][c] * self.nu[k] for k in range(self.n) if signs[k] > 0), Fraction(0)) for c in range(self.d)]


def _neurons(items, d, where):
    if not isinstance(items, list):
        raise CheckFailed(f"{where}: expected a list of neurons")
    out = []
    for j, nr in enumerate(items):
        s = _field(nr, "sign", int, f"{where}[{j}]")
        a2 = _knum(_field(nr, "a2", (str, dict), f"{where}[{j}]"), f"{where}[{j}].a2")
        u = _kvec(_field(nr, "u", list, f"{where}[{j}]"), f"{where}[{j}].u", d)
        if s not in (-1, 0, 1) or (s == 0) != (a2 == 0) or _sg(a2) < 0:
            raise CheckFailed(f"{where}[{j}]: sign must be -1, 0 or 1, with a2 > 0 exactly when the sign is not 0")
        out.append((s, a2, u))
    if not out:
        raise CheckFailed(f"{where}: no neurons")
    return out


def _evaluate(X, y, beta, neurons):
    fit = [Fraction(0)] * len(X)
    pen = Fraction(0)
    for s, a2, u in neurons:
        for k, x in enumerate(X):
            xu = _kdot(x, u)
            if s and _sg(xu) > 0:
                fit[k] = fit[k] + s * xu
        pen = pen + (_kdot(u, u) if s == 0 else a2 + _kdot(u, u) / a2)
    nu = [a - b for a, b in zip(y, fit)]
    return nu, _kdot(nu, nu) / 2 + beta * pen / 2


def _stationary_equations(net, j, where):
    """Balance a2^2 = ||u||^2 and beta s a2 = nu^T (X u)_+ (beta a_j = nu^T (X w_j)_+), or u = 0."""
    s, a2, u = net.neurons[j]
    if s == 0:
        if any(u):
            raise CheckFailed(f"{where}: a_{j} = 0 but w_{j} != 0")
        return
    if a2 * a2 != _kdot(u, u):
        raise CheckFailed(f"{where}: neuron {j} is not balanced (a_j^2 != ||w_j||^2)")
    if net.beta * s * a2 != net.act(j):
        raise CheckFailed(f"{where}: beta a_{j} != nu^T (X w_{j})_+")


def _check_stationary(cert, checks):
    net = _Net(cert)
    weights = _field(cert, "weights", list, "certificate")
    if len(weights) != len(net.neurons):
        raise CheckFailed("weights: one list per neuron expected")
    for j, ((s, a2, u), ws) in enumerate(zip(net.neurons, weights)):
        where = f"weights[{j}]"
        if s == 0:
            _stationary_equations(net, j, where)
            continue
        if net.beta * s * a2 != net.act(j):
            raise CheckFailed(f"{where}: beta a_{j} != nu^T (X w_{j})_+")
        total, comb = Fraction(0), [Fraction(0)] * net.d
        if not isinstance(ws, list):
            raise CheckFailed(f"{where}: expected a list of weighted regions")
        for i, e in enumerate(ws):
            signs = _region(net.X, u, e, f"{where}[{i}]")
            mu = _knum(_field(e, "weight", (str, dict), f"{where}[{i}]"), f"{where}[{i}].weight")
            if _sg(mu) < 0:
                raise CheckFailed(f"{where}[{i}]: negative weight")
            total = total + mu
            comb = [c + mu * g for c, g in zip(comb, net.G(signs))]
        if total != 1:
            raise CheckFailed(f"{where}: the weights sum to {_show(total)}, not 1")
        if any(net.beta * uc != s * a2 * c for uc, c in zip(u, comb)):
            raise CheckFailed(f"{where}: beta w_{j} != a_{j} sum_s mu_s X^T D_s nu")
    checks.append(f"T6.2: every neuron has beta a_j = nu^T (X w_j)_+ and beta w_j in a_j conv{{X^T D_s nu}}: Clarke stationary")
    checks.append(f"F(theta) = {_show(net.value)}")


def _check_kink_stationary(cert, checks):
    """Clarke stationary (as reluscape/stationary/1) and, for the kink neuron ``neuron``, every
    adjacent region s has p in K_s with t = sign nu^T D_s X p > 0 and t^2 > beta^2 ||p||^2, so
    ||Pi_{K_s}(sign X^T D_s nu)|| > beta: no restricted problem containing s has theta optimal."""
    _check_stationary(cert, checks)
    net = _Net(cert)
    j = _field(cert, "neuron", int, "certificate")
    if not 0 <= j < len(net.neurons) or net.neurons[j][0] == 0:
        raise CheckFailed(f"neuron: {j} is not a non-zero neuron")
    s, _, u = net.neurons[j]
    listed = []
    for i, e in enumerate(_field(cert, "violations", list, "certificate")):
        where = f"violations[{i}]"
        signs = _region(net.X, u, e, where)
        p = _kvec(_field(e, "u", list, where), f"{where}.u", net.d)
        if any(_sg(sk * _kdot(x, p)) < 0 for sk, x in zip(signs, net.X)):
            raise CheckFailed(f"{where}: u is not in the closed cone K_s")
        t = s * _kdot(net.G(signs), p)
        if _sg(t) <= 0 or _sg(t * t - net.beta * net.beta * _kdot(p, p)) <= 0:
            raise CheckFailed(f"{where}: sign nu^T D_s X u does not exceed beta ||u||")
        listed.append(signs)
    _complete_regions(net.X, u, listed, "violations")
    checks.append(f"neuron {j}: all {len(listed)} adjacent regions violate the dual constraint: optimal for no restricted problem")


def _check_local_min(cert, checks):
    net = _Net(cert)
    scope = _field(cert, "scope", str, "certificate")
    if scope not in ("cone", "local", "global"):
        raise CheckFailed(f"scope: unknown scope {scope!r} (cone, local, global)")
    for j in range(len(net.neurons)):
        _stationary_equations(net, j, "neurons")
    blocks = _field(cert, "blocks", list, "certificate")
    if len(blocks) != len(net.neurons):
        raise CheckFailed("blocks: one list per neuron expected")
    for j, ((s, a2, u), bl) in enumerate(zip(net.neurons, blocks)):
        if not isinstance(bl, list):
            raise CheckFailed(f"blocks[{j}]: expected a list of blocks")
        listed = []
        for i, e in enumerate(bl):
            where = f"blocks[{j}][{i}]"
            signs = _region(net.X, u, e, where)
            sb = _field(e, "sign", int, where)
            if sb not in (1, -1) or (s and sb != s):
                raise CheckFailed(f"{where}: the block sign must be that of a_{j}")
            _block_bound(net.X, net.nu, signs, sb, _field(e, "lambda", list, where), net.beta, where)
            listed.append(signs)
        if scope == "cone" and s and not listed:
            raise CheckFailed(f"blocks[{j}]: no cone listed for neuron {j}")
        if scope == "local" and s:
            _complete_regions(net.X, u, listed, f"blocks[{j}]")
    zero = any(s == 0 for s, _, _ in net.neurons)
    if scope == "global" or (scope == "local" and zero):
        _check_dual_section(net, _field(cert, "dual", dict, "certificate"), checks)
    if scope == "cone":
        checks.append("balanced, beta a_j = nu^T (X w_j)_+, and every chosen block bounded: theta attains CP(A) of its cones")
    elif scope == "local":
        checks.append("every closed cone containing theta is attained (Lemma 2.4): a local minimum")
    else:
        checks.append(f"nu is dual feasible and F(theta) = d(nu) = {_show(net.value)}: a global minimum")
    checks.append(f"F(theta) = {_show(net.value)}")
    comp = cert.get("competitor")
    if comp is not None:
        other = _neurons(comp, net.d, "competitor")
        if len(other) > len(net.neurons):
            raise CheckFailed("competitor is wider than theta")
        _, value = _evaluate(net.X, net.y, net.beta, other)
        if _sg(value - net.value) >= 0:
            raise CheckFailed("competitor does not have a smaller value")
        checks.append(f"a network of width {len(other)} has F = {_show(value)} < F(theta): spurious")


def _check_dual_section(net, dual, checks):
    """nu in D: every region of X (complete list) with both signs has a multiplier bound."""
    listed = _field(dual, "patterns", list, "dual")
    pats = {"X": [[_num_str(a) for a in r] for r in net.X], "patterns": listed, "complete": _field(dual, "complete", dict, "dual")}
    sub = []
    _check_patterns(pats, sub)
    lams = _field(dual, "lambda", list, "dual")
    if len(lams) != len(dual["patterns"]):
        raise CheckFailed("dual.lambda: one pair per pattern expected")
    for i, (p, pair) in enumerate(zip(dual["patterns"], lams)):
        signs = _signs_field(p["signs"], net.n, f"dual.patterns[{i}].signs")
        if not isinstance(pair, list) or len(pair) != 2:
            raise CheckFailed(f"dual.lambda[{i}]: expected [lambda_plus, lambda_minus]")
        for s, lam in zip((1, -1), pair):
            _block_bound(net.X, net.nu, signs, s, lam, net.beta, f"dual.lambda[{i}][{'+' if s > 0 else '-'}]")
    checks.append(f"nu in D: {len(lams)} regions (certified complete), both signs, bounded by beta")


def _num_str(a):
    if isinstance(a, _Surd):
        raise CheckFailed("the dual section needs rational data")
    return str(a)


def _check_descent(cert, checks):
    net = _Net(cert)
    dirs = _field(cert, "direction", list, "certificate")
    if len(dirs) != len(net.neurons):
        raise CheckFailed("direction: one entry per neuron expected")
    dv = []
    for j, e in enumerate(dirs):
        r = _knum(_field(e, "r", (str, dict), f"direction[{j}]"), f"direction[{j}].r")
        dv.append((r, _kvec(_field(e, "v", list, f"direction[{j}]"), f"direction[{j}].v", net.d)))
    coeff = _descent_coefficients(net, dv)
    order = next((i for i in range(1, 5) if coeff[i] != 0), None)
    if order is None or _sg(coeff[order]) >= 0:
        raise CheckFailed("F(theta + eps d) - F(theta) has no negative leading coefficient")
    checks.append(f"F(theta + eps d) - F(theta) = ({_show(coeff[order])}) eps^{order} + ... < 0 for small eps > 0: not a local minimum")
    clarke = cert.get("clarke")
    if clarke is None:
        return
    if not isinstance(clarke, list) or len(clarke) != len(net.neurons):
        raise CheckFailed("clarke: one list per neuron expected")
    total = Fraction(0)
    for j, ((s, a2, u), (r, v), lst) in enumerate(zip(net.neurons, dv, clarke)):
        if s == 0:  # a_j = 0: the pieces -nu^T (X w)_+ r + beta w.v do not depend on the region
            total = total - net.act(j) * r + net.beta * _kdot(u, v)
            continue
        e = net.beta * s * a2 - net.act(j)
        base = s * r * e + net.beta * _kdot(u, v) / a2
        if not any(v):
            total = total + base
            continue
        if not isinstance(lst, list) or not lst:
            raise CheckFailed(f"clarke[{j}]: the adjacent regions of a moved neuron are needed")
        regions = [_region(net.X, u, reg, f"clarke[{j}][{i}]") for i, reg in enumerate(lst)]
        _complete_regions(net.X, u, regions, f"clarke[{j}]")
        pieces = [base - s * _kdot(net.G(sg), v) for sg in regions]
        top = pieces[0]
        for p in pieces[1:]:
            top = p if _sg(p - top) > 0 else top
        total = total + top
    if _sg(total) >= 0:
        raise CheckFailed("the Clarke derivative max_{g in dF} g.d is not negative")
    checks.append(f"the Clarke derivative along d is {_show(total)} < 0: 0 is not in the Clarke gradient")


def _descent_coefficients(net, dv):
    """c_0..c_4 of F(theta + eps d) - F(theta) for small eps > 0 (c_0 = 0 checked)."""
    fit = [[Fraction(0)] * 3 for _ in range(net.n)]
    pen = [Fraction(0)] * 3
    for (s, a2, u), (r, v) in zip(net.neurons, dv):
        for k, x in enumerate(net.X):
            xu, xv = _kdot(x, u), _kdot(x, v)
            if _sg(xu) > 0 or (xu == 0 and _sg(xv) > 0):
                t = (s * xu, s * (xv + r * xu), s * r * xv) if s else (Fraction(0), r * xu, r * xv)
                fit[k] = [a + b for a, b in zip(fit[k], t)]
        uu, uv, vv = _kdot(u, u), _kdot(u, v), _kdot(v, v)
        t = (a2 + uu / a2, 2 * r * a2 + 2 * uv / a2, r * r * a2 + vv / a2) if s else (uu, 2 * uv, r * r + vv)
        pen = [a + b for a, b in zip(pen, t)]
    coeff = [Fraction(0)] * 5
    for k in range(net.n):
        e = [fit[k][0] - net.y[k], fit[k][1], fit[k][2]]
        for i in range(3):
            for l in range(3):
                coeff[i + l] = coeff[i + l] + e[i] * e[l] / 2
    coeff = [c + (net.beta * pen[i] / 2 if i < 3 else 0) for i, c in enumerate(coeff)]
    coeff[0] = coeff[0] - net.value
    if coeff[0] != 0:
        raise CheckFailed("internal: the constant term is not F(theta)")
    return coeff


def _show(x):
    if isinstance(x, _Surd):
        return " + ".join(f"{_show(c)}*sqrt({m})" if m > 1 else _show(c) for m, c in sorted(x.t.items()))
    x = Fraction(x)
    return _decimal(x) if x.denominator > 10**6 or x.numerator.bit_length() > 3 * MAX_DIGITS else str(x)


# ---------------------------------------------------------------------------------------------
# reluscape/region-min/1: a minimum strictly inside one region, known through an enclosure
#
# With M = D_s X and sign sigma, g(z) = 1/2 ||sigma M z - y||^2 + beta ||z|| is strongly convex
# (M^T M >= mu I). A dual point (||M^T nu|| <= beta) bounds g* below, a centre z_q above, and
# ||z* - z_q||^2 <= rho^2 = 2 (g(z_q) - d(nu)) / mu. If every x_k . z_q has sign s_k with
# (x_k . z_q)^2 > ||x_k||^2 rho^2, the minimiser z* is strictly inside the region; then positive,
# parallel neurons along z* (any split of ||z*||) are a local minimum of F with value g*.


def _check_region_min(cert, checks):
    X = _matrix(_field(cert, "X", list, "certificate"), "X")
    n, d = len(X), len(X[0])
    y = _vector(_field(cert, "y", list, "certificate"), "y", n)
    beta = _num(_field(cert, "beta", str, "certificate"), "beta")
    signs = _signs_field(_field(cert, "signs", str, "certificate"), n, "signs")
    sigma = _field(cert, "sign", int, "certificate")
    if beta <= 0 or sigma not in (1, -1):
        raise CheckFailed("beta must be > 0 and sign +1 or -1")
    M = [[a if s > 0 else Fraction(0) for a in x] for x, s in zip(X, signs)]
    z = _vector(_field(cert, "center", list, "certificate"), "center", d)
    nu = _vector(_field(cert, "nu", list, "certificate"), "nu", n)
    mu = _num(_field(cert, "mu", str, "certificate"), "mu")
    Mt_nu = [sum(M[k][c] * nu[k] for k in range(n)) for c in range(d)]
    if _dot(Mt_nu, Mt_nu) > beta * beta:
        raise CheckFailed("nu is not dual feasible: ||M^T nu|| > beta")
    lower = _dot(nu, y) - _dot(nu, nu) / 2
    res = [sigma * _dot(M[k], z) - y[k] for k in range(n)]
    upper = _dot(res, res) / 2 + beta * _sqrt_up(_dot(z, z))
    gram = [[sum(M[k][i] * M[k][j] for k in range(n)) - (mu if i == j else 0) for j in range(d)] for i in range(d)]
    if mu <= 0 or not _positive_definite(gram):
        raise CheckFailed("M^T M - mu I is not positive definite (mu > 0 needed)")
    rho2 = 2 * (upper - lower) / mu
    for k, x in enumerate(X):
        xz = _dot(x, z)
        if signs[k] == 0:
            continue
        if _sign(xz) != signs[k] or xz * xz <= _dot(x, x) * rho2:
            raise CheckFailed(f"row {k}: the minimiser is not provably strictly on side {signs[k]:+d}")
    value = _field(cert, "value", dict, "certificate")
    lo, hi = _num(_field(value, "lower", str, "value"), "value.lower"), _num(_field(value, "upper", str, "value"), "value.upper")
    if lo > lower or hi < upper:
        raise CheckFailed("the claimed value interval does not contain [d(nu), g(center)]")
    checks.append(f"the minimiser of the region's convex problem is within {_decimal(_sqrt_up(rho2), 8)} of the centre, strictly inside the region")
    checks.append(f"positive parallel neurons there are a local minimum of F (no neuron zero), value in [{_decimal(lo)}, {_decimal(hi)}]")
    escape = cert.get("escape")
    if escape is not None:
        _region_escape(X, y, beta, M, sigma, z, rho2, escape, checks)
    comp = cert.get("competitor")
    if comp is not None:
        other = _neurons(comp, d, "competitor")
        _, val = _evaluate(X, y, beta, other)
        if val >= lo:
            raise CheckFailed("competitor: its value is not below the lower bound")
        checks.append(f"a network of width {len(other)} has F = {_decimal(val)} < {_decimal(lo)}: the minimum is spurious at widths >= {len(other)}")


def _region_escape(X, y, beta, M, sigma, z, rho2, escape, checks):
    """A zero neuron grown along (eps omega, eps c): Delta F = eps^2 q + O(eps^4), q bounded above."""
    n, d = len(X), len(X[0])
    omega = _vector(_field(escape, "omega", list, "escape"), "escape.omega", d)
    c = _num(_field(escape, "c", str, "escape"), "escape.c")
    v = [max(_dot(x, omega), Fraction(0)) for x in X]  # (X omega)_+
    nu_c = [y[k] - sigma * _dot(M[k], z) for k in range(n)]
    Mt_v = [sum(M[k][i] * v[k] for k in range(n)) for i in range(d)]
    slack = abs(c) * _sqrt_up(_dot(Mt_v, Mt_v) * rho2)
    q = beta * (_dot(omega, omega) + c * c) / 2 - c * _dot(nu_c, v) + slack
    if q >= 0:
        raise CheckFailed("escape: the second-order coefficient is not provably negative")
    checks.append(f"with a zero neuron added, growing it along (omega, c) changes F by at most ({_decimal(q)}) eps^2: a saddle")


def _positive_definite(A):
    """Sylvester: every leading principal minor is positive (exact elimination)."""
    A = [list(r) for r in A]
    k = len(A)
    for c in range(k):
        if A[c][c] <= 0:
            return False
        for r in range(c + 1, k):
            f = A[r][c] / A[c][c]
            A[r] = [a - f * b for a, b in zip(A[r], A[c])]
    return True


# ---------------------------------------------------------------------------------------------
# reluscape/nonunique/1: two optimal solutions of the convex problem whose functions differ
#
# problem "regularized": (C) with beta; "interpolation": min sum ||u|| s.t. fit = y (beta = 1 in
# the dual constraints ||Pi_K(+- X^T D nu)|| <= 1); "skip": a free linear term X z, whose dual
# constraint is X^T nu = 0. An atom is (region, sign, p, kappa): p in K_s with ||p||^2 = beta^2
# and sign nu^T D_s X p = beta^2, so u = kappa p closes the gap identity block by block.


def _check_nonunique(cert, checks):
    X = _kmat(_field(cert, "X", list, "certificate"), "X")
    n, d = len(X), len(X[0])
    y = _kvec(_field(cert, "y", list, "certificate"), "y", n)
    problem = _field(cert, "problem", str, "certificate")
    if problem not in ("regularized", "interpolation"):
        raise CheckFailed(f"problem: unknown problem {problem!r} (regularized, interpolation)")
    beta = _knum(_field(cert, "beta", str, "certificate"), "beta") if problem == "regularized" else Fraction(1)
    if _sg(beta) <= 0:
        raise CheckFailed("beta must be > 0")
    skip = cert.get("skip", False)
    if not isinstance(skip, bool):
        raise CheckFailed("skip: expected true or false")
    regions = []
    zero = [0] * d
    for i, e in enumerate(_field(cert, "regions", list, "certificate")):
        regions.append(_region(X, zero, e, f"regions[{i}]"))
    _complete_regions(X, zero, regions, "regions")
    nu = _kvec(_field(cert, "nu", list, "certificate"), "nu", n)
    lams = _field(cert, "lambda", list, "certificate")
    if len(lams) != len(regions):
        raise CheckFailed("lambda: one pair per region expected")
    for i, (signs, pair) in enumerate(zip(regions, lams)):
        if not isinstance(pair, list) or len(pair) != 2:
            raise CheckFailed(f"lambda[{i}]: expected [lambda_plus, lambda_minus]")
        for s, lam in zip((1, -1), pair):
            _block_bound(X, nu, signs, s, lam, beta, f"lambda[{i}][{'+' if s > 0 else '-'}]")
    if skip and any(_kdot([x[c] for x in X], nu) != 0 for c in range(d)):
        raise CheckFailed("skip: X^T nu != 0")
    checks.append(f"nu is dual feasible on all {len(regions)} regions (complete), both signs" + (", X^T nu = 0" if skip else ""))
    dual = _kdot(nu, y) - (_kdot(nu, nu) / 2 if problem == "regularized" else 0)
    point = _kvec(_field(cert, "point", list, "certificate"), "point", d)
    sols = _field(cert, "solutions", list, "certificate")
    if len(sols) != 2:
        raise CheckFailed("solutions: exactly two expected")
    values = []
    for t, sol in enumerate(sols):
        fit, kappa, f0 = [Fraction(0)] * n, Fraction(0), Fraction(0)
        for i, a in enumerate(_field(sol, "atoms", list, f"solutions[{t}]")):
            where = f"solutions[{t}].atoms[{i}]"
            r = _field(a, "region", int, where)
            s = _field(a, "sign", int, where)
            if not 0 <= r < len(regions) or s not in (1, -1):
                raise CheckFailed(f"{where}: no block (region {r}, sign {s})")
            p = _kvec(_field(a, "direction", list, where), f"{where}.direction", d)
            k = _knum(_field(a, "weight", (str, dict), where), f"{where}.weight")
            signs = regions[r]
            if any(_sg(_kdot(x, p)) * sk < 0 for x, sk in zip(X, signs)) or _sg(k) < 0:
                raise CheckFailed(f"{where}: the direction is outside its cone, or the weight is negative")
            if _kdot(p, p) != beta * beta or s * sum((nu[j] * _kdot(X[j], p) for j in range(n) if signs[j] > 0), Fraction(0)) != beta * beta:
                raise CheckFailed(f"{where}: the block is not tight at nu (||p||^2 = sign nu^T D X p = beta^2 fails)")
            for j in range(n):
                if signs[j] > 0:
                    fit[j] = fit[j] + s * k * _kdot(X[j], p)
            kappa = kappa + k
            xp = _kdot(point, p)
            f0 = f0 + (s * k * xp if _sg(xp) > 0 else 0)
        if skip:
            zs = _kvec(_field(sol, "skip", list, f"solutions[{t}]"), f"solutions[{t}].skip", d)
            fit = [f + _kdot(x, zs) for f, x in zip(fit, X)]
            f0 = f0 + _kdot(point, zs)
        want = [a - b for a, b in zip(y, nu)] if problem == "regularized" else y
        if fit != want:
            raise CheckFailed(f"solutions[{t}]: the fit is not " + ("y - nu" if problem == "regularized" else "y"))
        primal = (_kdot(nu, nu) / 2 if problem == "regularized" else 0) + beta * beta * kappa
        if primal != dual:
            raise CheckFailed(f"solutions[{t}]: primal {_show(primal)} != dual {_show(dual)}")
        values.append(f0)
    if values[0] == values[1]:
        raise CheckFailed("the two optimal functions agree at the point")
    checks.append(f"two optimal solutions, value {_show(dual)}; their functions differ at the point: {_show(values[0])} != {_show(values[1])}")


# ---------------------------------------------------------------------------------------------
# reluscape/bundle/1: several certificates about one object, all checked


def _check_bundle(cert, checks):
    parts = _field(cert, "parts", list, "certificate")
    if not parts:
        raise CheckFailed("parts: no certificates")
    for i, part in enumerate(parts):
        schema = part.get("schema") if isinstance(part, dict) else None
        if not isinstance(schema, str) or schema not in _CHECKERS or schema == "reluscape/bundle/1":
            raise CheckFailed(f"parts[{i}]: unknown or nested schema {schema!r}")
        sub = []
        try:
            _CHECKERS[schema](part, sub)
        except CheckFailed as err:
            raise CheckFailed(f"parts[{i}] ({schema}): {err}") from None
        label = part.get("label", schema)
        checks.extend(f"[{i}: {label}] {line}" for line in sub)


# ---------------------------------------------------------------------------------------------
# reluscape/vector-optimum/1: c outputs (math/convex_duality.md 9.2). Dual feasibility of Lambda
# on region s is ||B u||^2 <= beta^2 ||u||^2 on K_s (B = Lambda^T D_s X), certified by N >= 0 with
# S = beta^2 I - B^T B - A^T N A positive semidefinite: u'Su + (Au)'N(Au) >= 0 on K_s.


def _check_vector_optimum(cert, checks):
    X = _matrix(_field(cert, "X", list, "certificate"), "X")
    n, d = len(X), len(X[0])
    Y = _matrix(_field(cert, "Y", list, "certificate"), "Y")
    L = _matrix(_field(cert, "Lambda", list, "certificate"), "Lambda")
    c = len(Y[0])
    if len(Y) != n or len(L) != n or len(L[0]) != c:
        raise CheckFailed("Y and Lambda must be n x c")
    beta = _num(_field(cert, "beta", str, "certificate"), "beta")
    if beta <= 0:
        raise CheckFailed("beta must be > 0")
    pats = _field(cert, "patterns", dict, "certificate")
    if pats.get("schema") != "reluscape/patterns/1":
        raise CheckFailed("patterns: expected a reluscape/patterns/1 certificate")
    if _matrix(_field(pats, "X", list, "patterns"), "patterns.X") != X or pats.get("complete") is None:
        raise CheckFailed("patterns: not the rows of X, or not certified complete")
    _check_patterns(pats, checks)
    D = [tuple(1 if ch == "+" else 0 for ch in p["signs"]) for p in pats["patterns"]]
    N = {}
    for j, b in enumerate(_field(cert, "blocks", list, "certificate")):
        i = _field(b, "pattern", int, f"blocks[{j}]")
        if not 0 <= i < len(D) or i in N:
            raise CheckFailed(f"blocks[{j}]: no pattern {i}, or listed twice")
        N[i] = []
        for e in _field(b, "N", list, f"blocks[{j}]"):
            if not isinstance(e, list) or len(e) != 3 or not all(isinstance(k, int) and not isinstance(k, bool) for k in e[:2]):
                raise CheckFailed(f"blocks[{j}].N: entries are [i, j, value]")
            v = _num(e[2], f"blocks[{j}].N")
            if not 0 <= e[0] <= e[1] < n or v < 0:
                raise CheckFailed(f"blocks[{j}].N: bad index or negative multiplier")
            N[i].append((e[0], e[1], v))
    gains = {}
    for i, Dk in enumerate(D):
        A = _cone(X, Dk)
        B = [[sum((L[k][t] * X[k][col] for k in range(n) if Dk[k]), Fraction(0)) for col in range(d)] for t in range(c)]
        S = [[(beta * beta if r == q else 0) - sum(B[t][r] * B[t][q] for t in range(c)) for q in range(d)] for r in range(d)]
        for a, b, v in N.get(i, []):
            for r in range(d):
                for q in range(d):
                    S[r][q] -= v * (A[a][r] * A[a][q] if a == b else (A[a][r] * A[b][q] + A[b][r] * A[a][q]) / 2)
        if not _psd(S):
            raise CheckFailed(f"pattern {i}: beta^2 I - B^T B - A^T N A is not positive semidefinite")
        gains[i] = (A, B)
    checks.append(f"Lambda is dual feasible on all {len(D)} regions (S-lemma certificates, exact)")
    dual = sum(a * b for ry, rl in zip(Y, L) for a, b in zip(ry, rl)) - sum(a * a for r in L for a in r) / 2
    method = _field(cert, "method", str, "certificate")
    if method == "rational":
        fit, total = [[Fraction(0)] * c for _ in range(n)], Fraction(0)
        for j, a in enumerate(_field(cert, "atoms", list, "certificate")):
            i = _field(a, "pattern", int, f"atoms[{j}]")
            p = _vector(_field(a, "p", list, f"atoms[{j}]"), f"atoms[{j}].p", d)
            kappa = _num(_field(a, "kappa", str, f"atoms[{j}]"), f"atoms[{j}].kappa")
            if i not in gains or kappa < 0 or any(_dot(row, p) < 0 for row in gains[i][0]):
                raise CheckFailed(f"atoms[{j}]: no such pattern, negative weight, or p outside the cone")
            Bp = [_dot(row, p) for row in gains[i][1]]
            if _dot(Bp, Bp) != beta * beta * _dot(p, p):
                raise CheckFailed(f"atoms[{j}]: not tight (||B p||^2 != beta^2 ||p||^2)")
            v = [_dot(X[k], p) if D[i][k] else Fraction(0) for k in range(n)]
            for k in range(n):
                for t in range(c):
                    fit[k][t] += kappa * v[k] * Bp[t]
            total += kappa * beta * _dot(p, p)
        if [[a - b for a, b in zip(ry, rl)] for ry, rl in zip(Y, L)] != fit:
            raise CheckFailed("Y - fit != Lambda")
        value = _num(_field(cert, "value", str, "certificate"), "value")
        primal = sum(a * a for r in L for a in r) / 2 + beta * total
        if not value == dual == primal:
            raise CheckFailed(f"values differ: claimed {value}, dual {dual}, primal {primal}")
        checks.append(f"zero duality gap: p* = d(Lambda*) = {value}")
    elif method == "bracket":
        lower = _num(_field(cert, "lower", str, "certificate"), "lower")
        upper = _num(_field(cert, "upper", str, "certificate"), "upper")
        net = _field(cert, "network", dict, "certificate")
        W, Aout = _matrix(_field(net, "W", list, "network"), "W"), _matrix(_field(net, "A", list, "network"), "A")
        if len(W) != len(Aout) or len(W[0]) != d or len(Aout[0]) != c:
            raise CheckFailed("network: W is m x d and A is m x c")
        R = [[sum((max(_dot(x, w), Fraction(0)) * a[t] for w, a in zip(W, Aout)), Fraction(0)) - y[t] for t in range(c)] for x, y in zip(X, Y)]
        F = sum(a * a for r in R for a in r) / 2 + beta / 2 * sum(a * a for M in (W, Aout) for r in M for a in r)
        if lower > dual or F > upper:
            raise CheckFailed("the bracket does not contain [d(Lambda), F(network)]")
        checks.append(f"{_decimal(lower)} <= p* <= {_decimal(upper)} (dual feasible Lambda, a network)")
    else:
        raise CheckFailed(f"method: unknown method {method!r} (rational, bracket)")


def _psd(S):
    """Symmetric rational S is positive semidefinite (elimination on the largest diagonal pivot)."""
    while S:
        k = max(range(len(S)), key=lambda i: S[i][i])
        piv = S[k][k]
        if piv <= 0:
            return piv == 0 and all(a == 0 for row in S for a in row)
        S = [[S[i][j] - S[i][k] * S[k][j] / piv for j in range(len(S)) if j != k] for i in range(len(S)) if i != k]
    return True


# ---------------------------------------------------------------------------------------------
# reluscape/parallel3-optimum/1: the cone-constrained group lasso over the blocks of a parallel
# three-layer network (math/convex_duality.md 9.1, 9.3). Block (Dp, items, eps): items are m1
# pairs (first-layer region i, sign tau) in the order of combinations_with_replacement over the
# non-zero regions x (+1, -1); z = (v_1, ..., v_m1); fit A z = eps Dp sum_j D_i X v_j; cone rows
# G: per slot j and sample k the row tau (2 D_i[k] - 1) x_k, then per sample k the row
# (2 Dp[k] - 1) (x_k on the slots j with D_i[k] = 1); all-zero rows are left out.


def _parallel3_blocks(X, D, m1):
    from itertools import combinations_with_replacement, product

    n, d = len(X), len(X[0])
    items = [(i, tau) for i in range(len(D)) if any(D[i]) for tau in (1, -1)]
    if comb(len(items) + m1 - 1, m1) * 2 ** (n + 1) > MAX_BLOCKS:
        raise CheckFailed(f"more than {MAX_BLOCKS} blocks (checker.MAX_BLOCKS)")
    zero = [Fraction(0)] * d
    blocks = {}
    for multi in combinations_with_replacement(items, m1):
        for Dp in product((0, 1), repeat=n):
            for eps in (1, -1):
                A = [[c for i, _ in multi for c in ([eps * a for a in X[k]] if Dp[k] and D[i][k] else zero)] for k in range(n)]
                G = []
                for j, (i, tau) in enumerate(multi):
                    for k in range(n):
                        row = [tau * (a if D[i][k] else -a) for a in X[k]]
                        if any(row):
                            G.append(zero * j + row + zero * (m1 - 1 - j))
                for k in range(n):
                    row = [c for i, _ in multi for c in ([(1 if Dp[k] else -1) * a for a in X[k]] if D[i][k] else zero)]
                    if any(row):
                        G.append(row)
                blocks[("".join(map(str, Dp)), multi, eps)] = (A, G)
    return blocks


def _p3_label(b, where, blocks):
    items = _field(b, "items", list, where)
    if not all(isinstance(t, list) and len(t) == 2 and all(type(a) is int for a in t) for t in items):
        raise CheckFailed(f"{where}.items: pairs [pattern, tau]")
    key = (_field(b, "Dp", str, where), tuple(tuple(t) for t in items), _field(b, "eps", int, where))
    if key not in blocks:
        raise CheckFailed(f"{where}: no such block")
    return key


def _check_parallel3(cert, checks):
    X = _matrix(_field(cert, "X", list, "certificate"), "X")
    n = len(X)
    y = _vector(_field(cert, "y", list, "certificate"), "y", n)
    beta = _num(_field(cert, "beta", str, "certificate"), "beta")
    m1 = _field(cert, "m1", int, "certificate")
    if beta <= 0 or m1 < 1:
        raise CheckFailed("beta must be > 0 and m1 >= 1")
    pats = _field(cert, "patterns", dict, "certificate")
    if pats.get("schema") != "reluscape/patterns/1" or pats.get("complete") is None:
        raise CheckFailed("patterns: expected a complete reluscape/patterns/1 certificate")
    if _matrix(_field(pats, "X", list, "patterns"), "patterns.X") != X:
        raise CheckFailed("patterns.X differs from X")
    _check_patterns(pats, checks)
    D = [tuple(1 if ch == "+" else 0 for ch in p["signs"]) for p in pats["patterns"]]
    blocks = _parallel3_blocks(X, D, m1)
    nu = _vector(_field(cert, "nu", list, "certificate"), "nu", n)
    lams = {}
    for j, b in enumerate(_field(cert, "blocks", list, "certificate")):
        key = _p3_label(b, f"blocks[{j}]", blocks)
        lam = _vector(_field(b, "lambda", list, f"blocks[{j}]"), f"blocks[{j}].lambda", len(blocks[key][1]))
        if key in lams or any(a < 0 for a in lam):
            raise CheckFailed(f"blocks[{j}]: listed twice or a negative multiplier")
        lams[key] = lam
    for key, (A, G) in blocks.items():
        g = [sum(A[k][c] * nu[k] for k in range(n)) for c in range(len(A[0]))]
        for lam, row in zip(lams.get(key, ()), G):
            g = [a + lam * r for a, r in zip(g, row)]
        if _dot(g, g) > beta * beta:
            raise CheckFailed(f"block {key}: violates the dual constraint")
    checks.append(f"nu is dual feasible on all {len(blocks)} blocks (m1 = {m1})")
    dual = _dot(nu, y) - _dot(nu, nu) / 2
    fit, method = [Fraction(0)] * n, _field(cert, "method", str, "certificate")
    if method == "rational":
        total = Fraction(0)
        for j, a in enumerate(_field(cert, "atoms", list, "certificate")):
            A, G = blocks[_p3_label(a, f"atoms[{j}]", blocks)]
            p = _vector(_field(a, "p", list, f"atoms[{j}]"), f"atoms[{j}].p", len(A[0]))
            kappa = _num(_field(a, "kappa", str, f"atoms[{j}]"), f"atoms[{j}].kappa")
            if kappa < 0 or any(_dot(row, p) < 0 for row in G) or _dot(p, p) != beta * beta:
                raise CheckFailed(f"atoms[{j}]: negative weight, p outside the cone, or ||p|| != beta")
            fit = [f + kappa * _dot(row, p) for f, row in zip(fit, A)]
            total += kappa
        value = _num(_field(cert, "value", str, "certificate"), "value")
        primal = _dot(nu, nu) / 2 + beta * beta * total
        if [a - b for a, b in zip(y, fit)] != nu or not value == dual == primal:
            raise CheckFailed(f"y - fit != nu, or values differ: claimed {_show(value)}, dual {_show(dual)}, primal {_show(primal)}")
        checks.append(f"zero duality gap: p* = d(nu*) = {_show(value)}")
    elif method == "bracket":
        lower = _num(_field(cert, "lower", str, "certificate"), "lower")
        upper = _num(_field(cert, "upper", str, "certificate"), "upper")
        penalty = Fraction(0)
        for j, b in enumerate(_field(cert, "primal", list, "certificate")):
            A, G = blocks[_p3_label(b, f"primal[{j}]", blocks)]
            z = _vector(_field(b, "z", list, f"primal[{j}]"), f"primal[{j}].z", len(A[0]))
            r = _num(_field(b, "norm", str, f"primal[{j}]"), f"primal[{j}].norm")
            if any(_dot(row, z) < 0 for row in G) or r < 0 or r * r < _dot(z, z):
                raise CheckFailed(f"primal[{j}]: z outside its cone, or norm < ||z||")
            fit = [f + _dot(row, z) for f, row in zip(fit, A)]
            penalty += r
        res = [f - v for f, v in zip(fit, y)]
        if lower > dual or _dot(res, res) / 2 + beta * penalty > upper:
            raise CheckFailed("the bracket does not contain [d(nu), G(z)]")
        checks.append(f"{_decimal(lower)} <= p* <= {_decimal(upper)} (dual feasible nu, a primal point)")
    else:
        raise CheckFailed(f"method: unknown method {method!r} (rational, bracket)")


# ---------------------------------------------------------------------------------------------
# reluscape/region/1: a constant activation region, global minimum inside or a strict gap
#
# The closed region is prod_j {(w, a) : s_kj x_k . w >= 0 for all k, sigma_j a >= 0}. Its
# minimum is CP(A), the cone program on its blocks (math/benignity_and_relaxation.md §2); a dual
# point nu bounded on every block gives CP(A) >= d(nu) = nu.y - ||nu||^2 / 2 (weak duality).


def _check_region(cert, checks):
    X = _matrix(_field(cert, "X", list, "certificate"), "X")
    n, d = len(X), len(X[0])
    y = _vector(_field(cert, "y", list, "certificate"), "y", n)
    beta = _num(_field(cert, "beta", str, "certificate"), "beta")
    if beta <= 0:
        raise CheckFailed("beta must be > 0")
    region = []
    for j, e in enumerate(_field(cert, "region", list, "certificate")):
        signs = _signs_field(_field(e, "signs", str, f"region[{j}]"), n, f"region[{j}].signs")
        if any((not any(x)) != (sk == 0) for x, sk in zip(X, signs)):
            raise CheckFailed(f"region[{j}]: the sign is 0 exactly on the zero rows of X")
        sj = _field(e, "sign", int, f"region[{j}]")
        if sj not in (1, -1):
            raise CheckFailed(f"region[{j}].sign must be +1 or -1")
        region.append((signs, sj))
    if not region:
        raise CheckFailed("region: no neurons")
    contains = cert.get("contains_global")
    if not isinstance(contains, bool):
        raise CheckFailed("contains_global: expected true or false")
    if contains:
        opt = _field(cert, "optimum", dict, "certificate")
        _region_network(cert, opt, "global", region, "optimum", checks)
        checks.append("the global minimum lies in the closed region: CP(A) = p*")
        if "spurious" in cert:
            raise CheckFailed("spurious: a region containing a global minimum has no spurious local minimum")
        return
    gap = _field(cert, "gap", dict, "certificate")
    nu = _vector(_field(gap, "nu", list, "gap"), "gap.nu", n)
    lams = _field(gap, "lambda", list, "gap")
    if len(lams) != len(region):
        raise CheckFailed("gap.lambda: one multiplier vector per neuron expected")
    for j, ((signs, sj), lam) in enumerate(zip(region, lams)):
        _block_bound(X, nu, signs, sj, lam, beta, f"gap.lambda[{j}]")
    low = _dot(nu, y) - _dot(nu, nu) / 2
    fit, pen = [Fraction(0)] * n, Fraction(0)
    for i, e in enumerate(_field(gap, "primal", list, "gap")):
        s = _field(e, "sign", int, f"gap.primal[{i}]")
        if s not in (1, -1):
            raise CheckFailed(f"gap.primal[{i}].sign must be +1 or -1")
        u = _vector(_field(e, "u", list, f"gap.primal[{i}]"), f"gap.primal[{i}].u", d)
        for k, x in enumerate(X):
            fit[k] += s * max(_dot(x, u), Fraction(0))
        pen += _sqrt_up(_dot(u, u))
    high = _dot([f - v for f, v in zip(fit, y)], [f - v for f, v in zip(fit, y)]) / 2 + beta * pen
    if low <= high:
        raise CheckFailed(f"gap: d(nu) = {_decimal(low)} does not exceed the network value {_decimal(high)}")
    checks.append(f"CP(A) >= d(nu) = {_show(low)} > {_show(high)} >= p*: no global minimum in the closed region")
    if "spurious" in cert:
        value = _region_network(cert, _field(cert, "spurious", dict, "certificate"), "local", region, "spurious", checks)
        if _sg(value - high) <= 0:
            raise CheckFailed("spurious: the local minimum's value does not exceed the upper bound on p*")
        checks.append("a local minimum (Lemma 2.4) in the closed region with value > p*: spurious")


def _region_network(cert, sub, scope, region, where, checks):
    """Check a local-min/1 part on the same data, of the given scope, inside the closed region;
    return its value."""
    for key in ("X", "y", "beta"):
        if sub.get(key) != cert[key]:
            raise CheckFailed(f"{where}.{key} differs from the region's data")
    if sub.get("schema") != "reluscape/local-min/1" or sub.get("scope") != scope:
        raise CheckFailed(f"{where}: expected a reluscape/local-min/1 certificate of scope {scope!r}")
    inner = []
    try:
        _check_local_min(sub, inner)
    except CheckFailed as err:
        raise CheckFailed(f"{where}: {err}") from None
    net = _Net(sub)
    if len(net.neurons) != len(region):
        raise CheckFailed(f"{where}: {len(net.neurons)} neurons, the region has {len(region)}")
    for j, ((s, _, u), (signs, sj)) in enumerate(zip(net.neurons, region)):
        if s * sj < 0:
            raise CheckFailed(f"{where}: neuron {j} has a_j of the wrong sign for the region")
        for k, x in enumerate(net.X):
            if _sg(_kdot(x, u)) * signs[k] < 0:
                raise CheckFailed(f"{where}: neuron {j} leaves the closed cone of the region at row {k}")
    checks.extend(f"[{where}] {line}" for line in inner)
    return net.value


_CHECKERS = {
    "reluscape/patterns/1": _check_patterns,
    "reluscape/optimum/1": _check_optimum,
    "reluscape/optimum/2": _check_optimum,
    "reluscape/critical-widths/1": _check_widths,
    "reluscape/stationary/1": _check_stationary,
    "reluscape/kink-stationary/1": _check_kink_stationary,
    "reluscape/local-min/1": _check_local_min,
    "reluscape/descent/1": _check_descent,
    "reluscape/region-min/1": _check_region_min,
    "reluscape/nonunique/1": _check_nonunique,
    "reluscape/bundle/1": _check_bundle,
    "reluscape/region/1": _check_region,
    "reluscape/vector-optimum/1": _check_vector_optimum,
    "reluscape/parallel3-optimum/1": _check_parallel3,
}


if __name__ == "__main__":
    sys.exit(main())
