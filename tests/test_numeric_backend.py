"""The array API of exact.numeric.backend: one contract for numpy, torch CPU and CUDA."""

import numpy as np
import pytest

from exact.errors import InvalidDataError, ReluscapeError
from exact.numeric.backend import Backend, float_array, float_data, get_backend

try:
    import torch
except ModuleNotFoundError:
    torch = None

HAS_CUDA = torch is not None and torch.cuda.is_available()
DEVICES = [None, pytest.param("cpu", marks=pytest.mark.skipif(torch is None, reason="torch not installed"))]


@pytest.mark.parametrize("device", DEVICES)
def test_backend_contract(device):
    """Each operation against a numpy computation written out by hand."""
    bk = get_backend(device)
    rng = np.random.default_rng(0)
    A = rng.standard_normal((3, 4, 5))
    M = rng.standard_normal((5, 5))
    S = M @ M.T + 5 * np.eye(5)
    b = rng.standard_normal(5)
    a = bk.asarray(A)
    assert np.array_equal(bk.to_numpy(bk.relu(a)), np.where(A > 0, A, 0.0))
    assert np.array_equal(bk.to_numpy(bk.positive(bk.asarray([-1.0, 0.0, 2.0]))), [0.0, 0.0, 1.0])
    assert np.allclose(bk.to_numpy(bk.sum(a, axis=(1, 2))), [A[i].sum() for i in range(3)])
    assert np.allclose(bk.to_numpy(bk.norm(a)), np.sqrt((A**2).sum(axis=-1)))
    x = bk.to_numpy(bk.cho_solve(bk.cholesky(bk.asarray(S)), bk.asarray(b)))
    assert np.allclose(S @ x, b)
    assert bk.to_numpy(bk.zeros((2, 3))).shape == (2, 3)
    assert np.array_equal(bk.to_numpy(bk.eye(3)), np.eye(3))
    bk.synchronize()


def test_default_is_numpy_and_idempotent():
    bk = get_backend()
    assert bk == Backend("numpy", "cpu", "float64")
    assert get_backend(bk) is bk
    assert get_backend(dtype="float32").asarray([1, 2]).dtype == np.float32


@pytest.mark.parametrize("device", ["tpu", "cuda:x", 3, "gpu"])
def test_unknown_device_is_named(device):
    with pytest.raises(InvalidDataError, match="device"):
        get_backend(device)


def test_unknown_dtype_is_named():
    with pytest.raises(InvalidDataError, match="dtype = 'float16'"):
        get_backend(dtype="float16")


@pytest.mark.skipif(torch is None or HAS_CUDA, reason="needs torch without CUDA")
def test_cuda_without_a_device_is_a_clear_error():
    with pytest.raises(ReluscapeError, match="torch.cuda.is_available"):
        get_backend("cuda")


def test_missing_torch_is_a_clear_error(monkeypatch):
    import importlib

    real = importlib.import_module

    def fake(name, *args):
        if name == "torch":
            raise ModuleNotFoundError("No module named 'torch'")
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", fake)
    with pytest.raises(ModuleNotFoundError, match=r"reluscape\[gpu\]"):
        get_backend("cpu")


@pytest.mark.parametrize(
    "bad, message",
    [
        ([[1, 2], [3]], "not a rectangular array"),
        ([[1.0, np.inf]], r"X\[0\]\[1\] is = inf \(infinite\)"),
        ([1.0, 2.0], "X has 1 axes"),
        (np.zeros((0, 2)), "X is empty"),
        ([["a", "b"]], "not a rectangular array"),
    ],
)
def test_float_array_names_the_bad_input(bad, message):
    with pytest.raises(InvalidDataError, match=message):
        float_array(bad, "X", ndim=2)


@pytest.mark.parametrize(
    "X, y, beta, message",
    [
        ([[1.0]], [1.0, 2.0], 1.0, "y has 2 entries but X has 1 rows"),
        ([[1.0]], [1.0], -1.0, "beta = -1.0 must be > 0"),
        ([[1.0]], [1.0], float("nan"), "beta is NaN"),
        ([[1.0]], [[1.0]], 1.0, "y has 2 axes"),
    ],
)
def test_float_data_names_the_bad_input(X, y, beta, message):
    with pytest.raises(InvalidDataError, match=message):
        float_data(X, y, beta)


def test_float_data_accepts_an_exact_dataset():
    from fractions import Fraction

    from exact.data import Dataset

    X, y, beta = float_data(Dataset([[1, "1/2"]], ["1/4"], "1/3"))
    assert X.tolist() == [[1.0, 0.5]] and y.tolist() == [0.25] and beta == float(Fraction(1, 3))


@pytest.mark.gpu
@pytest.mark.skipif(not HAS_CUDA, reason="no CUDA device")
def test_cuda_backend_contract():
    test_backend_contract("cuda")
    assert get_backend("cuda").to_numpy(get_backend("cuda").asarray([1.0])).tolist() == [1.0]
