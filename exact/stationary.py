r"""Stationary points, cone-restricted minima and local minima of :math:`F`, decided exactly.

For data :math:`(X,y,\beta)` and a network :math:`\theta=(w_j,a_j)_{j\le m}`
(``math/convex_duality.md`` §1, §6; ``math/benignity_and_relaxation.md`` §2, §3)

.. math:: F(\theta)=\tfrac12\|\hat y-y\|^2+\tfrac\beta2\sum_j(\|w_j\|^2+a_j^2),\qquad
          \hat y=\sum_j(Xw_j)_+a_j,\qquad \nu=y-\hat y .

Around :math:`w_j` the regions :math:`\mathcal R(w_j)` are those of the *kink rows*
:math:`Z(w_j)=\{k:x_k\ne0,\ x_k^\top w_j=0\}` (every region if :math:`w_j=0`), and on the region
:math:`s` the gradient has the pieces :math:`\partial_{a_j}F=\beta a_j-\nu^\top(Xw_j)_+` and
:math:`\nabla_{w_j}F=\beta w_j-a_jG_s`, :math:`G_s=X^\top D_s\nu`. This module decides, exactly:

**Clarke stationarity (T6.2)** — :func:`clarke_stationarity`: :math:`0\in\partial F(\theta)` iff
for every :math:`j`, :math:`\beta a_j=\nu^\top(Xw_j)_+` and
:math:`\beta w_j\in a_j\operatorname{conv}\{G_s:s\in\mathcal R(w_j)\}`. With independent kink
rows the hull is the box :math:`G_0+\{\sum_{k\in Z}\delta_k\nu_kx_k:\delta\in[0,1]^Z\}` and the
test is one exact linear solve; with dependent kink rows not every corner of that box is a
region (the naive box is an outer approximation), so the test is an exact LP over the listed
regions. The answer is a convex combination (certificate ``reluscape/stationary/1``) or a
separating vector, i.e. a direction :math:`d` with Clarke derivative
:math:`F^\circ(\theta;d)=\max_{g\in\partial F}g^\top d<0`.

**Cone-restricted minimum (D6.5 (1), BBEL Def. 3.6 (i))** — :func:`cone_minimum`: :math:`\theta`
attains the cone program :math:`\mathrm{CP}(A)` of chosen closed cones (one region and sign per
neuron). By the gap identity this holds iff :math:`\theta` is balanced,
:math:`\beta a_j=\nu^\top(Xw_j)_+`, and :math:`\|\Pi_{K_s}(\sigma X^\top D_s\nu)\|\le\beta` on the
chosen blocks; certified by the multipliers :math:`\lambda\ge0` with
:math:`\|\sigma X^\top D_s\nu+A_s^\top\lambda\|^2\le\beta^2`.

**Local minimum (Lemma 2.4, D6.5)** — :func:`local_minimum`: the same on *every* closed cone
containing :math:`\theta`: every adjacent region of every non-zero neuron with its sign, and for
a zero neuron every region with both signs (:math:`\Lambda_\pm(r)\le\beta`, i.e.
:math:`\nu\in\mathcal D`). A failure comes with an *escape*: a direction whose expansion
:math:`F(\theta+\varepsilon d)-F(\theta)=\sum_{i\le4}c_i\varepsilon^i` (exact for small
:math:`\varepsilon>0`) has a negative leading coefficient: first order for a violated kink cone
(the R6.4 (a) case), second order for a zero neuron (the D6.5 saddle,
:math:`\omega=\Pi_{K_s}(\pm X^\top D_s\nu)`, :math:`c=\|\omega\|^2/\beta`).

**Global minimum** — :func:`global_minimum`: balanced, :math:`\beta a_j=\nu^\top(Xw_j)_+` and
:math:`\nu\in\mathcal D`; then :math:`F(\theta)=d(\nu)\le p^*`. :func:`classify` combines all of
this into global / spurious local / non-minimum stationary / not stationary.

**Numbers.** A network is held as :class:`Network`: per neuron the sign :math:`\sigma_j` of
:math:`a_j`, :math:`a_j^2` and :math:`u_j=|a_j|w_j` (or :math:`w_j` when :math:`a_j=0`). Every test
above depends on :math:`\theta` only through these, so they may lie in :math:`\mathbb Q` or in a
multiquadratic field (:mod:`exact.multiquadratic`) even when :math:`a_j=\sqrt{\|u_j\|}` does not
(nested radicals). Directions are stored the same way: per neuron :math:`(r_j,v_j)` means
:math:`\dot a_j=r_ja_j`, :math:`\dot w_j=v_j/|a_j|` (or :math:`\dot a_j=r_j`, :math:`\dot w_j=v_j`
when :math:`a_j=0`). The data must be rational.
"""

from dataclasses import dataclass, field
from fractions import Fraction

from .arrangement import enumerate_patterns
from .cone_faces import independent_rows, project_exact, solve_linear
from .data import Dataset
from .errors import InvalidDataError, UndecidedError, entries
from .multiquadratic import encode, field_element, sign, sign_of, sqrt_element, to_sympy

__all__ = [
    "Neuron",
    "Network",
    "AdjacentRegion",
    "Escape",
    "StationarityResult",
    "MinimumResult",
    "Classification",
    "KINDS",
    "adjacent_regions",
    "descent_polynomial",
    "clarke_stationarity",
    "cone_minimum",
    "local_minimum",
    "global_minimum",
    "classify",
    "optimal_network",
]

#: The classes of :func:`classify`.
KINDS = ("global_minimum", "spurious_local_minimum", "local_minimum", "non_minimum_stationary", "not_stationary")


@dataclass(frozen=True)
class Neuron:
    r"""One neuron as the tests see it: :math:`\sigma=\operatorname{sign}a`, :math:`a^2`, and
    :math:`u=|a|w` (:math:`u=w` when :math:`a=0`); entries are ``Fraction`` or
    :class:`~exact.multiquadratic.Multiquadratic`."""

    sign: int
    a2: object
    u: tuple


