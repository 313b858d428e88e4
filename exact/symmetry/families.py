r"""The families of critical points of math §3, and their leading balances (math §4).

A family is a branch of critical points :math:`\xi(k)` of :math:`L` lying in
:math:`\mathrm{Fix}(H)` for one isotropy type :math:`H`, continued in real :math:`k`. Each entry
of :data:`FAMILIES` records

* the composition of :math:`k` whose group :math:`H = \Delta(S_{p_1}\times\dots)` fixes the
  family, as affine functions :math:`p_a = \alpha_a k+\beta_a`;
* the limit :math:`\xi^0 = \lim_{k\to\infty}\xi(k)` in the coordinates of
  :class:`~exact.symmetry.fixed_points.FixedPointSpace` (names ``D0, O0, D1, C01, ...``);
* the *balance*: exponents :math:`e_i` with :math:`\xi_i = \xi^0_i + s^{e_i}y_i(s)`,
  :math:`s = k^{-1/2}`, :math:`y_i(0)\ne0`;
* a rough value of :math:`y(0)` (used only to start a numerical Newton at large :math:`k`,
  never as a result);
* the square root the coefficients need besides :math:`\pi` (``radicand``): a block of size 2
  makes :math:`\sqrt2` appear (a row norm :math:`2C^2 + O(s^6)` under a square root).

Coordinates of the math file for :math:`\Delta S_{k-1}`: :math:`\xi_1` = ``D0``,
:math:`\xi_2` = ``O0``, :math:`\xi_3` = ``C01`` (last column), :math:`\xi_4` = ``C10`` (last
row), :math:`\xi_5` = ``D1``; for :math:`\Delta S_k`: :math:`\xi_1` = ``D0``, :math:`\xi_2` = ``O0``.
"""

from dataclasses import dataclass
from fractions import Fraction

from ..errors import InvalidDataError

__all__ = ["Family", "FAMILIES", "get_family"]


@dataclass(frozen=True)
class Family:
    """A family of critical points in a fixed-point space (see the module docstring).

    Examples
    --------
    >>> FAMILIES["A"].composition(7)
    (6, 1)
    >>> FAMILIES["A2"].composition(3)
    (1, 2)
    """

    name: str
    isotropy: str
    blocks: tuple  # ((alpha, beta), ...): block a has size alpha * k + beta
    limit: tuple
    exponents: tuple
    guess: tuple
    radicand: int
    description: str

    def composition(self, k):
        """Return the block sizes at ``k`` (an int, a real number or a power series)."""
        return tuple(k * a + b if a else b for a, b in self.blocks)

    @property
    def min_k(self):
        """The smallest integer :math:`k` at which every block is nonempty."""
        return max([2] + [1 - b for a, b in self.blocks if a])


def _q(*xs):
    return tuple(Fraction(x) for x in xs)


#: The families of math §3, by name.
FAMILIES = {
    f.name: f
    for f in (
        Family(
            "A",
            "ΔS_{k-1}",
            ((1, -1), (0, 1)),
            (1, 0, -1, 0, 0),
            (4, 4, 2, 2, 2),
            _q("5/2", "-5/4", "27/5", 2, "5/4"),
            None,
            "type A ([SS]): rows < k near e_i, last row near -e_k",
        ),
        Family(
            "Fk",
            "ΔS_k",
            ((1, 0),),
            (-1, 0),
            (2, 2),
            _q(2, 2),
            None,
            "all rows flipped: W near -I + (2/k)(J - I)",
        ),
        Family(
            "F1",
            "ΔS_{k-1}",
            ((1, -1), (0, 1)),
            (-1, 0, 1, 0, 0),
            (2, 2, 2, 4, 2),
            _q(2, 2, "7/4", "-11/5", "3/4"),
            None,
            "k - 1 rows flipped, the last row near e_k",
        ),
        Family(
            "A2",
            "Δ(S_{k-2} x S_2)",
            ((1, -2), (0, 2)),
            (1, 0, -1, 0, 0, 0),
            (4, 4, 2, 2, 2, 2),
            _q("51/10", "-51/20", "27/5", "19/10", 2, "5/4"),
            2,
            "two rows flipped, the others near e_i",
        ),
        Family(
            "F2",
            "Δ(S_{k-2} x S_2)",
            ((1, -2), (0, 2)),
            (-1, 0, 1, 0, 0, 0),
            (2, 2, 2, 2, 4, 2),
            _q(2, 2, "7/4", "2/25", "-23/10", "3/4"),
            2,
            "k - 2 rows flipped, the last two rows near e_i",
        ),
    )
}


def get_family(name):
    """Return the :class:`Family` called ``name``.

    Raises
    ------
    InvalidDataError
        If there is no such family.

    Examples
    --------
    >>> get_family("Fk").isotropy
    'ΔS_k'
    >>> get_family("B")
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: no family named 'B'; known: A, A2, F1, F2, Fk
    """
    if name not in FAMILIES:
        raise InvalidDataError(f"no family named {name!r}; known: {', '.join(sorted(FAMILIES))}")
    return FAMILIES[name]
