r"""Population loss, gradient and Hessian of the two-layer ReLU teacher–student model.

``math/symmetry_families.md`` §1: inputs :math:`x\sim\mathcal N(0,I_d)`, student
:math:`x\mapsto\mathbf 1^\top\sigma(Wx)` with rows :math:`w_i` of :math:`W\in\mathbb R^{k\times d}`
(the neurons), teacher :math:`V` (default :math:`I_d`), and

.. math::

    L(W) = \tfrac12\,\mathbb E_x\big[(\mathbf 1^\top\sigma(Wx)-\mathbf 1^\top\sigma(Vx))^2\big]
         = \tfrac12\sum_{i,j}f(w_i,w_j)-\sum_{i,j}f(w_i,v_j)+\tfrac12\sum_{i,j}f(v_i,v_j)

with the arc-cosine kernel :math:`f` of :mod:`exact.symmetry.kernel`. With
:math:`A_i = \|w_i\|^2`, :math:`R = \|u\|\|v\|\sin\theta` and :math:`\theta = \theta(u,v)`:

* gradient, row :math:`i`:
  :math:`\nabla_{w_i}L = \tfrac12w_i+\sum_{j\ne i}g(w_i,w_j)-\sum_jg(w_i,v_j)`,
  :math:`g(u,v) = \frac{R}{2\pi\|u\|^2}u+\frac{\pi-\theta}{2\pi}v` (:math:`g(u,0)=0`);
* Hessian blocks :math:`H_{ij} = \partial^2L/\partial w_i\partial w_j^\top` (entry
  :math:`(a,b)` is :math:`\partial^2L/\partial w_{ia}\partial w_{jb}`):
  :math:`H_{ii} = \tfrac12I+\sum_{j\ne i}h_1(w_i,w_j)-\sum_jh_1(w_i,v_j)` and
  :math:`H_{ij} = h_2(w_i,w_j)` with, for :math:`t = v-\frac{c}{A}u`, :math:`t' = u-\frac cBv`,

  .. math::

      h_1(u,v) = \frac{R}{2\pi A}\Big(I-\frac{uu^\top}{A}\Big)+\frac{tt^\top}{2\pi R},\qquad
      h_2(u,v) = \frac1{2\pi}\Big((\pi-\theta)I+\frac{u\,t^\top+v\,t'^\top}{R}\Big).

  These are the math file's :math:`h_1, h_2` written without unit vectors (:math:`n_{vw} =
  t/\|t\|`, :math:`\|t\| = R/\|u\|`); :math:`h_2` is a symmetric matrix
  (:math:`ut^\top+vt'^\top = uv^\top+vu^\top-\frac cAuu^\top-\frac cBvv^\top`), so the
  orientation of the math file's :math:`n_{wv}\bar v^\top+n_{vw}\bar w^\top` does not matter.

:math:`f` is :math:`C^2` but not analytic where two vectors are parallel (it behaves like
:math:`R^3` there), so at :math:`R = 0` the blocks are their limits: :math:`h_1 = 0`, and
:math:`h_2 = \tfrac12I` (:math:`\theta = 0`) or :math:`0` (:math:`\theta = \pi`). No
:math:`\arccos` is differentiated there; :func:`global_minimum_hessian` is the closed form of
§5.1 at :math:`W = V = I` that this limit must reproduce.
"""

import sympy

from ..errors import InvalidDataError, entries
from .arithmetic import get_arithmetic
from .kernel import kernel_derivatives

__all__ = [
    "population_loss",
    "population_gradient",
    "population_hessian",
    "act",
    "global_minimum_hessian",
    "global_minimum_spectrum",
    "identity_teacher",
]


def identity_teacher(d):
    """Return the teacher :math:`V = I_d` as a list of integer rows.

    Examples
    --------
    >>> identity_teacher(2)
    [[1, 0], [0, 1]]
    """
    return [[int(i == j) for j in range(d)] for i in range(d)]


