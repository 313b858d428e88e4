"""The float convex solvers, cone projection and dual checks, against independent routes."""

import itertools

import numpy as np
import pytest

from exact.errors import InvalidDataError
from exact.numeric.convex import cone_projection, dual_norms, dual_violation, pattern_sums, projection_face, solve_convex
from exact.numeric.nonconvex import loss

try:
    import cvxpy
except ModuleNotFoundError:
    cvxpy = None
try:
    import torch
except ModuleNotFoundError:
    torch = None

needs_cvxpy = pytest.mark.skipif(cvxpy is None, reason="cvxpy not installed (the cvx extra)")


def _gated(n, d, P, seed):
    """Gaussian data and the distinct patterns 1[Xh >= 0] of P Gaussian gates h."""
    rng = np.random.default_rng(seed)
    X, y = rng.standard_normal((n, d)), rng.standard_normal(n)
    D = np.unique((X @ rng.standard_normal((d, P)) >= 0).T.astype(float), axis=0)
    return X, y, D


def _huber(t, beta):
    return 0.5 * t * t if t <= beta else beta * t - 0.5 * beta * beta


def _orthonormal_instance():
    Q, _ = np.linalg.qr(np.random.default_rng(7).standard_normal((4, 4)))
    X = Q[:3]  # orthonormal rows: every sign vector is a region, so all 2^3 patterns
    y = np.array([1.0, -2.0, 0.5])
    D = np.array(list(itertools.product([0.0, 1.0], repeat=3)))
    return X, y, D


METHODS = ["admm", pytest.param("cvxpy", marks=needs_cvxpy)]


@pytest.mark.parametrize("method", METHODS)
def test_orthonormal_data_reaches_the_huber_optimum(method):
    """benignity_and_relaxation.md Thm 3.1: p* = h_β(Y₊) + h_β(Y₋), fit = group soft threshold."""
    X, y, D = _orthonormal_instance()
    beta = 0.4
    sol = solve_convex(X, y, beta, D, method=method, tol=1e-8)
    Yp, Ym = np.linalg.norm(y[y > 0]), np.linalg.norm(y[y < 0])
    assert sol.value == pytest.approx(_huber(Yp, beta) + _huber(Ym, beta), rel=1e-7)
    expected_fit = np.where(y > 0, 1 - beta / Yp, 1 - beta / Ym) * y
    assert np.allclose(sol.fit, expected_fit, atol=1e-3)
    assert sol.lower_bound <= sol.value and sol.converged


@needs_cvxpy
@pytest.mark.parametrize(
    "n, d, P, beta, seed",
    [(10, 3, 20, 1.0, 0), (10, 3, 20, 1.0, 1), (20, 4, 50, 0.5, 1), (12, 2, 30, 0.2, 2)],
)
def test_admm_agrees_with_clarabel(n, d, P, beta, seed):
    X, y, D = _gated(n, d, P, seed)
    ours = solve_convex(X, y, beta, D, tol=1e-6)
    ref = solve_convex(X, y, beta, D, method="cvxpy", tol=1e-9)
    assert ours.converged and ref.converged
    assert ours.value == pytest.approx(ref.value, rel=1e-6)
    assert np.allclose(ours.fit, ref.fit, atol=1e-3 * np.linalg.norm(y))
    # each bracket contains the other's feasible value: lower_bound <= p* <= value
    assert ours.lower_bound <= ref.value * (1 + 1e-9) and ref.lower_bound <= ours.value * (1 + 1e-9)
    assert ours.gap <= 1e-6 * ours.value
    assert ours.dual_violation <= 1e-5 * beta


