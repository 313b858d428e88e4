r"""A staircase with rational data: :math:`m^*=1<M^*=2`, every regime of KMP's Theorem 2 visible.

**Construction.** Fixture B of ``math/convex_duality.md`` §8 (1-D data :math:`\pm\sqrt3` with a
penalised bias) has three tight directions at 30°, 90° and 150° whose columns satisfy
:math:`\mathrm{col}_{90°}=\tfrac12(\mathrm{col}_{30°}+\mathrm{col}_{150°})`, but irrational data.
Its rows :math:`(-\sqrt3,1),(\sqrt3,1)` have Gram matrix :math:`\begin{pmatrix}4&-2\\-2&4\end{pmatrix}`,
which is realised rationally in :math:`\mathbb Q^4` by :math:`x_1=(2,0,0,0)`,
:math:`x_2=(-1,1,1,1)` (:math:`3=1+1+1`). The isometry maps the three tight directions to
:math:`x_2/2`, :math:`(\tfrac12,\tfrac12,\tfrac12,\tfrac12)` and :math:`x_1/2`, all rational, with
columns :math:`(0,2)`, :math:`(1,1)`, :math:`(2,0)`. For :math:`\nu=\kappa(1,1)` the dual
constraint :math:`\max_{\|\omega\|\le1}\nu^\top(X\omega)_+=2\kappa` is attained exactly there, so
with :math:`y=(1,1)`, :math:`\beta=1`: :math:`\nu^*=(\tfrac12,\tfrac12)`,
:math:`\hat y^*=(\tfrac12,\tfrac12)`, :math:`p^*=\tfrac34`, and the optimal polytope has the
vertices :math:`\{\tfrac12\,\mathrm{mid}\}` (one neuron) and
:math:`\{\tfrac14\,\mathrm{left},\tfrac14\,\mathrm{right}\}` (two neurons): :math:`m^*=1`,
:math:`M^*=2`, :math:`n+1=3`.

Everything below is certified by the exact kernels, not by this derivation.
"""

from dataclasses import dataclass

from exact import Dataset
from exact.solution_set import critical_widths
from exact.topology import staircase

__all__ = ["STAIRCASE", "StaircaseExample", "staircase_example"]

#: The rational staircase instance (n = 2, d = 4, beta = 1).
STAIRCASE = Dataset([[2, 0, 0, 0], [-1, 1, 1, 1]], [1, 1], 1)


@dataclass(frozen=True)
class StaircaseExample:
    """The instance, its certified critical widths and the component table by width."""

    data: Dataset
    m_star: int
    M_star: int
    table: tuple
    widths: object

    def certificate(self):
        """The ``reluscape/critical-widths/1`` certificate."""
        return self.widths.certificate()


def staircase_example(max_width=5):
    """The certified staircase: ``m* = 1 < M* = 2``, components for widths ``1..max_width``.

    Examples
    --------
    >>> ex = staircase_example(4)
    >>> ex.m_star, ex.M_star
    (1, 2)
    >>> [(r["m"], r["components"], r["points"]) for r in ex.table]
    [(1, 1, 1), (2, 3, 2), (3, 1, 0), (4, 1, 0)]
    """
    widths = critical_widths(STAIRCASE)
    table = tuple(staircase(STAIRCASE, range(1, max_width + 1), polytope=widths.polytope))
    return StaircaseExample(STAIRCASE, widths.m_star, widths.M_star, table, widths)