@dataclass(frozen=True)
class Network:
    r"""A network :math:`\theta=(w_j,a_j)_{j\le m}` stored exactly as :class:`Neuron` records.

    Examples
    --------
    >>> net = Network.from_weights([[1, 0], [0, 0]], [2, 0])
    >>> net.neurons[0], net.width
    (Neuron(sign=1, a2=Fraction(4, 1), u=(Fraction(2, 1), Fraction(0, 1))), 2)
    >>> net.weights()
    ([[1, 0], [0, 0]], [2, 0])
    """

    neurons: tuple

    @property
    def width(self):
        """The number of neurons :math:`m`."""
        return len(self.neurons)

    @classmethod
    def from_weights(cls, W, a):
        r"""Build from :math:`W` (m rows) and :math:`a` (m entries): ints, Fractions, strings,
        multiquadratic numbers or sympy real numbers (nested radicals allowed as long as
        :math:`a_j^2` and :math:`|a_j|w_j` lie in a multiquadratic field).

        Raises
        ------
        InvalidDataError
            On shapes that differ, floats, or numbers outside the fields supported.
        """
        W, a = [list(r) for r in W], list(a)
        if len(W) != len(a):
            raise InvalidDataError(f"W has {len(W)} neurons but a has {len(a)}")
        if not W:
            raise InvalidDataError("the network has no neurons (m = 0)")
        d = len(W[0])
        neurons = []
        for j, (w, aj) in enumerate(zip(W, a)):
            if len(w) != d:
                raise InvalidDataError(f"W[{j}] has {entries(len(w))}, expected {d}")
            s = _exact_sign(aj, f"a[{j}]")
            if s == 0:
                neurons.append(Neuron(0, Fraction(0), tuple(field_element(c, f"W[{j}][{i}]") for i, c in enumerate(w))))
                continue
            a2 = _product(aj, aj, f"a[{j}]^2")
            u = tuple(s * _product(aj, c, f"|a[{j}]| W[{j}][{i}]") for i, c in enumerate(w))
            neurons.append(Neuron(s, a2, u))
        return cls(tuple(neurons))

    @classmethod
    def from_blocks(cls, blocks, width=None):
        r"""The balanced network of convex blocks :math:`(\sigma,u)`: :math:`a^2=\|u\|`, padded with
        zero neurons to ``width`` (D3.4). :math:`\|u\|` must lie in a multiquadratic field.

        Examples
        --------
        >>> Network.from_blocks([(1, (3, 4))], width=2).neurons[0].a2
        Fraction(5, 1)
        """
        neurons = []
        for i, (s, u) in enumerate(blocks):
            u = tuple(field_element(c, f"blocks[{i}].u") for c in u)
            if s not in (1, -1):
                raise InvalidDataError(f"blocks[{i}] has sign {s!r}, expected +1 or -1")
            neurons.append(Neuron(s, sqrt_element(_dot(u, u)), u))
        d = len(neurons[0].u) if neurons else None
        if width is not None:
            if width < len(neurons) or d is None:
                raise InvalidDataError(f"width = {width} is below the {len(neurons)} blocks (or there are none)")
            neurons += [Neuron(0, Fraction(0), (Fraction(0),) * d) for _ in range(width - len(neurons))]
        return cls(tuple(neurons))

    def weights(self):
        r"""``(W, a)`` as exact sympy numbers: :math:`a_j=\sigma_j\sqrt{a_j^2}`, :math:`w_j=u_j/|a_j|`."""
        import sympy

        W, a = [], []
        for nr in self.neurons:
            if nr.sign == 0:
                W.append([_simplify(to_sympy(c)) for c in nr.u])
                a.append(sympy.Integer(0))
                continue
            root = sympy.sqrt(to_sympy(nr.a2))
            W.append([_simplify(to_sympy(c) / root) for c in nr.u])
            a.append(nr.sign * root)
        return W, a

    def scaled(self, t):
        """The network with every :math:`u_j` and :math:`a_j^2` multiplied by ``t > 0`` (same directions)."""
        return Network(tuple(Neuron(nr.sign, nr.a2 * t, tuple(c * t for c in nr.u)) for nr in self.neurons))


@dataclass(frozen=True)
class AdjacentRegion:
    r"""A region :math:`s\in\mathcal R(w)`: its strict signs on all rows (0 on zero rows), the
    kink rows :math:`Z(w)`, and a witness :math:`h` with :math:`\operatorname{sign}(x_k^\top h)=s_k`
    on the kinks (so :math:`w+\varepsilon h\in R_s` for small :math:`\varepsilon>0`)."""

    signs: tuple
    kinks: tuple
    witness: tuple

    @property
    def D(self):
        """The diagonal of :math:`D_s`."""
        return tuple(1 if s > 0 else 0 for s in self.signs)


@dataclass(frozen=True)
class Escape:
    r"""A direction proving that :math:`\theta` is not a local minimum.

    ``direction[j] = (r_j, v_j)`` (see the module docstring); ``coefficients`` are
    :math:`c_1..c_4` of :math:`F(\theta+\varepsilon d)-F(\theta)` for small :math:`\varepsilon>0`,
    and ``order`` is the index of the first non-zero one, which is negative.
    """

    neuron: int
    reason: str
    direction: tuple
    coefficients: tuple
    order: int


@dataclass(frozen=True)
class StationarityResult:
    """The Clarke test (T6.2): per neuron the convex weights on adjacent regions, or an escape."""

    stationary: bool
    data: Dataset = field(repr=False)
    network: Network = field(repr=False)
    nu: tuple = ()
    weights: tuple = ()
    escape: Escape = None

    def certificate(self):
        """``reluscape/stationary/1`` when stationary, else ``reluscape/descent/1`` with the
        complete adjacent region lists (so the checker also confirms :math:`0\\notin\\partial F`)."""
        if self.stationary:
            body = _header("reluscape/stationary/1", self.data, self.network)
            body["weights"] = [
                [{"signs": _signs(r.signs), "witness": _enc(r.witness), "weight": encode(mu)} for r, mu in ws]
                for ws in self.weights
            ]
            return body
        return _descent_certificate(self.data, self.network, self.escape, clarke=True)