@pytest.mark.parametrize("method", METHODS)
def test_proposal_is_consistent(method):
    """Blocks lie in their cones; fit, value, ν and d(ν) are what the formulas say."""
    X, y, D = _gated(15, 3, 40, 3)
    beta = 0.7
    sol = solve_convex(X, y, beta, D, method=method, tol=1e-6)
    signs = 2 * D - 1
    scale = np.abs(X).max() * max(np.abs(sol.U).max(), np.abs(sol.V).max())
    assert (signs * (sol.U @ X.T) >= -1e-9 * scale).all() and (signs * (sol.V @ X.T) >= -1e-9 * scale).all()
    fit = sum(D[s] * (X @ (sol.U[s] - sol.V[s])) for s in range(D.shape[0]))
    assert np.allclose(sol.fit, fit, atol=1e-12)
    assert np.allclose(sol.nu, y - fit, atol=1e-12)
    G = 0.5 * np.sum((fit - y) ** 2) + beta * (
        np.linalg.norm(sol.U, axis=1).sum() + np.linalg.norm(sol.V, axis=1).sum()
    )
    assert sol.value == pytest.approx(G, rel=1e-12)
    assert sol.dual_value == pytest.approx(sol.nu @ y - 0.5 * sol.nu @ sol.nu, rel=1e-12)
    assert sol.dual_violation == pytest.approx(dual_norms(X, D, sol.nu).max() - beta, abs=1e-12)
    assert sol.lower_bound <= sol.value


def test_value_equals_the_nonconvex_loss_of_the_mapped_network():
    """D3.4: u ↦ (u/√‖u‖, √‖u‖), v ↦ (v/√‖v‖, -√‖v‖) gives a network with F = G."""
    X, y, D = _gated(15, 3, 40, 4)
    beta = 0.5
    sol = solve_convex(X, y, beta, D, tol=1e-6)
    W, a = [], []
    for blocks, sign in ((sol.U, 1.0), (sol.V, -1.0)):
        for u in blocks:
            r = np.linalg.norm(u)
            if r > 0:
                W.append(u / np.sqrt(r))
                a.append(sign * np.sqrt(r))
    assert len(W) >= 1
    assert loss(X, y, beta, np.array(W), np.array(a)) == pytest.approx(sol.value, rel=1e-9)


def test_large_beta_gives_the_zero_network():
    """T4.6: ŷ* = 0 iff β ≥ β_max = max ‖Π_{K_s}(±X^T D_s y)‖."""
    X, y, D = _gated(12, 3, 30, 5)
    beta_max = dual_norms(X, D, y).max()
    above = solve_convex(X, y, 1.001 * beta_max, D)
    assert not above.U.any() and not above.V.any() and above.value == pytest.approx(0.5 * y @ y)
    assert above.iterations == 0
    below = solve_convex(X, y, 0.9 * beta_max, D)
    assert below.value < 0.5 * y @ y and (below.U.any() or below.V.any())


def test_more_patterns_never_increase_the_value():
    """p*_S is antitone in S (convex_duality.md D6.1): a restriction only raises the value."""
    X, y, D = _gated(12, 3, 40, 6)
    beta = 0.4
    full = solve_convex(X, y, beta, D, tol=1e-7)
    half = solve_convex(X, y, beta, D[::2], tol=1e-7)
    assert full.value <= half.value * (1 + 1e-6)
    assert full.lower_bound <= half.value


@pytest.mark.parametrize("seed", range(6))
def test_cone_projection_kkt_and_key_lemma(seed):
    """Π_K g: the KKT form (§4) and L4.1, max over unit u ∈ K of g·u = ‖Π_K g‖, by sampling K."""
    rng = np.random.default_rng(seed)
    n, d = 8, 3
    X = rng.standard_normal((n, d))
    h = rng.standard_normal(d)
    pattern = (X @ h > 0).astype(float)
    A = (2 * pattern - 1)[:, None] * X
    g = rng.standard_normal(d)
    p, lam = cone_projection(X, pattern, g)
    assert np.allclose(p, g + A.T @ lam, atol=1e-12)
    assert (lam >= 0).all() and (A @ p >= -1e-12).all() and abs(lam @ (A @ p)) <= 1e-12
    # sample unit vectors of K: directions around the witness h
    U = h / np.linalg.norm(h) + 0.7 * rng.standard_normal((20_000, d))
    U = U[((A @ U.T) >= 0).all(axis=0)]
    U /= np.linalg.norm(U, axis=1)[:, None]
    assert len(U) > 100
    best = (U @ g).max()
    norm_p = np.linalg.norm(p)
    assert best <= norm_p + 1e-12
    if norm_p > 1e-9 * np.linalg.norm(g):  # attained at p / ‖p‖
        omega = p / norm_p
        assert (A @ omega >= -1e-12).all() and g @ omega == pytest.approx(norm_p, rel=1e-12)
    # Moreau: g - p lies in the polar cone, so (g - p)·u <= 0 on K
    assert ((U @ (g - p)) <= 1e-12).all()


