"""F, its gradient and gradient descent in floats, against independent routes."""

import numpy as np
import pytest

from exact.errors import InvalidDataError
from exact.numeric.nonconvex import gradient_descent, init_params, loss, loss_and_grad

try:
    import torch
except ModuleNotFoundError:
    torch = None

HAS_CUDA = torch is not None and torch.cuda.is_available()


def _data(n=12, d=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)), rng.standard_normal(n), 0.3


def _loss_by_hand(X, y, beta, W, a):
    """F written neuron by neuron and sample by sample, in plain Python."""
    fit = [sum(max(sum(xi * wi for xi, wi in zip(x, w)), 0.0) * aj for w, aj in zip(W, a)) for x in X]
    penalty = sum(sum(wi * wi for wi in w) + aj * aj for w, aj in zip(W, a))
    return 0.5 * sum((f - t) ** 2 for f, t in zip(fit, y)) + 0.5 * beta * penalty


def _huber(t, beta):
    return 0.5 * t * t if t <= beta else beta * t - 0.5 * beta * beta


def test_loss_matches_the_formula_written_out():
    X, y, beta = _data()
    W, a = init_params(5, 3, batch=4, init="gaussian", seed=1)
    F = loss(X, y, beta, W, a)
    for b in range(4):
        assert F[b] == pytest.approx(_loss_by_hand(X, y, beta, W[b], a[b]), rel=1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_gradient_taylor_slope(seed):
    """|F(θ + tΔ) - F(θ) - t ∇F·Δ| = O(t²): log-log slope 2 (STYLE §7), no pattern change."""
    X, y, beta = _data(seed=seed)
    rng = np.random.default_rng(100 + seed)
    W, a = init_params(6, 3, init="gaussian", seed=seed)
    dW, da = rng.standard_normal(W.shape), rng.standard_normal(a.shape)
    h = np.logspace(-6, -2, 9)
    # scale the direction so that no x_k . w_j changes sign along the steps
    scale = min(1.0, 0.5 * np.min(np.abs(X @ W.T) / (h[-1] * np.abs(X @ dW.T))))
    dW, da = scale * dW, scale * da
    assert (np.abs(X @ W.T) > h[-1] * np.abs(X @ dW.T)).all()
    F0, gW, ga = loss_and_grad(X, y, beta, W, a)
    slope_dir = np.sum(gW * dW) + ga @ da
    err = [abs(loss(X, y, beta, W + t * dW, a + t * da) - F0 - t * slope_dir) for t in h]
    assert 1.95 <= np.polyfit(np.log(h), np.log(err), 1)[0] <= 2.05


def test_gradient_uses_zero_derivative_at_kinks():
    """On a kink x_k . w = 0 the sample contributes nothing to ∇_w (σ'(0) = 0)."""
    X = np.array([[1.0, 0.0], [0.0, 1.0]])
    W, a = np.array([[0.0, 1.0]]), np.array([2.0])  # x_1 . w = 0
    _, gW, ga = loss_and_grad(X, np.array([5.0, 1.0]), 1.0, W, a)
    # residual r = (0 - 5, 2 - 1); only x_2 is active: a * r_2 * x_2 + beta * w
    assert gW.tolist() == [[0.0, 2.0 * 1.0 + 1.0]]
    assert ga.tolist() == [1.0 * 1.0 + 2.0]


def test_batched_equals_unbatched():
    X, y, beta = _data()
    W, a = init_params(5, 3, batch=6, seed=3)
    F, gW, ga = loss_and_grad(X, y, beta, W, a)
    for b in range(6):
        Fb, gWb, gab = loss_and_grad(X, y, beta, W[b], a[b])
        assert isinstance(Fb, float)
        assert Fb == pytest.approx(F[b], rel=1e-13)
        assert np.allclose(gWb, gW[b], rtol=1e-12, atol=1e-14) and np.allclose(
            gab, ga[b], rtol=1e-12, atol=1e-14
        )
    res = gradient_descent(X, y, beta, W, a, lr=0.01, steps=30)
    one = gradient_descent(X, y, beta, W[2], a[2], lr=0.01, steps=30)
    assert np.allclose(res.W[2], one.W, rtol=1e-12, atol=1e-14)
    assert np.allclose(res.losses[2], one.losses, rtol=1e-12)


def test_init_is_reproducible_and_as_documented():
    W, a = init_params(4000, 3, alpha=0.5, seed=11)
    W2, a2 = init_params(4000, 3, alpha=0.5, seed=11)
    assert np.array_equal(W, W2) and np.array_equal(a, a2)
    assert not np.array_equal(W, init_params(4000, 3, alpha=0.5, seed=12)[0])
    assert np.allclose(np.abs(a), np.linalg.norm(W, axis=1))  # balanced
    assert abs(np.mean(a > 0) - 0.5) < 0.05  # fair sign
    assert np.std(W) == pytest.approx(0.5, rel=0.05)  # w_j ~ N(0, α² I)
    Wg, ag = init_params(4000, 3, alpha=0.5, init="gaussian", seed=11)
    assert np.std(ag) == pytest.approx(0.5, rel=0.05)
    assert not np.allclose(np.abs(ag), np.linalg.norm(Wg, axis=1))
    Wb, ab = init_params(4000, 3, batch=3, alpha=0.5, seed=11)
    assert np.array_equal(Wb[0], W)  # network b of a batch does not depend on the batch size


def test_one_step_balance_identity():
    """For one GD step, e_j = a_j² - ‖w_j‖² obeys e' = (1-ηβ)² e + η²(g_a² - ‖g_w‖²) exactly,
    where g are the data parts of the gradient (since w·g_w = a g_a with σ'(0) = 0)."""
    X, y, beta = _data()
    W, a = init_params(7, 3, batch=2, init="gaussian", seed=5)
    lr = 0.02
    _, gW, ga = loss_and_grad(X, y, beta, W, a)
    gW_data, ga_data = gW - beta * W, ga - beta * a
    res = gradient_descent(X, y, beta, W, a, lr=lr, steps=1)
    e0 = a**2 - np.sum(W**2, axis=-1)
    e1 = res.a**2 - np.sum(res.W**2, axis=-1)
    expected = (1 - lr * beta) ** 2 * e0 + lr**2 * (ga_data**2 - np.sum(gW_data**2, axis=-1))
    assert np.allclose(e1, expected, rtol=1e-10, atol=1e-13)


def test_losses_are_recorded_as_asked():
    X, y, beta = _data()
    W, a = init_params(3, 3, seed=0)
    res = gradient_descent(X, y, beta, W, a, lr=0.01, steps=10, record_every=4)
    assert res.steps.tolist() == [0, 4, 8, 10]
    assert res.losses.shape == (4,)
    assert res.losses[0] == pytest.approx(loss(X, y, beta, W, a))
    assert res.losses[-1] == pytest.approx(loss(X, y, beta, res.W, res.a))
    assert np.allclose(res.times, [0.0, 0.04, 0.08, 0.1])
    assert np.all(np.diff(res.losses) < 0)  # small steps descend


def test_gd_reaches_the_orthogonal_data_optimum():
    """Orthonormal rows: F* = h_β(Y₊) + h_β(Y₋) (benignity_and_relaxation.md Thm 3.1).

    F* is a lower bound for every network, and GD from a balanced start reaches it."""
    Q, _ = np.linalg.qr(np.random.default_rng(2).standard_normal((5, 5)))
    X = Q[:4]  # 4 orthonormal rows in R^5
    y = np.array([1.5, 0.8, -1.2, 0.2])
    beta = 0.3
    F_star = _huber(np.linalg.norm(y[y > 0]), beta) + _huber(np.linalg.norm(y[y < 0]), beta)
    W, a = init_params(16, 5, batch=8, alpha=0.5, seed=0)
    # 6000 steps: at 3000 one environment (numpy 2.4.6, torch 2.13 installed) was 8e-9 above F* (relative)
    res = gradient_descent(X, y, beta, W, a, lr=0.05, steps=6000, record_every=100)
    final = res.losses[:, -1]
    assert (res.losses >= F_star - 1e-9).all()
    assert final.min() == pytest.approx(F_star, rel=1e-9)


@pytest.mark.skipif(torch is None, reason="torch not installed")
def test_numpy_and_torch_agree():
    X, y, beta = _data(n=20, d=4)
    W, a = init_params(8, 4, batch=5, alpha=0.5, seed=9)
    F, gW, ga = loss_and_grad(X, y, beta, W, a)
    Ft, gWt, gat = loss_and_grad(X, y, beta, W, a, device="cpu")
    assert np.allclose(F, Ft, rtol=1e-12) and np.allclose(gW, gWt, rtol=1e-10, atol=1e-13)
    assert np.allclose(ga, gat, rtol=1e-10, atol=1e-13)
    res = gradient_descent(X, y, beta, W, a, lr=0.005, steps=100)
    assert np.all(np.isfinite(res.losses)) and np.all(res.losses[:, -1] < res.losses[:, 0])
    rest = gradient_descent(X, y, beta, W, a, lr=0.005, steps=100, device="cpu")
    assert np.allclose(res.W, rest.W, rtol=1e-9, atol=1e-12) and np.allclose(
        res.losses, rest.losses, rtol=1e-10
    )
    res32 = gradient_descent(X, y, beta, W, a, lr=0.005, steps=100, device="cpu", dtype="float32")
    assert np.allclose(res32.losses, res.losses, rtol=1e-4)


@pytest.mark.gpu
@pytest.mark.skipif(not HAS_CUDA, reason="no CUDA device")
def test_numpy_and_cuda_agree():
    X, y, beta = _data(n=20, d=4)
    W, a = init_params(8, 4, batch=5, alpha=0.5, seed=9)
    res = gradient_descent(X, y, beta, W, a, lr=0.005, steps=100)
    resc = gradient_descent(X, y, beta, W, a, lr=0.005, steps=100, device="cuda")
    assert np.allclose(res.W, resc.W, rtol=1e-9, atol=1e-12) and np.allclose(
        res.losses, resc.losses, rtol=1e-10
    )


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(W=[[1.0, 0.0]], a=[1.0, 2.0]), r"a has shape \(2,\)"),
        (dict(W=[[[1.0, 0.0]]], a=[1.0]), r"a has shape \(1,\) but W has shape \(1, 1, 2\)"),
        (dict(W=[[np.nan, 0.0]], a=[1.0]), r"W\[0\]\[0\] is NaN"),
        (dict(W=np.zeros((0, 2)), a=np.zeros(0)), "W is empty"),
        (dict(W=[[1.0, 0.0]], a=[1.0], beta=0.0), "beta = 0.0 must be > 0"),
    ],
)
def test_bad_input_is_named(kwargs, message):
    args = dict(X=[[1.0, 2.0]], y=[1.0], beta=1.0) | kwargs
    with pytest.raises(InvalidDataError, match=message):
        loss(**args)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(lr=-1.0), "lr = -1.0 must be > 0"),
        (dict(steps=-1), "steps = -1 must be an integer >= 0"),
        (dict(record_every=0), "record_every = 0 must be an integer >= 1"),
        (dict(device="tpu"), "device = 'tpu'"),
    ],
)
def test_bad_descent_arguments_are_named(kwargs, message):
    args = dict(lr=0.1, steps=1) | kwargs
    with pytest.raises(InvalidDataError, match=message):
        gradient_descent([[1.0]], [1.0], 1.0, [[1.0]], [1.0], **args)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(m=0, d=2), "m = 0 must be an integer >= 1"),
        (dict(m=2, d=2, batch=0), "batch = 0"),
        (dict(m=2, d=2, alpha=0.0), "alpha = 0.0 must be > 0"),
        (dict(m=2, d=2, init="xavier"), "init = 'xavier'"),
    ],
)
def test_bad_init_arguments_are_named(kwargs, message):
    with pytest.raises(InvalidDataError, match=message):
        init_params(**kwargs)