@dataclass(frozen=True)
class MinimumResult:
    r"""A cone / local / global minimality test: ``holds`` with its certificate, or the failure.

    ``escape`` is a descent direction (not a minimum of the stated scope); for the global test
    a failure at a minimum of smaller scope is ``violated_block`` instead: a region, a sign and
    the projection :math:`p` with :math:`\|p\|>\beta` (:math:`\nu\notin\mathcal D`; a zero neuron
    added there would escape).
    """

    holds: bool
    scope: str
    data: Dataset = field(repr=False)
    network: Network = field(repr=False)
    nu: tuple = ()
    blocks: tuple = field(default=(), repr=False)
    dual: dict = field(default=None, repr=False)
    escape: Escape = None
    violated_block: tuple = None
    reason: str = ""

    def certificate(self, competitor=None):
        """``reluscape/local-min/1`` (with ``competitor``: a network of width at most m with a
        smaller value, which makes the minimum spurious), or ``reluscape/descent/1`` when
        an escape refutes it; ``None`` for a failed global test without an escape."""
        if not self.holds:
            return None if self.escape is None else _descent_certificate(self.data, self.network, self.escape)
        body = _header("reluscape/local-min/1", self.data, self.network)
        body["scope"] = self.scope
        body["blocks"] = [
            [{"signs": _signs(r.signs), "witness": _enc(r.witness), "sign": s, "lambda": _enc(lam)} for r, s, lam in bl]
            for bl in self.blocks
        ]
        if self.dual is not None:
            body["dual"] = self.dual
        if competitor is not None:
            body["competitor"] = _neurons(competitor)
        return body


@dataclass(frozen=True)
class Classification:
    r"""What :func:`classify` decided: ``kind`` (one of :data:`KINDS`), the value :math:`F(\theta)`
    (exact), the tests behind it and their certificates (``dict`` name -> JSON)."""

    kind: str
    value: object
    stationarity: StationarityResult
    local: MinimumResult = None
    global_: MinimumResult = None
    competitor: Network = None
    certificates: dict = field(default_factory=dict, repr=False)
    detail: str = ""


def adjacent_regions(X, w):
    r"""The regions :math:`\mathcal R(w)` whose closed cones contain :math:`w`, with witnesses.

    The signs off the kinks are those of :math:`Xw`; on the kink rows they run over the regions
    of the (central) arrangement of the kink rows, enumerated exactly
    (:func:`~exact.enumerate_patterns`; for irrational entries, independent kink rows).

    Parameters
    ----------
    X : n x d rational matrix (or a Dataset)
    w : d exact numbers (``Fraction``, ``int``, :class:`~exact.multiquadratic.Multiquadratic`)

    Returns
    -------
    list of AdjacentRegion

    Raises
    ------
    UndecidedError
        Irrational entries with dependent kink rows (not supported).

    Examples
    --------
    >>> [r.signs for r in adjacent_regions([[1, 0], [0, 1], [1, 1]], [1, 0])]   # kink row 1
    [(1, -1, 1), (1, 1, 1)]
    """
    X = X.X if isinstance(X, Dataset) else [list(r) for r in X]
    w = [field_element(c, f"w[{i}]") for i, c in enumerate(w)]
    base = [sign(_dot(x, w)) for x in X]
    kinks = tuple(k for k, x in enumerate(X) if base[k] == 0 and any(c != 0 for c in x))
    if not kinks:
        return [AdjacentRegion(tuple(base), (), (Fraction(0),) * len(w))]
    rows = [X[k] for k in kinks]
    out = []
    if all(isinstance(c, (int, Fraction)) for r in rows for c in r):
        for p in enumerate_patterns(rows):
            signs = list(base)
            for k, s in zip(kinks, p.signs):
                signs[k] = s
            out.append(AdjacentRegion(tuple(signs), kinks, tuple(Fraction(c) for c in p.witness)))
        return out
    if len(independent_rows(rows)) < len(rows):
        raise UndecidedError("irrational data with dependent kink rows: adjacent regions not enumerated")
    for bits in range(2 ** len(kinks)):
        local = [1 if bits >> i & 1 else -1 for i in range(len(kinks))]
        signs = list(base)
        for k, s in zip(kinks, local):
            signs[k] = s
        out.append(AdjacentRegion(tuple(signs), kinks, tuple(_solve_rows(rows, local))))
    return out


def descent_polynomial(data, network, direction):
    r"""The coefficients :math:`(c_1,\dots,c_4)` of :math:`F(\theta+\varepsilon d)-F(\theta)`, exact
    for :math:`0<\varepsilon<\varepsilon_0`.

    On that interval every :math:`x_k^\top(w_j+\varepsilon\dot w_j)` keeps one sign (the sign of
    :math:`x_k^\top w_j`, or of :math:`x_k^\top\dot w_j` on a kink), so :math:`F` is a polynomial
    of degree 4 in :math:`\varepsilon`. ``direction[j] = (r_j, v_j)`` as in the module docstring.

    Examples
    --------
    Growing a zero neuron along :math:`(\omega,c)=((1,0),1)` on :math:`x=(1,0)`, :math:`y=2`,
    :math:`\beta=1`: :math:`\Delta F=\varepsilon^2(\beta-\nu^\top(X\omega)_+)+\varepsilon^4/2`.

    >>> net = Network.from_weights([[0, 0]], [0])
    >>> descent_polynomial(Dataset([[1, 0]], [2], 1), net, [(1, (1, 0))])
    (Fraction(0, 1), Fraction(-1, 1), Fraction(0, 1), Fraction(1, 2))
    """
    ev = _Evaluation(data, network)
    return _polynomial(ev, _direction(direction, network))[1:]