def population_loss(W, V=None, *, arithmetic="sympy"):
    r"""Return the population loss :math:`L(W)` in closed form.

    Parameters
    ----------
    W : k rows of d numbers
        The student's first layer; rows are neurons (transpose points written in the
        column convention of Safran et al.'s code).
    V : rows of d numbers, optional
        The teacher; default :math:`I_d`.
    arithmetic : {"sympy", "mpmath", "arb"}
        See :mod:`exact.symmetry.arithmetic`.

    Returns
    -------
    number
        :math:`L(W)`.

    Raises
    ------
    InvalidDataError
        If ``W`` or ``V`` is empty or ragged, has a float entry, or their widths differ.

    Examples
    --------
    >>> population_loss([[1, 0], [0, 1]])
    0
    >>> population_loss([[0, 0], [0, 0]])
    1/(2*pi) + 1/2
    >>> population_loss([[1, 0], [0, 1.0]])
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: W[1][1] = 1.0 is a float, which is not exact: write it as a Fraction or 'p/q', or build the data with Dataset.from_floats
    """
    ar = get_arithmetic(arithmetic)
    W, V = _student_teacher(ar, W, V)
    SW, SV = _gram(W), _gram(V)
    SWV = [[_dot(w, v) for v in V] for w in W]
    total = ar.number(0)
    for i in range(len(W)):
        total += SW[i][i] / 4
        for j in range(i + 1, len(W)):
            total += _f(ar, SW[i][i], SW[j][j], SW[i][j])
        for j in range(len(V)):
            total -= _f(ar, SW[i][i], SV[j][j], SWV[i][j])
    for i in range(len(V)):
        total += SV[i][i] / 4
        for j in range(i + 1, len(V)):
            total += _f(ar, SV[i][i], SV[j][j], SV[i][j])
    return _tidy(ar, total)


def population_gradient(W, V=None, *, arithmetic="sympy"):
    r"""Return :math:`\nabla L(W)` as k rows of d numbers (row :math:`i` is :math:`\nabla_{w_i}L`).

    Raises
    ------
    InvalidDataError
        If a row of ``W`` is 0 (:math:`L` is not differentiable there), or as
        :func:`population_loss`.

    Examples
    --------
    >>> population_gradient([[1, 0], [0, 1]])
    [[0, 0], [0, 0]]
    >>> population_gradient([[2, 0], [0, 1]])
    [[1/2, 0], [1/4, 1/(2*pi)]]
    >>> population_gradient([[0, 0], [0, 1]])
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: row W[0] is 0: L is not differentiable there
    """
    ar = get_arithmetic(arithmetic)
    W, V = _student_teacher(ar, W, V)
    _nonzero_rows(ar, W)
    SW, SV = _gram(W), _gram(V)
    SWV = [[_dot(w, v) for v in V] for w in W]
    grad = []
    for i, w in enumerate(W):
        row = [a / 2 for a in w]
        for others, S, sign in ((W, SW, 1), (V, SV, -1)):
            for j, v in enumerate(others):
                if (others is W and j == i) or ar.is_zero(S[j][j]):
                    continue
                c = SW[i][j] if others is W else SWV[i][j]
                _, (fA, _, fc) = kernel_derivatives(ar, SW[i][i], S[j][j], c, order=1)
                row = [r + sign * (2 * fA * a + fc * b) for r, a, b in zip(row, w, v)]
        grad.append([_tidy(ar, r) for r in row])
    return grad


def population_hessian(W, V=None, *, arithmetic="sympy"):
    r"""Return :math:`\nabla^2L(W)` as a :math:`kd\times kd` matrix (list of rows).

    The coordinates are ordered row by row: index :math:`i d + a` is :math:`W_{ia}`.
    Parallel rows (or a row parallel to a teacher row) are legal: there the blocks are the
    limits :math:`h_1 = 0`, :math:`h_2 \in \{\tfrac12 I, 0\}` (see the module docstring).

    Raises
    ------
    InvalidDataError
        If a row of ``W`` is 0, or as :func:`population_loss`.

    Examples
    --------
    >>> population_hessian([[1, 0], [0, 1]]) == global_minimum_hessian(2)
    True
    >>> population_hessian([[1, 1], [2, 2]])[0]
    [1/2 - 1/(2*pi), 1/(2*pi), 1/2, 0]
    """
    ar = get_arithmetic(arithmetic)
    W, V = _student_teacher(ar, W, V)
    _nonzero_rows(ar, W)
    k, d = len(W), len(W[0])
    SW, SV = _gram(W), _gram(V)
    SWV = [[_dot(w, v) for v in V] for w in W]
    H = [[ar.number(0)] * (k * d) for _ in range(k * d)]
    for i, w in enumerate(W):
        block = [[ar.number(int(a == b)) / 2 for b in range(d)] for a in range(d)]
        for others, S, sign in ((W, SW, 1), (V, SV, -1)):
            for j, v in enumerate(others):
                if (others is W and j == i) or ar.is_zero(S[j][j]):
                    continue
                c = SW[i][j] if others is W else SWV[i][j]
                h1 = _h1(ar, w, v, SW[i][i], S[j][j], c)
                if h1 is not None:
                    block = [[x + sign * y for x, y in zip(r1, r2)] for r1, r2 in zip(block, h1)]
        _put(H, i, i, block, d)
        for j in range(k):
            if j != i:
                _put(H, i, j, _h2(ar, w, W[j], SW[i][i], SW[j][j], SW[i][j]), d)
    return [[_tidy(ar, x) for x in row] for row in H]