def test_cone_projection_near_the_boundary_passes_kkt():
    """Points a hair outside a face, where an unchecked NNLS answer can be wrong."""
    rng = np.random.default_rng(11)
    X = rng.standard_normal((40, 5))
    for trial in range(50):
        h = rng.standard_normal(5)
        pattern = (X @ h > 0).astype(float)
        A = (2 * pattern - 1)[:, None] * X
        p0, _ = cone_projection(X, pattern, rng.standard_normal(5))
        g = p0 - 1e-15 * rng.standard_normal(5)
        p, lam = cone_projection(X, pattern, g)
        assert np.linalg.norm(p - p0) <= 1e-9 * (1 + np.linalg.norm(p0)), trial
        assert (A @ p >= -1e-12 * (1 + np.linalg.norm(p))).all()


@pytest.mark.parametrize("seed", range(20))
def test_projection_face_is_the_kkt_face_found_by_brute_force(seed):
    """The proposed rows are a face F of the projection on {u : Au >= 0}: a subset with
    p = g + A_F^T z, z > 0, A_F p = 0 and A p >= 0, found exactly over all subsets; all such
    subsets give the same p (the projection is unique; at the apex p = 0 several can)."""
    from fractions import Fraction

    from exact.rational_linalg import solve

    rng = np.random.default_rng(seed)
    A = rng.integers(-5, 6, size=(4, 3)).tolist()
    g = rng.integers(-5, 6, size=3).tolist()
    faces = []
    for r in range(4):
        for F in itertools.combinations(range(4), r):
            G = [[sum(Fraction(A[i][c] * A[j][c]) for c in range(3)) for j in F] for i in F]
            z = solve(G, [-sum(Fraction(A[i][c] * g[c]) for c in range(3)) for i in F]) if F else []
            if z is None or any(v <= 0 for v in z):
                continue
            p = [g[c] + sum(v * A[i][c] for v, i in zip(z, F)) for c in range(3)]
            if all(sum(a * q for a, q in zip(row, p)) >= 0 for row in A):
                faces.append((list(F), p))
    assert faces and all(p == faces[0][1] for _, p in faces)
    assert projection_face(A, g) in [F for F, _ in faces]


def test_dual_norms_of_an_orthant_in_closed_form():
    """X = I: K_s is an orthant, Π is clipping, so ‖Π(X^T D_s ν)‖ = ‖(D_s ν)_+‖ on s's coordinates."""
    nu = np.array([3.0, -4.0, 1.0])
    D = np.array(list(itertools.product([0.0, 1.0], repeat=3)))
    got = dual_norms(np.eye(3), D, nu)
    want = np.array([[np.linalg.norm(np.maximum(s * d * nu, 0)) for s in (1, -1)] for d in D])
    assert np.allclose(got, want, atol=1e-12)