def clarke_stationarity(data, network):
    r"""Decide :math:`0\in\partial F(\theta)` exactly (``math/convex_duality.md`` T6.2).

    Parameters
    ----------
    data : Dataset
    network : Network, or a pair ``(W, a)``

    Returns
    -------
    StationarityResult
        ``stationary`` with ``weights[j]`` = ((region, :math:`\mu_s`), ...) such that
        :math:`\beta w_j=a_j\sum_s\mu_sG_s`, or an ``escape`` whose direction has
        :math:`F^\circ(\theta;d)<0` (first order).

    Raises
    ------
    UndecidedError
        For an irrational residual with dependent kink rows.

    Examples
    --------
    ``math/convex_duality.md`` R6.4 (a): stationary on a kink with :math:`\delta_1=\tfrac12`.

    >>> D = Dataset([[0, 1], [1, 1], [1, -1]], [2, 1, 2], 1)
    >>> res = clarke_stationarity(D, Network.from_weights([[1, 0]], [1]))
    >>> res.stationary, [(r.signs, mu) for r, mu in res.weights[0]]
    (True, [((-1, 1, 1), Fraction(1, 2)), ((1, 1, 1), Fraction(1, 2))])
    """
    ev = _Evaluation(data, _as_network(network))
    weights = []
    for j in range(ev.m):
        out = _clarke_neuron(ev, j)
        if out[0] == "escape":
            return StationarityResult(False, ev.data, ev.net, ev.nu, (), _make_escape(ev, j, out[1], out[2]))
        weights.append(out[1])
    return StationarityResult(True, ev.data, ev.net, ev.nu, tuple(weights))


def cone_minimum(data, network, cones=None):
    r"""Decide whether :math:`\theta` minimises :math:`F` over chosen closed cones (D6.5 (1)).

    Parameters
    ----------
    data : Dataset
    network : Network or ``(W, a)``
    cones : sequence of ``(signs, sign)`` per neuron, optional
        ``signs`` is a region adjacent to :math:`w_j` (strict signs, 0 on zero rows) and
        ``sign`` is :math:`\sigma\in\{+1,-1\}` (the closed cone :math:`\sigma a_j\ge0`) or 0 (both
        signs, i.e. :math:`a_j` free: D6.5 (1) with :math:`C_{\mathcal S}`). Default: the region of
        :func:`exact.convex.adjacent_region` and the sign of :math:`a_j` (0 for a zero neuron).

    Returns
    -------
    MinimumResult
        ``scope="cone"``.

    Raises
    ------
    InvalidDataError
        If a cone does not contain :math:`\theta` (a region not adjacent to :math:`w_j`, a sign
        opposite to :math:`a_j`).

    Examples
    --------
    ``math/convex_duality.md`` R6.4 (b): optimal for :math:`C_{\{(+,-)\}}`, yet not stationary.

    >>> D = Dataset([[1, 0], [3, 4]], ["5/2", 1], 1)
    >>> net = Network.from_weights([[1, "-3/4"]], ["5/4"])
    >>> cone_minimum(D, net, cones=[((1, -1), 1)]).holds, clarke_stationarity(D, net).stationary
    (True, False)
    """
    from .convex import adjacent_region

    ev = _Evaluation(data, _as_network(network))
    if cones is None:
        cones = []
        for nr in ev.net.neurons:
            D = adjacent_region(ev.X, nr.u)
            cones.append((tuple(0 if not any(x) else (1 if dk else -1) for x, dk in zip(ev.X, D)), nr.sign))
    if len(cones) != ev.m:
        raise InvalidDataError(f"cones has {entries(len(cones))}, expected one per neuron ({ev.m})")
    blocks = []
    for j, (signs, sgn) in enumerate(cones):
        nr = ev.net.neurons[j]
        region = _find_adjacent(ev, j, tuple(signs))
        if sgn not in (-1, 0, 1) or (nr.sign and sgn and sgn != nr.sign):
            raise InvalidDataError(f"cones[{j}] has sign {sgn!r}; a[{j}] has sign {nr.sign}")
        blocks.append([(region, s) for s in ((sgn,) if sgn else (1, -1))])
    return _minimum(ev, "cone", blocks)


def local_minimum(data, network):
    r"""Decide whether :math:`\theta` is a local minimum of :math:`F` (Lemma 2.4; D6.5).

    A Clarke-stationary point is tested on every closed cone containing it: the adjacent
    regions of each non-zero neuron (its sign), and every region with both signs for a zero
    neuron. Not stationary, or a violated cone, gives an escape (first or second order).

    Returns
    -------
    MinimumResult
        ``scope="local"``.

    Examples
    --------
    R6.4 (a) is Clarke stationary but not a local minimum: a kink cone is violated.

    >>> D = Dataset([[0, 1], [1, 1], [1, -1]], [2, 1, 2], 1)
    >>> res = local_minimum(D, Network.from_weights([[1, 0]], [1]))
    >>> res.holds, res.escape.order, res.escape.coefficients[0] < 0
    (False, 1, True)
    """
    ev = _Evaluation(data, _as_network(network))
    clarke = clarke_stationarity(ev.data, ev.net)
    if not clarke.stationary:
        return MinimumResult(False, "local", ev.data, ev.net, ev.nu, escape=clarke.escape, reason=clarke.escape.reason)
    blocks = []
    for j, nr in enumerate(ev.net.neurons):
        if nr.sign == 0:
            blocks.append([])  # zero neurons: every region, both signs, in the dual section
        else:
            blocks.append([(r, nr.sign) for r in adjacent_regions(ev.X, nr.u)])
    zero = [j for j, nr in enumerate(ev.net.neurons) if nr.sign == 0]
    return _minimum(ev, "local", blocks, dual_for=zero[0] if zero else None)


