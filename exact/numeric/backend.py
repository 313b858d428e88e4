r"""One array API over numpy and torch (CPU or CUDA), and the float input gate.

Every float routine of :mod:`exact.numeric` is written once against :class:`Backend`, a small
set of array operations that numpy and torch both provide under different names. numpy is the
default and needs nothing optional; torch is the ``gpu`` extra and is imported only when a torch
backend is asked for, so everything works without it.

Float data enter through :func:`float_data` (and :func:`float_array`), which turns ``X``, ``y``
and :math:`\beta` into finite float64 numpy arrays, or raises
:class:`~exact.errors.InvalidDataError` naming the argument. An exact
:class:`~exact.data.Dataset` is accepted too; its rationals are rounded to floats here, which is
the only place where that happens.
"""

import importlib
from dataclasses import dataclass

import numpy as np

from ..data import Dataset
from ..errors import InvalidDataError, ReluscapeError, entries

__all__ = ["Backend", "get_backend", "float_array", "float_data"]

_DTYPES = ("float64", "float32")


@dataclass(frozen=True)
class Backend:
    """Array operations on one library and device: ``numpy`` on the CPU, or ``torch`` on a device.

    Arrays of a backend are ``numpy.ndarray`` or ``torch.Tensor`` of dtype ``dtype`` on
    ``device``; operators (``+``, ``*``, ``@``, indexing) work on both, and the methods below
    cover what differs. Build one with :func:`get_backend`.

    Attributes
    ----------
    name : {"numpy", "torch"}
    device : str
        ``"cpu"`` for numpy; ``"cpu"``, ``"cuda"`` or ``"cuda:k"`` for torch.
    dtype : {"float64", "float32"}

    Examples
    --------
    >>> bk = get_backend()
    >>> bk.name, bk.device, bk.dtype
    ('numpy', 'cpu', 'float64')
    >>> bk.to_numpy(bk.relu(bk.asarray([-1.0, 2.0]))).tolist()
    [0.0, 2.0]
    """

    name: str
    device: str = "cpu"
    dtype: str = "float64"

    @property
    def xp(self):
        """The array module: ``numpy`` or ``torch``."""
        return np if self.name == "numpy" else importlib.import_module("torch")

    def _dtype(self):
        return getattr(self.xp, self.dtype)

    def asarray(self, a):
        """Return ``a`` (array-like, numpy array or tensor) as an array of this backend."""
        if self.name == "numpy":
            return np.asarray(a, dtype=self.dtype)
        torch = self.xp
        if isinstance(a, torch.Tensor):
            return a.to(device=self.device, dtype=self._dtype())
        return torch.as_tensor(np.asarray(a, dtype=self.dtype), device=self.device)

    def to_numpy(self, a):
        """Return an array of this backend as a numpy array (copied to the host for CUDA)."""
        if self.name == "numpy":
            return np.asarray(a)
        return a.detach().cpu().numpy()

    def zeros(self, shape):
        """Return an array of zeros of the given shape."""
        if self.name == "numpy":
            return np.zeros(shape, dtype=self.dtype)
        return self.xp.zeros(shape, dtype=self._dtype(), device=self.device)

    def eye(self, k):
        """Return the ``k`` by ``k`` identity."""
        if self.name == "numpy":
            return np.eye(k, dtype=self.dtype)
        return self.xp.eye(k, dtype=self._dtype(), device=self.device)

    def relu(self, a):
        """Return :math:`(a)_+ = \\max(a, 0)` entrywise."""
        return np.maximum(a, 0) if self.name == "numpy" else self.xp.clamp(a, min=0)

    def positive(self, a):
        """Return the 0/1 indicator :math:`\\mathbb 1[a > 0]` in this dtype (so :math:`\\sigma'(0)=0`)."""
        if self.name == "numpy":
            return (a > 0).astype(self.dtype)
        return (a > 0).to(self._dtype())

    def sum(self, a, axis=None):
        """Return the sum over ``axis`` (all entries when ``None``)."""
        if self.name == "numpy":
            return a.sum(axis=axis)
        return a.sum() if axis is None else a.sum(dim=axis)

    def sqrt(self, a):
        """Return the entrywise square root."""
        return np.sqrt(a) if self.name == "numpy" else self.xp.sqrt(a)

    def norm(self, a, axis=-1):
        """Return the Euclidean norm over ``axis``."""
        return self.sqrt(self.sum(a * a, axis=axis))

    def cholesky(self, a):
        """Return the lower Cholesky factor of a symmetric positive definite matrix."""
        if self.name == "numpy":
            return np.linalg.cholesky(a)
        return self.xp.linalg.cholesky(a)

    def cho_solve(self, lower, b):
        """Solve :math:`LL^\\top x = b` for a vector ``b``, given the lower factor ``L``."""
        if self.name == "numpy":
            from scipy.linalg import cho_solve

            return cho_solve((lower, True), b)
        return self.xp.cholesky_solve(b[:, None], lower)[:, 0]

    def synchronize(self):
        """Wait for queued device work (CUDA kernels are asynchronous); a no-op elsewhere."""
        if self.device.startswith("cuda"):
            self.xp.cuda.synchronize(self.device)