def act(W, pi, rho):
    r"""Return :math:`P_\pi W P_\rho^\top`, the action of :math:`(\pi,\rho)\in S_k\times S_d`.

    With :math:`P_\pi e_j = e_{\pi(j)}`, entry :math:`(\pi(i), \rho(j))` of the result is
    :math:`W_{ij}`: row :math:`i` moves to row :math:`\pi(i)`, column :math:`j` to
    :math:`\rho(j)`. For :math:`V = I_k` the loss is invariant: :math:`L(P_\pi W P_\rho^\top) = L(W)`.

    Parameters
    ----------
    W : k rows of d entries
    pi, rho : sequences
        Permutations of ``range(k)`` and ``range(d)`` in one-line notation.

    Raises
    ------
    InvalidDataError
        If ``pi`` or ``rho`` is not a permutation of the right size.

    Examples
    --------
    >>> act([[1, 2], [3, 4]], [1, 0], [0, 1])
    [[3, 4], [1, 2]]
    >>> act([[1, 2], [3, 4]], [0, 0], [0, 1])
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: pi = [0, 0] is not a permutation of range(2)
    """
    k, d = len(W), len(W[0])
    for name, p, n in (("pi", pi, k), ("rho", rho, d)):
        if sorted(p) != list(range(n)):
            raise InvalidDataError(f"{name} = {list(p)} is not a permutation of range({n})")
    out = [[None] * d for _ in range(k)]
    for i in range(k):
        for j in range(d):
            out[pi[i]][rho[j]] = W[i][j]
    return out


def global_minimum_hessian(k, *, arithmetic="sympy"):
    r"""Return the Hessian at the global minimum :math:`W = V = I_k` in closed form (math §5.1).

    .. math:: H_{ii} = \tfrac12I,\qquad H_{ij} = \tfrac14I+\tfrac1{2\pi}(e_ie_j^\top+e_je_i^\top).

    Examples
    --------
    >>> H = global_minimum_hessian(2)
    >>> H[0]
    [1/2, 0, 1/4, 1/(2*pi)]
    """
    ar = get_arithmetic(arithmetic)
    quarter, c = ar.number(1) / 4, 1 / (2 * ar.pi())
    zero, half = ar.number(0), ar.number(1) / 2
    H = [[zero] * (k * k) for _ in range(k * k)]
    for i in range(k):
        for j in range(k):
            for a in range(k):
                for b in range(k):
                    if i == j:
                        x = half if a == b else zero
                    else:
                        x = (quarter if a == b else zero) + (c if (a, b) in ((i, j), (j, i)) else zero)
                    H[i * k + a][j * k + b] = x
    return H


