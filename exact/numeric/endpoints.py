r"""Where gradient descent ends: the float reproductions of the certified counterexamples.

The counterexamples (``counterexamples/``) prove their facts exactly; this module repeats them
in floats, independently. Gradient descent on

.. math:: F(W,a)=\tfrac12\Big\|\sum_j(Xw_j)_+a_j-y\Big\|^2+\tfrac\beta2\sum_j(\|w_j\|^2+a_j^2)

runs from balanced initialisations of scale :math:`\alpha` ([BBEL]; :func:`.init_params`), and
its end points are compared with the exact reference values: which value a run reaches
(:func:`label_endpoints`), and which function the reached network computes off the data
(:func:`outputs_at`), which is how non-unique optima show up in floats.
"""

import numpy as np

from ..errors import InvalidDataError
from .backend import float_array
from .nonconvex import DescentResult, gradient_descent, init_params

__all__ = ["descent_endpoints", "outputs_at", "label_endpoints"]


def descent_endpoints(X, y, beta, *, width, alphas=(1.0,), seeds=4, lr, steps, record_every=None, seed=0):
    r"""Gradient descent from ``seeds`` balanced initialisations at each scale in ``alphas``.

    Parameters
    ----------
    X, y, beta
        The data (ints, floats or Fractions).
    width : int
        The width :math:`m`.
    alphas : sequence of float
        Initialisation scales :math:`\alpha>0` (:math:`w_j\sim\mathcal N(0,\alpha^2I)`,
        :math:`a_j=\pm\|w_j\|`).
    seeds : int
        Runs per scale; run ``b`` of every scale uses the stream ``[seed, b]``, so the scales
        differ only by :math:`\alpha` (the same directions, rescaled).
    lr, steps, record_every
        As in :func:`.gradient_descent` (``record_every`` defaults to ``steps``).

    Returns
    -------
    DescentResult
        Batched, ``len(alphas) * seeds`` runs, scale-major.

    Raises
    ------
    InvalidDataError
        On an empty ``alphas`` or bad parameters (as :func:`.gradient_descent`).

    Examples
    --------
    Orthonormal rows, :math:`\|y\|=1`, :math:`\beta=\tfrac12`: the optimum is the Huber value
    :math:`0.375`; the second run's neurons die and it ends at the zero network, :math:`\tfrac12\|y\|^2`.

    >>> res = descent_endpoints([[1, 0], [0, 1]], [0.6, 0.8], 0.5, width=2, alphas=(0.5,), seeds=2,
    ...                         lr=0.1, steps=3000)
    >>> res.losses.shape, [round(float(v), 6) for v in res.losses[:, -1]]
    ((2, 2), [0.375, 0.5])
    >>> descent_endpoints([[1.0]], [1.0], 1.0, width=1, alphas=(), lr=0.1, steps=1)
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: alphas is empty
    """
    alphas = list(alphas)
    if not alphas:
        raise InvalidDataError("alphas is empty")
    d = float_array(X, "X", ndim=2).shape[1]
    W, a = zip(*(init_params(width, d, batch=seeds, alpha=alpha, seed=seed) for alpha in alphas))
    return gradient_descent(X, y, beta, np.concatenate(W), np.concatenate(a), lr=lr, steps=steps,
                            record_every=record_every or max(steps, 1))


def outputs_at(result, x):
    r"""The functions :math:`f(x)=\sum_ja_j(w_j^\top x)_+` of the end points of ``result`` at ``x``.

    Examples
    --------
    >>> res = DescentResult(np.array([[[1.0, 0.0], [0.0, 1.0]]]), np.array([[2.0, -1.0]]),
    ...                     np.zeros((1, 1)), np.array([0]), 0.1)
    >>> outputs_at(res, [3, 5]).tolist()
    [1.0]
    """
    W = np.asarray(result.W, dtype=np.float64)
    W = W[None] if W.ndim == 2 else W
    a = np.asarray(result.a, dtype=np.float64).reshape(W.shape[0], -1)
    x = float_array(x, "x", ndim=1)
    return np.einsum("bm,bm->b", np.maximum(W @ x, 0.0), a)


def label_endpoints(values, references, *, rtol=1e-6):
    r"""Name the reference value each final loss reaches: the nearest within ``rtol`` (relative),
    else ``"other"``.

    Parameters
    ----------
    values : array-like of float
        Final losses.
    references : dict
        Name -> exact or float reference value (Fractions are converted here).
    rtol : float or Fraction
        The relative tolerance; keep it below half the relative gap between references.

    Examples
    --------
    >>> label_endpoints([1.25, 2.25, 1.7], {"optimum": 1.25, "zero": 2.25})
    ['optimum', 'zero', 'other']
    """
    rtol = float(float_array(rtol, "rtol", ndim=0))
    names = list(references)
    ref = float_array([references[k] for k in names], "references", ndim=1)
    out = []
    for v in float_array(values, "values", ndim=1):
        gap = np.abs(ref - v) / np.maximum(np.abs(ref), np.finfo(float).tiny)
        i = int(np.argmin(gap))
        out.append(names[i] if gap[i] <= rtol else "other")
    return out