def get_backend(device=None, *, dtype="float64"):
    """Return the :class:`Backend` for ``device``.

    Parameters
    ----------
    device : None, str or Backend
        ``None`` or ``"numpy"``: numpy (the default, needs nothing optional).
        ``"torch"`` or ``"cpu"``: torch on the CPU. ``"cuda"`` or ``"cuda:k"``: torch on a
        CUDA device, only when ``torch.cuda.is_available()``. A :class:`Backend` is returned
        unchanged.
    dtype : {"float64", "float32"}
        The float type of the arrays; float64 unless speed on a GPU matters more than digits.

    Returns
    -------
    Backend

    Raises
    ------
    InvalidDataError
        If ``device`` or ``dtype`` is not one of the names above.
    ReluscapeError
        If ``device`` is a CUDA device and CUDA is not available.
    ModuleNotFoundError
        If a torch backend is asked for and torch is not installed (the ``gpu`` extra).

    Examples
    --------
    >>> get_backend("numpy", dtype="float32").dtype
    'float32'
    >>> get_backend("tpu")
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: device = 'tpu' is not one of None, 'numpy', 'torch', 'cpu', 'cuda', 'cuda:k'
    """
    if isinstance(device, Backend):
        return device
    if dtype not in _DTYPES:
        raise InvalidDataError(f"dtype = {dtype!r} is not one of {', '.join(map(repr, _DTYPES))}")
    if device is None or device == "numpy":
        return Backend("numpy", "cpu", dtype)
    if not isinstance(device, str) or not (device in ("torch", "cpu") or _is_cuda_name(device)):
        raise InvalidDataError(
            f"device = {device!r} is not one of None, 'numpy', 'torch', 'cpu', 'cuda', 'cuda:k'"
        )
    try:
        torch = importlib.import_module("torch")
    except ModuleNotFoundError as err:
        raise ModuleNotFoundError(
            f"device = {device!r} needs torch, which is not installed; "
            "install the gpu extra: pip install 'reluscape[gpu]'"
        ) from err
    if device in ("torch", "cpu"):
        return Backend("torch", "cpu", dtype)
    if not torch.cuda.is_available():
        raise ReluscapeError(
            f"device = {device!r}: torch.cuda.is_available() is False "
            "(no CUDA device, or a CPU-only torch build); use device='cpu' or None"
        )
    return Backend("torch", device, dtype)


def float_array(a, name, *, ndim=None):
    """Return ``a`` as a finite float64 numpy array, or raise naming ``name``.

    Parameters
    ----------
    a : array-like, numpy array or torch tensor
        Entries may be ints, floats or Fractions.
    name : str
        How to name ``a`` in an error message.
    ndim : int or tuple of int, optional
        The allowed numbers of axes.

    Raises
    ------
    InvalidDataError
        If ``a`` is ragged or not numeric, has the wrong number of axes, is empty, or has a
        NaN or an infinite entry (the message names the first one).

    Examples
    --------
    >>> float_array([[1, 2], [3, 4]], "X", ndim=2).dtype
    dtype('float64')
    >>> float_array([1.0, float("nan")], "y")
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: y[1] is NaN
    """
    if type(a).__name__ == "Tensor":
        a = a.detach().cpu().numpy()
    try:
        arr = np.array(a, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise InvalidDataError(f"{name} is not a rectangular array of numbers: {err}") from err
    allowed = (ndim,) if isinstance(ndim, int) else ndim
    if allowed is not None and arr.ndim not in allowed:
        want = " or ".join(str(k) for k in allowed)
        raise InvalidDataError(f"{name} has {arr.ndim} axes (shape {arr.shape}), expected {want}")
    if arr.size == 0:
        raise InvalidDataError(f"{name} is empty (shape {arr.shape})")
    bad = ~np.isfinite(arr)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        index = "".join(f"[{i}]" for i in where)
        kind = "NaN" if np.isnan(arr[where]) else f"= {arr[where]} (infinite)"
        raise InvalidDataError(f"{name}{index} is {kind}")
    return arr


def float_data(X, y=None, beta=None):
    r"""Return the float data :math:`(X, y, \beta)`: an n×d array, an n-vector and a float > 0.

    Parameters
    ----------
    X : array-like or Dataset
        The n×d data; a :class:`~exact.data.Dataset` supplies ``y`` and ``beta`` as well.
    y : array-like
        The n labels.
    beta : float
        The weight decay :math:`\beta > 0`.

    Raises
    ------
    InvalidDataError
        On a non-finite entry, wrong shapes, a length mismatch, or :math:`\beta \le 0`.

    Examples
    --------
    >>> X, y, beta = float_data([[1, 0], [0, 1]], [1, -1], 0.5)
    >>> X.shape, y.tolist(), beta
    ((2, 2), [1.0, -1.0], 0.5)
    >>> float_data([[1, 0]], [1], 0)
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: beta = 0.0 must be > 0
    """
    if isinstance(X, Dataset):
        X, y, beta = X.X, X.y, X.beta
    X = float_array(X, "X", ndim=2)
    y = float_array(y, "y", ndim=1)
    if y.shape[0] != X.shape[0]:
        raise InvalidDataError(f"y has {entries(y.shape[0])} but X has {X.shape[0]} rows")
    b = float_array(beta, "beta", ndim=0)
    if not b > 0:
        raise InvalidDataError(f"beta = {float(b)} must be > 0")
    return X, y, float(b)


def _is_cuda_name(device):
    return device == "cuda" or (device.startswith("cuda:") and device[5:].isdigit())
