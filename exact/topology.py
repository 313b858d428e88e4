r"""Connected components of the nonconvex optimal set at width :math:`m` (the staircase).

Every optimal network of width :math:`m\ge m^*` assigns each neuron :math:`j` an atom
:math:`L(j)` and a weight :math:`\gamma_j\ge0` (T4.5):

.. math:: \Theta_L=\{(\sqrt{\gamma_j}\,\omega_{L(j)},\ \sigma_{L(j)}\sqrt{\gamma_j})_j:
          \gamma\ge0,\ \textstyle\sum_j\gamma_j\,\mathrm{col}_{L(j)}=\hat y^*\},
          \qquad \Theta^*(m)=\bigcup_L\Theta_L .

Each :math:`\Theta_L` is the continuous image of a polytope, hence connected. Its vertices are
the *anchors* it contains: a vertex support :math:`S` of :math:`\mathcal Q^*` placed
injectively on positions :math:`P` with :math:`L|_P` onto :math:`S` (the columns at the other
positions must carry weight 0). Two pieces meet iff they share a point, i.e. iff the positions
where :math:`L` and :math:`L'` agree carry a vertex support — a shared anchor. So the components
of :math:`\Theta^*(m)` are those of the bipartite graph *labelings – anchors*
(``math/convex_duality.md`` §5, "Components at finite m"). A component is a single point iff it
holds exactly one anchor and every labeling in it contains only that anchor (then every piece
is that point).
"""

from itertools import product

import networkx as nx

from .errors import InvalidDataError, ResourceLimitError
from .solution_set import optimal_polytope

__all__ = ["optimal_set_graph", "optimal_set_components", "staircase", "MAX_LABELINGS"]

#: Largest number of labelings (atoms^m) the graph is built for.
MAX_LABELINGS = 300_000


def optimal_set_graph(data, m, *, polytope=None):
    r"""The graph whose connected components are those of the optimal set :math:`\Theta^*(m)`.

    Nodes are ``("L", labeling)`` (an ordered tuple of atom indices, one per neuron, with a
    non-empty piece :math:`\Theta_L`) and ``("anchor", ((position, atom), ...))`` (a vertex
    support placed on neurons); edges join a labeling to the anchors it contains. Node attribute
    ``kind`` is ``"labeling"`` or ``"anchor"``; anchors carry their weights as text.

    Parameters
    ----------
    data : Dataset
    m : int
        The width (number of neurons), ``m >= 1``.
    polytope : OptimalPolytope, optional

    Raises
    ------
    ResourceLimitError
        When ``atoms^m`` exceeds :data:`MAX_LABELINGS`.

    Examples
    --------
    >>> from exact import Dataset
    >>> G = optimal_set_graph(Dataset([[1, 0], [1, -1], [1, 2]], [3, -2, 0], 1), 2)
    >>> nx.number_connected_components(G)   # the two orderings of the two neurons
    2
    """
    if isinstance(m, bool) or not isinstance(m, int) or m < 1:
        raise InvalidDataError(f"m = {m!r} must be an integer >= 1")
    P = optimal_polytope(data) if polytope is None else polytope
    A = len(P.atoms)
    G = nx.Graph()
    if all(v == 0 for v in P.target) or not A:  # the zero network is the only optimum
        G.add_node(("L", ()), kind="labeling")
        return G
    if A**m > MAX_LABELINGS:
        raise ResourceLimitError(f"{A}^{m} labelings exceed MAX_LABELINGS = {MAX_LABELINGS}; raise it or use smaller m")
    supports = [(frozenset(S), dict(zip(S, w))) for S, w in P.vertices]
    for L in product(range(A), repeat=m):
        image = set(L)
        anchors = []
        for S, weights in supports:
            if len(S) > m or not S <= image:
                continue
            slots = [[j for j in range(m) if L[j] == a] for a in sorted(S)]
            for choice in product(*slots):
                anchors.append((tuple(sorted(zip(choice, sorted(S)))), weights))
        if not anchors:
            continue
        node = ("L", L)
        G.add_node(node, kind="labeling")
        for anchor, weights in anchors:
            a = ("anchor", anchor)
            if a not in G:
                G.add_node(a, kind="anchor", weights=";".join(f"{pos}:{weights[atom]}" for pos, atom in anchor))
            G.add_edge(node, a)
    return G


def optimal_set_components(data, m, *, polytope=None):
    """The number of connected components of the optimal set at width ``m`` (see the graph).

    Examples
    --------
    >>> from exact import Dataset
    >>> optimal_set_components(Dataset([[1, 0], [1, -1], [1, 2]], [3, -2, 0], 1), 3)
    1
    """
    return _summary(optimal_set_graph(data, m, polytope=polytope))[0]


def staircase(data, widths=None, *, polytope=None):
    r"""The staircase table: for each width, components, single-point components, and whether a
    component with more than one point exists (KMP Thm 2; ``math/convex_duality.md`` T5.2).

    Returns a list of dicts ``{"m", "components", "points", "nonsingleton", "connected"}``.
    """
    P = optimal_polytope(data) if polytope is None else polytope
    sizes = [len(S) for S, _ in P.vertices]
    m_star, M_star = min(sizes), max(sizes)
    if widths is None:
        widths = range(max(m_star, 1), min(m_star + M_star, len(P.target) + 1) + 2)
    rows = []
    for m in widths:
        comps, points = _summary(optimal_set_graph(data, m, polytope=P))
        rows.append({"m": m, "components": comps, "points": points, "nonsingleton": comps > points, "connected": comps == 1})
    return rows


def _summary(G):
    """(number of components, number of single-point components) of the optimal set."""
    comps = points = 0
    for comp in nx.connected_components(G):
        labelings = [v for v in comp if v[0] == "L"]
        if not labelings:
            continue
        comps += 1
        anchors = [v for v in comp if v[0] == "anchor"]
        if len(anchors) == 1 and all(G.degree(v) == 1 for v in labelings):
            points += 1
        elif not anchors:  # the zero network
            points += 1
    return comps, points