def global_minimum(data, network, *, patterns=None):
    r"""Decide whether :math:`\theta` is a global minimum of :math:`F` at every width by duality.

    Holds iff :math:`\theta` is balanced, :math:`\beta a_j=\nu^\top(Xw_j)_+` and
    :math:`\nu\in\mathcal D` (every region, both signs): then :math:`F(\theta)=d(\nu)\le p^*`.

    Returns
    -------
    MinimumResult
        ``scope="global"``; on failure ``escape`` (not even a cone minimum) or
        ``violated_block`` (:math:`\nu\notin\mathcal D`).

    Examples
    --------
    >>> D = Dataset([[1, 0], [0, 1]], [2, 0], 1)
    >>> global_minimum(D, Network.from_weights([[1, 0]], [1])).holds
    True
    """
    ev = _Evaluation(data, _as_network(network))
    return _minimum(ev, "global", [[] for _ in range(ev.m)], dual_for=-1, patterns=patterns)


def classify(data, W, a=None):
    r"""Classify :math:`\theta`: global minimum, spurious local minimum, non-minimum stationary
    point (a saddle), or not stationary — each with exact certificates.

    Parameters
    ----------
    data : Dataset
    W : Network, or the first-layer weights (then ``a`` is required)
    a : second-layer weights

    Returns
    -------
    Classification
        ``kind`` is ``"local_minimum"`` only when the point is a local but not a global
        minimum of the convex problem and no network of width :math:`m` with a smaller value
        was found (then :math:`m` may be below :math:`m^*`, where :math:`\min P_m>p^*`).

    Examples
    --------
    >>> D = Dataset([[1, 0], [0, 1]], [2, -2], 1)
    >>> classify(D, [[1, 0], [0, 1]], [1, -1]).kind
    'global_minimum'
    >>> classify(D, [[1, 0], [0, 0]], [1, 0]).kind                     # zero neuron: a saddle
    'non_minimum_stationary'
    >>> D3 = Dataset([[1, 0], [0, 1]], [3, -3], 1)
    >>> classify(D3, [[1, 0], [1, 0]], [1, 1]).kind                   # both neurons positive
    'spurious_local_minimum'
    >>> classify(D, [[1, 0]], [2]).kind
    'not_stationary'
    """
    net = W if isinstance(W, Network) else Network.from_weights(W, a)
    ev = _Evaluation(data, net)
    value = ev.value
    clarke = clarke_stationarity(ev.data, net)
    if not clarke.stationary:
        return Classification(
            "not_stationary", value, clarke, certificates={"descent": clarke.certificate()}, detail=clarke.escape.reason
        )
    local = local_minimum(ev.data, net)
    certs = {"stationary": clarke.certificate()}
    if not local.holds:
        certs["descent"] = local.certificate()
        return Classification("non_minimum_stationary", value, clarke, local, certificates=certs, detail=local.reason)
    glob = global_minimum(ev.data, net)
    if glob.holds:
        certs["global"] = glob.certificate()
        return Classification("global_minimum", value, clarke, local, glob, certificates=certs, detail="nu is dual feasible")
    competitor = _competitor(ev)
    if competitor is None:
        certs["local"] = local.certificate()
        detail = "a local minimum with nu outside D; no network of this width with a smaller value was found"
        return Classification("local_minimum", value, clarke, local, glob, certificates=certs, detail=detail)
    certs["local"] = local.certificate(competitor=competitor)
    detail = "a local minimum; a network of the same width has a smaller value"
    return Classification("spurious_local_minimum", value, clarke, local, glob, competitor, certs, detail)


# ---------------------------------------------------------------------------------------------
# evaluation of F, nu and the patterns


class _Evaluation:
    def __init__(self, data, net):
        if not isinstance(data, Dataset):
            raise InvalidDataError("data must be a Dataset (X, y, beta)")
        net = _as_network(net)
        for j, nr in enumerate(net.neurons):
            if len(nr.u) != data.d:
                raise InvalidDataError(f"neuron {j} has {len(nr.u)} input weights, expected {data.d}")
        self.data, self.net = data, net
        self.X, self.y, self.beta = data.X, data.y, data.beta
        self.m, self.n, self.d = net.width, data.n, data.d
        self.signs = [[sign(_dot(x, nr.u)) for x in self.X] for nr in net.neurons]
        fit = [Fraction(0)] * self.n
        for nr, sg in zip(net.neurons, self.signs):
            if nr.sign:
                for k, x in enumerate(self.X):
                    if sg[k] > 0:
                        fit[k] += nr.sign * _dot(x, nr.u)
        self.nu = tuple(yk - f for yk, f in zip(self.y, fit))
        pen = sum((_penalty(nr) for nr in net.neurons), Fraction(0))
        self.value = _dot(self.nu, self.nu) / 2 + self.beta * pen / 2

    def G(self, signs):
        """:math:`X^\\top D_s\\nu`."""
        return [sum((self.X[k][c] * self.nu[k] for k in range(self.n) if signs[k] > 0), Fraction(0)) for c in range(self.d)]

    def a_equation(self, j):
        r""":math:`\beta\sigma a^2-\nu^\top(Xu)_+` (zero iff :math:`\beta a_j=\nu^\top(Xw_j)_+`)."""
        nr = self.net.neurons[j]
        act = sum((self.nu[k] * _dot(x, nr.u) for k, x in enumerate(self.X) if self.signs[j][k] > 0), Fraction(0))
        return self.beta * nr.sign * nr.a2 - act


def _penalty(nr):
    uu = _dot(nr.u, nr.u)
    return uu if nr.sign == 0 else nr.a2 + uu / nr.a2


