r"""Sampled gates: the activation patterns practitioners find with random directions.

Draw :math:`h_1,\dots,h_S\sim\mathcal N(0,I_d)` and keep the distinct
:math:`D=\mathbb 1[Xh\ge0]` (the convention of Pilanci–Ergen's and Kim–Pilanci's code). This is
a float *subset* of the exact patterns: it never proves completeness, it misses thin regions,
and for nearly degenerate data rounding can even produce a sign vector that is not a region.
:func:`sampling_coverage` measures both against an exact :class:`~exact.PatternSet`.

Zero rows are reported inactive (the exact convention), not ``1[0 >= 0] = 1``.
"""

import time
from dataclasses import dataclass

import numpy as np

__all__ = ["sample_patterns", "SamplingReport", "sampling_coverage"]


def sample_patterns(X, samples=None, *, seconds=None, seed=0, batch=1 << 14):
    """Distinct sampled patterns ``1[X h >= 0]`` as packed bit rows (``np.packbits`` along rows).

    Parameters
    ----------
    X : n x d array-like of numbers (converted to float64)
    samples : int, optional
        Number of Gaussian directions.
    seconds : float, optional
        Or: keep sampling for this long (at least one batch).
    seed : int
    batch : int
        Directions per vectorized step.

    Returns
    -------
    (numpy.ndarray, int)
        The distinct packed patterns (rows) and the number of directions drawn.

    Examples
    --------
    >>> bits, drawn = sample_patterns([[1, 0], [0, 1]], samples=1000)
    >>> len(bits), drawn
    (4, 1000)
    """
    if (samples is None) == (seconds is None):
        raise ValueError("give exactly one of samples= or seconds=")
    Xf = np.array([[float(a) for a in row] for row in X], dtype=np.float64)
    zero = ~Xf.any(axis=1)
    rng = np.random.default_rng(seed)
    found = set()
    drawn = 0
    start = time.perf_counter()
    while True:
        m = batch if samples is None else min(batch, samples - drawn)
        if m <= 0:
            break
        H = rng.standard_normal((Xf.shape[1], m))
        D = (Xf @ H >= 0) & ~zero[:, None]
        packed = np.packbits(D.T, axis=1)
        found.update(map(bytes, packed))
        drawn += m
        if seconds is not None and time.perf_counter() - start >= seconds:
            break
    nbytes = (Xf.shape[0] + 7) // 8
    bits = np.frombuffer(b"".join(sorted(found)), dtype=np.uint8).reshape(-1, nbytes)
    return bits, drawn


@dataclass(frozen=True)
class SamplingReport:
    """How many exact patterns sampling found, how many it invented, at which budget."""

    exact: int
    found: int
    spurious: int
    drawn: int
    seconds: float

    @property
    def fraction(self):
        """Fraction of the exact patterns that sampling found."""
        return self.found / self.exact


def sampling_coverage(patterns, samples=None, *, seconds=None, seed=0):
    """Sample gates for ``patterns.X`` and compare with the exact :class:`~exact.PatternSet`.

    Examples
    --------
    >>> from exact import enumerate_patterns
    >>> rep = sampling_coverage(enumerate_patterns([[1, 0], [0, 1], [1, 1]]), samples=2000)
    >>> rep.exact, rep.found, rep.spurious
    (6, 6, 0)
    """
    t0 = time.perf_counter()
    bits, drawn = sample_patterns(patterns.X, samples, seconds=seconds, seed=seed)
    seconds = time.perf_counter() - t0
    exact = {bytes(row) for row in patterns.packed}
    sampled = {bytes(row) for row in bits}
    return SamplingReport(len(exact), len(exact & sampled), len(sampled - exact), drawn, seconds)