def global_minimum_spectrum(k):
    r"""Return the Hessian spectrum at :math:`W = V = I_k` in closed form (math §5.1).

    Returns
    -------
    list of (sympy number, int)
        Eigenvalues (exact) with multiplicities summing to :math:`k^2`, ascending; zero
        multiplicities are dropped and equal eigenvalues merged.

    Raises
    ------
    InvalidDataError
        If ``k < 2``.

    Examples
    --------
    >>> [m for _, m in global_minimum_spectrum(4)]
    [6, 3, 2, 1, 3, 1]
    >>> global_minimum_spectrum(4)[0]
    (1/4 - 1/(2*pi), 6)
    >>> global_minimum_spectrum(1)
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: k = 1: the spectrum is tabulated for k >= 2
    """
    if k < 2:
        raise InvalidDataError(f"k = {k}: the spectrum is tabulated for k >= 2")
    pi, lam = sympy.pi, sympy.Symbol("lambda")
    q = sympy.Rational(1, 4)
    rows = [(q - 1 / (2 * pi), k * (k - 1) // 2), (q + 1 / (2 * pi), k * (k - 3) // 2)]
    quad = lam**2 - (sympy.Rational(k, 4) + sympy.Rational(1, 2)) * lam + sympy.Rational(k + 1, 16)
    quad += 1 / (4 * pi) - 1 / (4 * pi**2)
    rows += [(r, k - 1) for r in sympy.solve(quad, lam)]
    a, b = q + (k - 1) / (2 * pi), q
    c, d = (k - 2) / (2 * pi), sympy.Rational(k + 1, 4) + 1 / (2 * pi)
    rows += [(r, 1) for r in sympy.Matrix([[a, c], [b, d]]).eigenvals(multiple=True)]
    merged = {}
    for val, mult in rows:
        if mult:
            key = next((v for v in merged if sympy.simplify(v - val) == 0), val)
            merged[key] = merged.get(key, 0) + mult
    return sorted(merged.items(), key=lambda vm: sympy.N(vm[0], 30))


# ---------------------------------------------------------------------------------------------
# helpers


def _student_teacher(ar, W, V):
    W = _matrix(ar, W, "W")
    V = _matrix(ar, identity_teacher(len(W[0])) if V is None else V, "V")
    if len(V[0]) != len(W[0]):
        raise InvalidDataError(f"W has {len(W[0])} columns but V has {len(V[0])}")
    return W, V


def _matrix(ar, M, name):
    if not len(M) or not len(M[0]):
        raise InvalidDataError(f"{name} is empty")
    d = len(M[0])
    rows = []
    for i, row in enumerate(M):
        if len(row) != d:
            raise InvalidDataError(f"{name}[{i}] has {entries(len(row))}, expected {d}")
        rows.append([ar.number(a, f"{name}[{i}][{j}]") for j, a in enumerate(row)])
    return rows


def _nonzero_rows(ar, W):
    for i, w in enumerate(W):
        if all(ar.is_zero(a) for a in w):
            raise InvalidDataError(f"row W[{i}] is 0: L is not differentiable there")


def _dot(u, v):
    return sum((a * b for a, b in zip(u, v)), 0 * u[0])


def _gram(M):
    return [[_dot(u, v) for v in M] for u in M]


def _f(ar, A, B, c):
    return kernel_derivatives(ar, A, B, c)[0]


def _h1(ar, u, v, A, B, c):
    """:math:`\\nabla^2_{uu}f(u,v)`, or ``None`` where it vanishes (parallel vectors)."""
    G = A * B - c * c
    if ar.is_zero(G):
        return None
    pi, R = ar.pi(), ar.sqrt(G)
    t = [b - c / A * a for a, b in zip(u, v)]
    s1, s2 = R / (2 * pi * A), 1 / (2 * pi * R)
    d = len(u)
    return [
        [s1 * (int(a == b) - u[a] * u[b] / A) + s2 * t[a] * t[b] for b in range(d)] for a in range(d)
    ]


def _h2(ar, u, v, A, B, c):
    """:math:`\\partial^2 f/\\partial u\\,\\partial v^\\top` (entry (a, b): d/du_a d/dv_b)."""
    G = A * B - c * c
    d = len(u)
    if ar.is_zero(G):
        diag = ar.number(1) / 2 if ar.sign(c) > 0 else ar.number(0)
        return [[diag if a == b else ar.number(0) for b in range(d)] for a in range(d)]
    pi, R = ar.pi(), ar.sqrt(G)
    theta = ar.atan2(R, c)
    t = [b - c / A * a for a, b in zip(u, v)]
    t2 = [a - c / B * b for a, b in zip(u, v)]
    diag = (pi - theta) / (2 * pi)
    s = 1 / (2 * pi * R)
    return [[(diag if a == b else 0) + s * (u[a] * t[b] + v[a] * t2[b]) for b in range(d)] for a in range(d)]


def _put(H, i, j, block, d):
    for a in range(d):
        H[i * d + a][j * d : (j + 1) * d] = block[a]


def _tidy(ar, x):
    return sympy.sympify(x) if ar.exact else x