def _polynomial(ev, direction):
    """Coefficients c_0..c_4 of F(theta + eps d) - F(theta) on (0, eps_0)."""
    fit = [[Fraction(0)] * 3 for _ in range(ev.n)]
    pen = [Fraction(0)] * 3
    for j, (nr, (r, v)) in enumerate(zip(ev.net.neurons, direction)):
        for k, x in enumerate(ev.X):
            xu, xv = _dot(x, nr.u), _dot(x, v)
            if sign(xu) > 0 or (sign(xu) == 0 and sign(xv) > 0):
                if nr.sign:  # sigma (1 + eps r)(x.u + eps x.v)
                    terms = (nr.sign * xu, nr.sign * (xv + r * xu), nr.sign * r * xv)
                else:  # eps r (x.w + eps x.dw)
                    terms = (Fraction(0), r * xu, r * xv)
                fit[k] = [f + t for f, t in zip(fit[k], terms)]
        uu, uv, vv = _dot(nr.u, nr.u), _dot(nr.u, v), _dot(v, v)
        if nr.sign:  # a^2 (1 + eps r)^2 + |u + eps v|^2 / a^2
            add = (nr.a2 + uu / nr.a2, 2 * r * nr.a2 + 2 * uv / nr.a2, r * r * nr.a2 + vv / nr.a2)
        else:  # (eps r)^2 + |w + eps dw|^2
            add = (uu, 2 * uv, r * r + vv)
        pen = [p + t for p, t in zip(pen, add)]
    coeff = [Fraction(0)] * 5
    for k in range(ev.n):
        e = [fit[k][0] - ev.y[k], fit[k][1], fit[k][2]]
        for i in range(3):
            for l in range(3):
                coeff[i + l] += e[i] * e[l] / 2
    for i in range(3):
        coeff[i] += ev.beta * pen[i] / 2
    coeff[0] -= ev.value
    return tuple(coeff)


def _make_escape(ev, j, reason, direction):
    coeff = _polynomial(ev, direction)
    order = next((i for i in range(1, 5) if coeff[i] != 0), None)
    if coeff[0] != 0 or order is None or sign(coeff[order]) >= 0:
        raise AssertionError(f"escape of neuron {j} does not descend: {coeff}")  # a bug, never data
    return Escape(j, reason, tuple(direction), coeff[1:], order)


def _direction(direction, net):
    if len(direction) != net.width:
        raise InvalidDataError(f"direction has {entries(len(direction))}, expected {net.width}")
    out = []
    for j, (r, v) in enumerate(direction):
        v = tuple(field_element(c, f"direction[{j}].v[{i}]") for i, c in enumerate(v))
        if len(v) != len(net.neurons[j].u):
            raise InvalidDataError(f"direction[{j}] has {entries(len(v))}, expected {len(net.neurons[j].u)}")
        out.append((field_element(r, f"direction[{j}].r"), v))
    return out


def _unit(ev, j, r, v):
    """The direction that moves neuron j only."""
    zero = (Fraction(0),) * ev.d
    return [(r, tuple(v)) if i == j else (Fraction(0), zero) for i in range(ev.m)]


# ---------------------------------------------------------------------------------------------
# Clarke stationarity


def _clarke_neuron(ev, j):
    """``("ok", weights)`` or ``("escape", reason, direction)`` for neuron j."""
    nr = ev.net.neurons[j]
    if nr.sign == 0:
        if all(c == 0 for c in nr.u):
            return ("ok", ())
        return ("escape", f"neuron {j}: a_j = 0 but w_j != 0 (the w-gradient is beta w_j)", _unit(ev, j, 0, [-c for c in nr.u]))
    e = ev.a_equation(j)
    if e != 0:
        r = Fraction(-nr.sign * sign(e))
        return ("escape", f"neuron {j}: beta a_j != nu^T (X w_j)_+", _unit(ev, j, r, (Fraction(0),) * ev.d))
    target = [nr.sign * ev.beta * c / nr.a2 for c in nr.u]  # t with beta w_j = a_j t
    signs = ev.signs[j]
    G0 = ev.G(signs)
    tau = [t - g for t, g in zip(target, G0)]
    kinks = [k for k in range(ev.n) if signs[k] == 0 and any(c != 0 for c in ev.X[k])]
    rows = [ev.X[k] for k in kinks]
    if len(independent_rows(rows)) == len(rows):
        status, payload = _box(ev, j, kinks, tau)
    else:
        status, payload = _hull_lp(ev, adjacent_regions(ev.X, nr.u), G0, tau)
    if status == "ok":
        return ("ok", payload)
    v = [-nr.sign * c for c in payload]  # descends on every adjacent piece: sigma (t - G_s).v < 0
    reason = f"neuron {j}: beta w_j is not in a_j conv{{X^T D_s nu : s in R(w_j)}}"
    return ("escape", reason, _unit(ev, j, 0, v))


def _box(ev, j, kinks, tau):
    r"""Independent kink rows: :math:`\tau=\sum_k\delta_k\nu_kx_k` with :math:`\delta\in[0,1]`."""
    live = [k for k in kinks if ev.nu[k] != 0]
    C = [[ev.nu[k] * c for c in ev.X[k]] for k in live]
    if live:
        gram = [[_dot(a, b) for b in C] for a in C]
        inv_rows = [solve_linear(gram, [Fraction(int(i == l)) for i in range(len(live))]) for l in range(len(live))]
        delta = [sum((inv_rows[i][l] * _dot(C[l], tau) for l in range(len(live))), Fraction(0)) for i in range(len(live))]
    else:
        inv_rows, delta = [], []
    resid = [tau[c] - sum((dl * C[i][c] for i, dl in enumerate(delta)), Fraction(0)) for c in range(ev.d)]
    if any(c != 0 for c in resid):
        return "separated", resid
    for i, dl in enumerate(delta):
        if dl > 1 or dl < 0:
            dual = [sum((inv_rows[i][l] * C[l][c] for l in range(len(live))), Fraction(0)) for c in range(ev.d)]
            return "separated", dual if dl > 1 else [-c for c in dual]
    # staircase: the vertices "top i of delta active" with weights delta_(i) - delta_(i+1)
    order = sorted(range(len(live)), key=lambda i: -_key(delta[i]))
    levels = [Fraction(1)] + [delta[i] for i in order] + [Fraction(0)]
    base = ev.signs[j]
    weights = []
    for top in range(len(order) + 1):
        mu = levels[top] - levels[top + 1]
        if mu == 0:
            continue
        active = {live[order[i]] for i in range(top)}
        local = [1 if k in active else -1 for k in kinks]
        signs = list(base)
        for k, s in zip(kinks, local):
            signs[k] = s
        witness = tuple(_solve_rows([ev.X[k] for k in kinks], local)) if kinks else (Fraction(0),) * ev.d
        weights.append((AdjacentRegion(tuple(signs), tuple(kinks), witness), mu))
    return "ok", tuple(weights)