def test_dual_norms_read_given_sums():
    """``sums`` stands for X^T D_s nu: the sums of 2 nu give the norms of 2 nu (norms are 1-homogeneous)."""
    X, _, D = _gated(12, 3, 40, 0)
    nu = np.random.default_rng(0).standard_normal(12)
    G = pattern_sums(D, nu[:, None] * X)
    assert np.allclose(dual_norms(X, D, nu, sums=G), dual_norms(X, D, nu), atol=1e-12)
    assert np.allclose(dual_norms(X, D, nu, sums=2 * G), 2 * dual_norms(X, D, nu), atol=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_pruned_dual_violation_equals_the_full_scan(seed):
    X, y, D = _gated(20, 3, 80, seed)
    nu = np.random.default_rng(seed).standard_normal(20)
    assert dual_violation(X, D, nu, 0.5) == pytest.approx(dual_norms(X, D, nu).max() - 0.5, abs=1e-12)


@pytest.mark.skipif(torch is None, reason="torch not installed")
def test_admm_on_torch_agrees_with_numpy():
    X, y, D = _gated(10, 3, 20, 1)
    a = solve_convex(X, y, 1.0, D, tol=1e-6)
    b = solve_convex(X, y, 1.0, D, tol=1e-6, device="cpu")
    assert b.value == pytest.approx(a.value, rel=1e-6) and b.gap <= 1e-6 * b.value


@pytest.mark.gpu
@pytest.mark.skipif(torch is None or not torch.cuda.is_available(), reason="no CUDA device")
def test_admm_on_cuda_agrees_with_numpy():
    X, y, D = _gated(15, 3, 40, 8)
    a = solve_convex(X, y, 0.5, D, tol=1e-6)
    b = solve_convex(X, y, 0.5, D, tol=1e-6, device="cuda")
    assert b.value == pytest.approx(a.value, rel=1e-6)


def test_missing_cvxpy_is_a_clear_error(monkeypatch):
    import importlib

    real = importlib.import_module

    def fake(name, *args):
        if name == "cvxpy":
            raise ModuleNotFoundError("No module named 'cvxpy'")
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", fake)
    with pytest.raises(ModuleNotFoundError, match=r"reluscape\[cvx\]"):
        solve_convex([[1.0]], [1.0], 0.1, [[1]], method="cvxpy")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(patterns=[[1, 2]]), r"patterns\[0\]\[1\] = 2.0 is not 0 or 1"),
        (dict(patterns=[1, 0]), "patterns has 1 axes"),
        (dict(patterns=[[1, 0, 1]]), "patterns has 3 columns but X has 2 rows"),
        (dict(method="scs"), "method = 'scs'"),
        (dict(tol=0.0), "tol = 0.0 must be in"),
        (dict(max_iter=0), "max_iter = 0"),
        (dict(beta=-1.0), "beta = -1.0 must be > 0"),
        (dict(y=[1.0, np.nan]), r"y\[1\] is NaN"),
    ],
)
def test_bad_input_is_named(kwargs, message):
    args = dict(X=[[1.0, 0.0], [0.0, 1.0]], y=[1.0, 2.0], beta=0.5, patterns=[[1, 0], [1, 1]]) | kwargs
    with pytest.raises(InvalidDataError, match=message):
        solve_convex(**args)


@pytest.mark.parametrize("n, d, seed", [(9, 2, 0), (12, 3, 1), (40, 3, 2), (8, 3, 3)])
def test_dual_norms_on_walls_agree_with_active_set_projections(n, d, seed):
    """The vectorized face enumeration (walls known, d <= 3) against Lawson-Hanson on all rows;
    the data include a hyperplane carried by two rows and nu on both sides of every scale."""
    from exact import enumerate_patterns

    rng = np.random.default_rng(seed)
    X = rng.integers(-6, 7, (n, d))
    X[1] = -2 * X[0]  # antiparallel rows: one hyperplane, two rows
    X = [r for r in X.tolist() if any(r)]
    pats = enumerate_patterns(X)
    for scale in (1e-3, 1.0, 1e3):
        nu = scale * rng.normal(size=len(X))
        fast = dual_norms(X, pats.D, nu, walls=pats.walls)
        slow = dual_norms(X, pats.D, nu)
        assert np.allclose(fast, slow, rtol=1e-9, atol=1e-12 * scale)
        along_tree = dual_norms(X, pats.D, nu, walls=pats.walls, tree=pats.tree)  # X^T D_s nu by the tree
        assert np.allclose(along_tree, slow, rtol=1e-9, atol=1e-12 * scale)


