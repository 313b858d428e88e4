r"""The arc-cosine kernel of the ReLU and its derivatives (``math/symmetry_families.md`` §1).

For :math:`x\sim\mathcal N(0, I_d)` and :math:`u, v \ne 0` at angle
:math:`\theta = \arccos\frac{u^\top v}{\|u\|\|v\|}\in[0,\pi]`,

.. math::

    f(u,v) = \mathbb E[\sigma(u^\top x)\sigma(v^\top x)]
           = \frac1{2\pi}\big(\|u\|\|v\|\sin\theta + (\pi-\theta)\,u^\top v\big),

and :math:`f(u, 0) = 0`. It depends on :math:`u, v` only through the three numbers
:math:`A = \|u\|^2`, :math:`B = \|v\|^2`, :math:`c = u^\top v`; with the Gram determinant
:math:`G = AB - c^2 \ge 0` and :math:`R = \sqrt G = \|u\|\|v\|\sin\theta`,

.. math::

    f = \frac{R + (\pi-\theta)c}{2\pi},\qquad \theta = \operatorname{atan2}(R, c).

The angle is computed with ``atan2``, never with :math:`\arccos` near :math:`\pm1`, where
:math:`\arccos` loses half the digits and is not analytic. The first derivatives are

.. math::

    f_A = \frac{R}{4\pi A},\quad f_B = \frac{R}{4\pi B},\quad f_c = \frac{\pi-\theta}{2\pi},

and the second derivatives

.. math::

    f_{AA} = \frac{2c^2-AB}{8\pi A^2R},\ f_{AB} = \frac1{8\pi R},\ f_{Ac} = -\frac{c}{4\pi AR},\
    f_{BB} = \frac{2c^2-AB}{8\pi B^2R},\ f_{Bc} = -\frac{c}{4\pi BR},\ f_{cc} = \frac1{2\pi R}.

They blow up where :math:`u \parallel v` (:math:`R = 0`), although :math:`f` is :math:`C^2`
there as a function of :math:`(u, v)` (it behaves like :math:`R^3`): the model's Hessian at
parallel rows is taken by continuity in :mod:`exact.symmetry.loss`, never from these formulas.
"""

from ..errors import InvalidDataError, entries
from .arithmetic import get_arithmetic

__all__ = ["arccos_kernel", "kernel_derivatives"]


def arccos_kernel(u, v, *, arithmetic="sympy"):
    r"""Return :math:`f(u, v) = \mathbb E[\sigma(u^\top x)\sigma(v^\top x)]` for :math:`x\sim\mathcal N(0,I)`.

    Parameters
    ----------
    u, v : sequences of numbers of the same length
        Exact rationals, or numbers of the chosen arithmetic.
    arithmetic : {"sympy", "mpmath", "arb"}
        See :mod:`exact.symmetry.arithmetic`.

    Returns
    -------
    number
        :math:`f(u,v)`; :math:`\|u\|^2/2` when :math:`u = v`, and 0 when either vector is 0.

    Raises
    ------
    InvalidDataError
        If the lengths differ or an entry is a float.

    Examples
    --------
    >>> arccos_kernel([1, 0], [0, 1])
    1/(2*pi)
    >>> arccos_kernel([1, 0], [-1, 0]), arccos_kernel([2, 0], [3, 0])
    (0, 3)
    >>> arccos_kernel([1, 0], [1])
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: u has 2 entries but v has 1
    """
    ar = get_arithmetic(arithmetic)
    if len(u) != len(v):
        raise InvalidDataError(f"u has {entries(len(u))} but v has {len(v)}")
    u = [ar.number(a, f"u[{i}]") for i, a in enumerate(u)]
    v = [ar.number(a, f"v[{i}]") for i, a in enumerate(v)]
    A = sum(a * a for a in u)
    B = sum(b * b for b in v)
    c = sum(a * b for a, b in zip(u, v))
    return kernel_derivatives(ar, A, B, c)[0]


def kernel_derivatives(ar, A, B, c, G=None, *, order=0):
    r"""Return :math:`f` and its derivatives in :math:`(A, B, c)` up to ``order``.

    Parameters
    ----------
    ar : Arithmetic
        The arithmetic of ``A``, ``B``, ``c`` (any object with ``number``, ``pi``, ``sqrt``,
        ``atan2``, ``is_zero``, e.g. a power-series arithmetic).
    A, B, c : numbers
        :math:`\|u\|^2`, :math:`\|v\|^2`, :math:`u^\top v`.
    G : number, optional
        :math:`AB - c^2`, when the caller has it free of cancellation (e.g. as a sum of
        squares); computed from ``A, B, c`` otherwise.
    order : {0, 1, 2}
        How many derivatives.

    Returns
    -------
    tuple
        ``(f,)``; with ``order >= 1`` also ``(f_A, f_B, f_c)``; with ``order == 2`` also
        ``(f_AA, f_AB, f_Ac, f_BB, f_Bc, f_cc)``.

    Raises
    ------
    InvalidDataError
        If derivatives are asked where :math:`u` or :math:`v` is 0, or second derivatives
        where :math:`u \parallel v` (:math:`G = 0`).

    Examples
    --------
    >>> from exact.symmetry.arithmetic import get_arithmetic
    >>> ar = get_arithmetic("sympy")
    >>> f, d1 = kernel_derivatives(ar, ar.number(1), ar.number(1), ar.number(0), order=1)
    >>> f, d1
    (1/(2*pi), (1/(4*pi), 1/(4*pi), 1/4))
    >>> kernel_derivatives(ar, ar.number(1), ar.number(4), ar.number(2), order=2)
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: second derivatives of f(A, B, c) at G = AB - c^2 = 0 (parallel vectors) do not exist in these coordinates
    """
    if ar.is_zero(A) or ar.is_zero(B):
        if order:
            raise InvalidDataError("f(u, v) is not differentiable where u = 0 or v = 0")
        return (ar.number(0),)
    if G is None:
        G = A * B - c * c
    pi = ar.pi()
    R = ar.sqrt(G)
    theta = ar.atan2(R, c)
    two_pi = 2 * pi
    out = [(R + (pi - theta) * c) / two_pi]
    if order >= 1:
        out.append((R / (2 * two_pi * A), R / (2 * two_pi * B), (pi - theta) / two_pi))
    if order >= 2:
        if ar.is_zero(G):
            raise InvalidDataError(
                "second derivatives of f(A, B, c) at G = AB - c^2 = 0 (parallel vectors) "
                "do not exist in these coordinates"
            )
        q = 2 * c * c - A * B
        four_pi_R = 2 * two_pi * R
        out.append(
            (
                q / (2 * four_pi_R * A * A),
                1 / (2 * four_pi_R),
                -c / (four_pi_R * A),
                q / (2 * four_pi_R * B * B),
                -c / (four_pi_R * B),
                1 / (two_pi * R),
            )
        )
    return tuple(out)