def _hull_lp(ev, regions, G0, tau):
    """Dependent kink rows: the exact LP over the listed adjacent regions."""
    from .lp import solve_lp

    pts = [[g - g0 for g, g0 in zip(ev.G(r.signs), G0)] for r in regions]
    if not all(isinstance(c, Fraction) for c in tau) or not all(isinstance(c, Fraction) for p in pts for c in p):
        raise UndecidedError("dependent kink rows with an irrational residual: the hull LP is not run")
    A_eq = [[p[c] for p in pts] for c in range(ev.d)] + [[1] * len(pts)]
    res = solve_lp([0] * len(pts), A_eq=A_eq, b_eq=list(tau) + [1])
    if res.status == "optimal":
        return "ok", tuple((r, mu) for r, mu in zip(regions, res.x) if mu != 0)
    return "separated", list(res.y_eq[: ev.d])


# ---------------------------------------------------------------------------------------------
# cone, local and global minimality


def _minimum(ev, scope, blocks, dual_for=None, patterns=None):
    """Check balance, the a-equations and every listed block; ``dual_for`` adds all regions."""
    for j, nr in enumerate(ev.net.neurons):
        if nr.sign == 0:
            if any(c != 0 for c in nr.u):
                esc = _make_escape(ev, j, f"neuron {j}: a_j = 0 but w_j != 0", _unit(ev, j, 0, [-c for c in nr.u]))
                return MinimumResult(False, scope, ev.data, ev.net, ev.nu, escape=esc, reason=esc.reason)
            continue
        uu = _dot(nr.u, nr.u)
        if nr.a2 * nr.a2 != uu:  # rescale (t w, a / t) towards balance
            r = Fraction(-1) if sign(uu - nr.a2 * nr.a2) < 0 else Fraction(1)
            esc = _make_escape(ev, j, f"neuron {j} is not balanced", _unit(ev, j, r, [-r * c for c in nr.u]))
            return MinimumResult(False, scope, ev.data, ev.net, ev.nu, escape=esc, reason=esc.reason)
        e = ev.a_equation(j)
        if e != 0:
            esc = _make_escape(ev, j, f"neuron {j}: beta a_j != nu^T (X w_j)_+", _unit(ev, j, Fraction(-nr.sign * sign(e)), (Fraction(0),) * ev.d))
            return MinimumResult(False, scope, ev.data, ev.net, ev.nu, escape=esc, reason=esc.reason)
    out = []
    for j, bl in enumerate(blocks):
        checked = []
        for region, s in bl:
            p, lam = _block(ev, region.signs, s)
            if _dot(p, p) > ev.beta**2:
                grow = _zero_escape if ev.net.neurons[j].sign == 0 else _block_escape  # a zero neuron's cone: grow it
                esc = grow(ev, j, region, s, p)
                return MinimumResult(False, scope, ev.data, ev.net, ev.nu, escape=esc, reason=esc.reason)
            checked.append((region, s, lam))
        out.append(tuple(checked))
    dual = None
    if dual_for is not None:
        pats = enumerate_patterns(ev.X) if patterns is None else patterns
        lams = []
        for pat in pats:
            pair = []
            for s in (1, -1):
                p, lam = _block(ev, pat.signs, s)
                if _dot(p, p) > ev.beta**2:
                    region = AdjacentRegion(tuple(pat.signs), tuple(range(ev.n)), tuple(Fraction(c) for c in pat.witness))
                    if dual_for >= 0:
                        esc = _zero_escape(ev, dual_for, region, s, p)
                        return MinimumResult(False, scope, ev.data, ev.net, ev.nu, escape=esc, reason=esc.reason)
                    return MinimumResult(
                        False, scope, ev.data, ev.net, ev.nu, violated_block=(region, s, p),
                        reason="nu is not dual feasible: ||Pi_K(sigma X^T D_s nu)|| > beta",
                    )
                pair.append(_enc(lam))
            lams.append(pair)
        cert = pats.certificate()
        dual = {"patterns": cert["patterns"], "complete": cert["complete"], "lambda": lams}
    return MinimumResult(True, scope, ev.data, ev.net, ev.nu, tuple(out), dual)


def _block(ev, signs, s):
    r"""The projection :math:`p=\Pi_{K_s}(\sigma X^\top D_s\nu)` and its multipliers."""
    g = [s * c for c in ev.G(signs)]
    A = [[c if sk > 0 else -c for c in x] for x, sk in zip(ev.X, signs)]
    pr = project_exact(A, g)
    return pr.point, pr.multipliers


def _block_escape(ev, j, region, s, p):
    r"""A violated kink cone of a non-zero neuron: :math:`\dot w_j=p/|a_j|` (first order)."""
    reason = f"neuron {j}: the adjacent cone {_signs(region.signs)} has ||Pi_K(sigma X^T D_s nu)|| > beta"
    return _make_escape(ev, j, reason, _unit(ev, j, Fraction(0), p))


def _zero_escape(ev, j, region, s, p):
    r"""A zero neuron with :math:`\|p\|>\beta`: grow :math:`(\varepsilon p,\varepsilon\sigma c)`, :math:`c=\|p\|^2/\beta`."""
    reason = f"zero neuron {j}: Lambda_{'+' if s > 0 else '-'}(r) > beta on region {_signs(region.signs)} (a saddle)"
    return _make_escape(ev, j, reason, _unit(ev, j, s * _dot(p, p) / ev.beta, p))