# ---------------------------------------------------------------------------------------------
# column generation (exact/numeric/socp.py)


@pytest.mark.parametrize("seed", range(3))
def test_column_generation_reaches_the_full_solve(seed):
    """Starting from 8 blocks, column generation (violators added one per cluster of directions)
    ends at the optimum of the SOCP over all blocks, with no block violated."""
    pytest.importorskip("clarabel")
    from exact.arrangement import enumerate_patterns
    from exact.numeric.socp import solve_socp

    rng = np.random.default_rng(seed)
    X = rng.integers(-10, 11, size=(20, 3)).astype(float)
    y = rng.integers(-5, 6, size=20).astype(float)
    pats = enumerate_patterns(X.astype(int).tolist())
    full = solve_socp(X, y, 0.5, pats.D)
    for tree in (None, pats.tree):  # pricing by products or along the regions' spanning tree
        grown = solve_socp(X, y, 0.5, pats.D, working=8, walls=pats.walls, tree=tree)
        assert grown.iterations > 1  # it did grow
        assert abs(grown.value - full.value) <= 1e-7 * abs(full.value)
        assert grown.dual_violation <= 1e-6
    # stopping at a stalled violation below 1e-6: never later, and still within 1e-6 of p*
    early = solve_socp(X, y, 0.5, pats.D, working=8, walls=pats.walls, tree=pats.tree, stop=1e-6)
    assert early.iterations <= grown.iterations
    assert early.dual_violation <= 0.5e-6 and abs(early.value - full.value) <= 1e-6 * abs(full.value)



def test_clarabel_refines_its_solves_where_the_plain_ones_fall_short(monkeypatch):
    """_clarabel first runs without iterative refinement; a status short of Solved (here made
    AlmostSolved) runs it again with refinement, whose answer is the one returned."""
    clarabel = pytest.importorskip("clarabel")
    from exact.numeric.convex import block_fit
    from exact.numeric.socp import _clarabel

    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    D = np.array([[1, 0, 1], [1, 1, 1]], dtype=np.int8)
    W = [(0, 1.0), (1, 1.0), (1, -1.0)]
    reference = _clarabel(X, np.array([2.0, -1.0, 1.0]), 0.5, D, W, 1e-10)
    real, runs = clarabel.DefaultSolver, []

    class Short:
        def __init__(self, *args):
            self.solver, self.refine = real(*args), args[-1].iterative_refinement_enable
            runs.append(self.refine)

        def solve(self):
            sol = self.solver.solve()
            return sol if self.refine else type("Almost", (), {"status": "AlmostSolved", "x": [np.nan] * len(sol.x)})()

    monkeypatch.setattr(clarabel, "DefaultSolver", Short)
    U, V = _clarabel(X, np.array([2.0, -1.0, 1.0]), 0.5, D, W, 1e-10)
    assert runs == [False, True]
    fit = block_fit(X, D, U, V)  # unique (the blocks are not)
    assert np.allclose(fit, block_fit(X, D, *reference), atol=1e-7) and np.abs(fit).max() > 0.1