def _find_adjacent(ev, j, signs):
    """The adjacent region of neuron j with these signs, with its witness."""
    for r in adjacent_regions(ev.X, ev.net.neurons[j].u):
        if r.signs == signs:
            return r
    raise InvalidDataError(f"cones[{j}] = {_signs(signs)} is not a region adjacent to w_{j}")


def optimal_network(data, width, *, opt=None, bits=96):
    r"""A rational network of width ``width`` within about :math:`2^{-\text{bits}}` of the certified
    optimum (a proposal: its value :math:`F\ge p^*` is exact), or ``None`` when the optimum found
    uses more than ``width`` atoms.

    Each atom's block :math:`u` is rounded, projected exactly into its cone and made a balanced
    neuron with :math:`a^2` a rational near :math:`\|u\|` (D3.4).

    Examples
    --------
    >>> net = optimal_network(Dataset([[1, 0], [0, 1]], [3, -3], 1), 2)
    >>> [(nr.sign, nr.a2, nr.u) for nr in net.neurons]
    [(-1, Fraction(2, 1), (Fraction(0, 1), Fraction(2, 1))), (1, Fraction(2, 1), (Fraction(2, 1), Fraction(0, 1)))]
    """
    from .cones import project
    from .multiquadratic import approximate
    from .optimum import optimal_set

    opt = optimal_set(data) if opt is None else opt
    if len(opt.atoms) > width:
        return None
    neurons = []
    for blk in opt.primal:
        u = [approximate(c, bits) for c in blk.u]
        A = [[c if dk else -c for c in x] for x, dk in zip(data.X, blk.D)]
        u = tuple(project(A, u).point)
        norm = _dot(u, u)
        if norm:
            neurons.append(Neuron(blk.sign, _sqrt_near(norm, bits), u))
    neurons += [Neuron(0, Fraction(0), (Fraction(0),) * data.d)] * (width - len(neurons))
    return Network(tuple(neurons))


def _competitor(ev):
    """A network of width m whose value is exactly below F(theta), from the certified optimum."""
    net = optimal_network(ev.data, ev.m)
    return net if net is not None and _Evaluation(ev.data, net).value < ev.value else None


# ---------------------------------------------------------------------------------------------
# certificates


def _header(schema, data, net):
    from .certificates import number, numbers

    return {
        "schema": schema,
        "X": [numbers(r) for r in data.X],
        "y": numbers(data.y),
        "beta": number(data.beta),
        "neurons": _neurons(net),
    }


def _neurons(net):
    return [{"sign": nr.sign, "a2": encode(nr.a2), "u": _enc(nr.u)} for nr in net.neurons]


def _descent_certificate(data, net, escape, clarke=False):
    """``reluscape/descent/1``; with ``clarke`` the complete adjacent regions of the moved
    neurons, so that the checker also bounds the Clarke derivative."""
    body = _header("reluscape/descent/1", data, net)
    body["direction"] = [{"r": encode(r), "v": _enc(v)} for r, v in escape.direction]
    body["reason"] = escape.reason
    if clarke:
        body["clarke"] = [
            [{"signs": _signs(r.signs), "witness": _enc(r.witness)} for r in adjacent_regions(data.X, nr.u)]
            if nr.sign and any(c != 0 for c in v)
            else []
            for nr, (_, v) in zip(net.neurons, escape.direction)
        ]
    return body


def _enc(v):
    return [encode(c) for c in v]


def _signs(signs):
    return "".join("+" if s > 0 else "-" if s < 0 else "0" for s in signs)


# ---------------------------------------------------------------------------------------------
# small helpers


def _as_network(net):
    if isinstance(net, Network):
        return net
    if isinstance(net, tuple) and len(net) == 2:
        return Network.from_weights(*net)
    raise InvalidDataError("network must be a Network or a pair (W, a)")


def _dot(u, v):
    return sum((a * b for a, b in zip(u, v)), Fraction(0))


def _key(x):
    """A rational sort key of a field element (sorting only; never a decision)."""
    from .multiquadratic import approximate

    return approximate(x, 128)


def _sqrt_near(q, bits=96):
    """A rational within 2^-bits of sqrt(q) (q >= 0 rational): integer square roots, a proposal."""
    from math import isqrt

    scale = 1 << bits
    return Fraction(isqrt(q.numerator * q.denominator * scale * scale), q.denominator * scale)


def _solve_rows(rows, rhs):
    """The minimum-norm h with rows . h = rhs (independent rows): h = R^T (R R^T)^-1 rhs."""
    gram = [[_dot(a, b) for b in rows] for a in rows]
    c = solve_linear(gram, [Fraction(s) for s in rhs])
    d = len(rows[0])
    return [sum((ci * r[i] for ci, r in zip(c, rows)), Fraction(0)) for i in range(d)]


def _exact_sign(a, where):
    r"""The sign of an input: exact in a multiquadratic field, else (a sympy algebraic number) in balls."""
    try:
        return sign(field_element(a, where))
    except InvalidDataError:
        if not _algebraic(a):
            raise
        return sign_of(a)


def _product(a, b, where):
    r"""The exact product of two inputs in a multiquadratic field (sympy simplifies nested radicals)."""
    try:
        return field_element(a, where) * field_element(b, where)
    except InvalidDataError:
        if not any(_is_sympy(c) for c in (a, b)) or any(getattr(c, "is_Float", False) for c in (a, b)):
            raise
        import sympy

        return field_element(sympy.sympify(a) * sympy.sympify(b), where)


def _is_sympy(x):
    return getattr(x, "is_number", False) and hasattr(x, "free_symbols")


def _algebraic(x):
    """Whether ``x`` is a sympy number with no float in it (sympy may then decide it exactly)."""
    import sympy

    return _is_sympy(x) and not any(getattr(t, "is_Float", False) for t in sympy.preorder_traversal(x))


def _simplify(e):
    import sympy

    return sympy.radsimp(e)