@pytest.mark.parametrize("seed", range(3))
def test_one_block_per_atom_is_kept_the_heaviest(seed):
    """_one_per_atom keeps, of blocks of one sign with the same projection Pi_K(sigma X^T D nu)
    (regions meeting on the face it lies on), exactly one, of largest weight; blocks with distinct
    projections (or a zero one) all stay. Projections recomputed one block at a time (_project)."""
    from exact.arrangement import enumerate_patterns
    from exact.numeric.convex import _patterns, _project
    from exact.numeric.socp import _one_per_atom

    rng = np.random.default_rng(seed)
    X = rng.integers(-6, 7, size=(10, 3))
    pats = enumerate_patterns(X.tolist())
    D = _patterns(pats.D, 10)
    nu = rng.normal(size=10)
    G = (D * nu) @ X
    U, V = rng.random((len(D), 3)), rng.random((len(D), 3))
    W = [(i, s) for i in range(len(D)) if D[i].any() for s in (1.0, -1.0)]
    kept = _one_per_atom(X.astype(float), D, G, W, U, V, pats.walls)
    proj = {b: _project(X.astype(float), D[b[0]].astype(float), b[1] * G[b[0]], pats.walls[b[0]])[0] for b in W}
    weight = {(i, s): np.linalg.norm((U if s > 0 else V)[i]) for i, s in W}
    same = {b: [c for c in W if c[1] == b[1] and np.linalg.norm(proj[b]) > 1e-9 and np.allclose(proj[c], proj[b], atol=1e-9)] for b in W}
    assert any(len(g) > 1 for g in same.values())  # the data has regions sharing a projection
    for b in W:
        group = same[b] or [b]
        here = [c for c in group if c in kept]
        assert len(here) == 1 and weight[here[0]] == max(weight[c] for c in group)



@pytest.mark.parametrize("n, d, seed", [(7, 2, 0), (10, 3, 1), (25, 3, 2)])
def test_wall_cones_project_a_subset_as_lawson_hanson_on_all_rows(n, d, seed):
    """WallCones.projections and .norms on a random subset of the patterns, in a shuffled
    order, against cone_projection on every row (nnls, no walls); and cones_of builds the
    cones once per array D: a copy of D gets its own."""
    from exact import enumerate_patterns
    from exact.numeric.wall_cones import WallCones, cones_of

    rng = np.random.default_rng(seed)
    X = rng.integers(-6, 7, (n, d))
    X[2] = 3 * X[1]  # parallel rows: a wall carried by two rows
    X = np.array([r for r in X.tolist() if any(r)], dtype=float)
    pats = enumerate_patterns(X.astype(int).tolist())
    which = rng.permutation(len(pats))[: len(pats) // 2]
    G = rng.normal(size=(len(which), d)) * 10.0 ** rng.integers(-3, 4, size=(len(which), 1))
    cones = WallCones(X, pats.D, pats.walls)
    P, N = cones.projections(G, which), cones.norms(G, which)
    for k, s in enumerate(which):
        for sign, col in ((1, 0), (-1, 1)):
            ref = cone_projection(X, pats.D[s], sign * G[k])[0]
            assert N[k, col] == pytest.approx(np.linalg.norm(ref), rel=1e-9, abs=1e-12)
            if sign > 0:
                assert np.allclose(P[k], ref, rtol=1e-9, atol=1e-12 * np.linalg.norm(G[k]))
    D = pats.D  # a new array at each access
    assert cones_of(X, D, pats.walls) is cones_of(X, D, pats.walls)
    assert cones_of(X, D.copy(), pats.walls) is not cones_of(X, D, pats.walls)


@pytest.mark.parametrize("seed", range(3))
def test_pricing_projects_again_only_below_its_bounds(seed):
    """_Pricing over a walk of nu's: every norm at or above the floor is the projection's
    (dual_norms over all blocks, recomputed), every other entry is an upper bound below the
    floor; and once nu settles, most patterns are not projected again."""
    from exact.arrangement import enumerate_patterns
    from exact.numeric import socp
    from exact.numeric.convex import _patterns

    rng = np.random.default_rng(seed)
    X = rng.integers(-10, 11, size=(30, 3))
    pats = enumerate_patterns(X.tolist())
    X, D = X.astype(float), _patterns(pats.D, 30)
    nu = rng.normal(size=30)
    floor = np.quantile(dual_norms(X, D, nu, walls=pats.walls), 0.9)
    projected = []
    pricing = socp._Pricing(X, D, pats.walls, pats.tree, floor)
    norms_of = pricing.cones.norms
    pricing.cones.norms = lambda G, which=None: projected.append(len(G)) or norms_of(G, which)
    for step in [0.1] * 3 + [1e-3] * 3 + [1e-6] * 3:
        nu = nu + step * rng.normal(size=30)
        G, norms = pricing(nu)
        true = dual_norms(X, D, nu, walls=pats.walls)
        assert np.allclose(G, D @ (nu[:, None] * X))
        high = true >= floor * (1 + 1e-9)  # sums along the tree and by products differ in the last bits
        assert np.allclose(norms[high], true[high], rtol=1e-12, atol=0)
        assert (norms >= true - 1e-9).all() and (norms[norms < floor] < floor).all()
    assert projected[0] == len(D) and projected[-1] < len(D) / 2, projected


@pytest.mark.parametrize("size", [1, 2, 3])
def test_gram_solve_is_the_pseudo_inverse_also_at_parallel_walls(size):
    """_gram_solve (LU where the Gram matrix is well conditioned, pinv elsewhere) agrees with
    pinv on stacks of 1-3 wall rows in R^3, a tenth of them with two equal rows (singular)."""
    from exact.numeric.convex import _gram_solve

    rng = np.random.default_rng(size)
    A = rng.normal(size=(400, 5, size, 3))
    if size > 1:
        A[:40, :, -1] = A[:40, :, 0]
    gram = np.einsum("bcid,bcjd->bcij", A, A)
    rhs = rng.normal(size=(400, 5, size))
    ref = np.einsum("bcij,bcj->bci", np.linalg.pinv(gram), rhs)
    assert np.allclose(_gram_solve(gram, rhs), ref, rtol=1e-6, atol=1e-8 * np.abs(ref).max())


def test_diverse_skips_near_duplicate_directions():
    from exact.numeric.socp import _diverse

    G = np.array([[1.0, 0.0], [1.0, 0.01], [0.0, 1.0], [-1.0, 0.0]])
    blocks = [(0, 1.0), (1, 1.0), (2, 1.0), (3, -1.0), (3, 1.0)]  # (3, -1) points along (1, 0) too
    assert _diverse(blocks, G, cap=10) == [(0, 1.0), (2, 1.0), (3, 1.0)]
    assert _diverse(blocks, G, cap=1) == [(0, 1.0)]


@pytest.mark.parametrize("seed", range(3))
def test_rounded_multipliers_reach_the_projection(seed):
    """The clipped least-squares multipliers over sets of at most d walls attain
    ||g + A^T lambda|| = ||Pi_K(g)|| (dual_norms) for every block, d = 2 and 3."""
    from exact.arrangement import enumerate_patterns
    from exact.numeric.convex import rounded_multipliers

    rng = np.random.default_rng(seed)
    d = 2 + seed % 2
    X = rng.integers(-6, 7, size=(12, d))
    pats = enumerate_patterns(X.tolist())
    nu = rng.normal(size=12)
    D = np.vstack([pats.D, pats.D]).astype(float)
    signs = np.r_[np.ones(len(pats.D)), -np.ones(len(pats.D))]
    rows, m = rounded_multipliers(X, D, signs, nu, list(pats.walls) * 2, bits=40)
    G = signs[:, None] * ((D * nu) @ X)
    taken = np.where(rows >= 0, m / 2.0**40, 0.0)
    side = 2 * np.take_along_axis(D, np.maximum(rows, 0), axis=1) - 1
    achieved = np.linalg.norm(G + np.einsum("bj,bjd->bd", taken * side, X[np.maximum(rows, 0)].astype(float)), axis=1)
    ref = dual_norms(X, pats.D, nu, walls=pats.walls)
    assert (m >= 0).all()
    np.testing.assert_allclose(achieved, np.r_[ref[:, 0], ref[:, 1]], atol=1e-8 * (1 + np.abs(G).max()))
