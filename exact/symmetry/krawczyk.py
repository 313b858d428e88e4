r"""Rigorous existence and uniqueness of the families' critical points: the Krawczyk test (math §5).

For :math:`F = \nabla_x L(Ex)` on a fixed-point space (dimension :math:`n`), a box
:math:`\mathbf X = \hat x + [-r, r]^n` with an exact rational centre :math:`\hat x` and radius
:math:`r`, a real matrix :math:`Y\approx J(\hat x)^{-1}` and a ball enclosure
:math:`\mathbf J\supseteq\{\nabla_x^2L(Ex): x\in\mathbf X\}`,

.. math:: K(\mathbf X) = \hat x - YF(\hat x) + (I - Y\mathbf J)(\mathbf X-\hat x).

If :math:`K(\mathbf X)\subset\operatorname{int}\mathbf X` then :math:`F` has exactly one zero in
:math:`\mathbf X` (Krawczyk 1969; Moore 1977), i.e. :math:`L|_{\mathrm{Fix}(H)}` has exactly one
critical point there, and by symmetric criticality it is a critical point of :math:`L` on
:math:`\mathbb R^{k\times k}`. :math:`F(\hat x)`, :math:`\mathbf J` and the loss enclosure over
:math:`\mathbf X` are evaluated in python-flint ``arb`` balls, so the inclusion test is a proof.

**What the verifier trusts.** :func:`verify_certificate` re-runs the test from the JSON
certificate alone (centre, radius and :math:`Y` as exact rationals). It trusts python-flint's
``arb`` (ball arithmetic, including :math:`\sqrt{}`, ``atan2`` and :math:`\pi`) and
reluscape's formulas for the restricted loss and its derivatives
(:mod:`exact.symmetry.fixed_points`, :mod:`exact.symmetry.kernel`), which the test suite checks
against the closed-form full-model gradient and Hessian, finite differences, sympy and Monte
Carlo. The standard-library checker :mod:`exact.checker` does not know this schema (it would
need rigorous :math:`\sqrt{}` and ``atan2`` in rational arithmetic).
"""

from dataclasses import dataclass
from fractions import Fraction

import mpmath
from flint import arb, ctx, fmpq

from ..certificates import number
from ..data import as_rational
from ..errors import CertificateError, InvalidDataError
from .newton import critical_point, family_space

__all__ = ["KrawczykCertificate", "certify_critical_point", "verify_certificate", "SCHEMA"]

#: Most bits of ball arithmetic a certificate may ask for (larger ones are refused, not run).
MAX_PREC = 20_000

#: The certificate schema.
SCHEMA = "reluscape/symmetry-critical-point/1"


@dataclass(frozen=True)
class KrawczykCertificate:
    r"""The outcome of a Krawczyk test at one :math:`k`.

    Attributes
    ----------
    family : str
    k : int
    composition : tuple of int
    names : tuple of str
    center : tuple of Fraction
        :math:`\hat x`.
    radius : Fraction
        :math:`r` (the same in every coordinate).
    preconditioner : tuple of tuple of Fraction
        :math:`Y`.
    prec : int
        Bits of the ball arithmetic.
    verified : bool
        Whether :math:`K(\mathbf X)\subset\operatorname{int}\mathbf X` held.
    contraction : Fraction or None
        An upper bound on :math:`\max_i |K_i-\hat x_i|/r` (below 1 when verified; ``None``
        when an enclosure is not finite).
    loss : tuple of Fraction
        A rational interval enclosing :math:`L` over the box (``(None, None)`` when not finite).
    """

    family: str
    k: int
    composition: tuple
    names: tuple
    center: tuple
    radius: Fraction
    preconditioner: tuple
    prec: int
    verified: bool
    contraction: Fraction
    loss: tuple

    def box(self):
        """Return the box as ``[(lo, hi), ...]`` exact rationals."""
        return [(c - self.radius, c + self.radius) for c in self.center]

    def to_json(self):
        """Return the certificate as a JSON-ready dict (every number a ``"p/q"`` string)."""
        return {
            "schema": SCHEMA,
            "claim": "the restricted gradient has exactly one zero in the box: a critical point of L",
            "family": self.family,
            "k": self.k,
            "composition": list(self.composition),
            "coordinates": list(self.names),
            "center": [number(c) for c in self.center],
            "radius": number(self.radius),
            "preconditioner": [[number(a) for a in row] for row in self.preconditioner],
            "prec": self.prec,
            "loss_interval": [number(a) for a in self.loss],
        }


def certify_critical_point(name, k, *, dps=50, radius=Fraction(1, 10**20), prec=None):
    r"""Prove that family ``name`` has a unique critical point in a small box at integer ``k``.

    Parameters
    ----------
    name : str
        A family of :data:`~exact.symmetry.families.FAMILIES`.
    k : int
        The width (integer: the box lives in an actual fixed-point space).
    dps : int
        Digits of the Newton point used as the centre.
    radius : Fraction
        Half-width of the box in every coordinate.
    prec : int, optional
        Bits of ball arithmetic (default :math:`\lfloor 17\,\text{dps}/5\rfloor + 20`).

    Returns
    -------
    KrawczykCertificate
        ``verified`` says whether the inclusion held.

    Raises
    ------
    InvalidDataError
        If ``k`` is not an integer at or above the family's smallest :math:`k`.

    Examples
    --------
    >>> cert = certify_critical_point("A", 6, dps=30)
    >>> cert.verified, cert.contraction < 1
    (True, True)
    >>> cert.loss[0] > Fraction(25, 1000)
    True
    """
    if not isinstance(k, int) or isinstance(k, bool):
        raise InvalidDataError(f"k = {k!r}: the Krawczyk test runs at integer k")
    point = critical_point(name, k, dps=dps)
    space = family_space(name, k)
    center = tuple(_rational(a, dps) for a in point.x)
    prec = prec or (17 * dps) // 5 + 20
    with mpmath.workdps(dps + 10):
        _, _, H = space.derivatives(point.x, "mpmath", order=2)
        Y = mpmath.inverse(mpmath.matrix(H))
        Y = tuple(tuple(_rational(Y[i, j], dps // 2 + 5) for j in range(space.dim)) for i in range(space.dim))
    radius = Fraction(radius)
    ok, contraction, _, loss = _krawczyk(space, center, radius, Y, prec)
    return KrawczykCertificate(
        name, k, space.composition, space.names, center, radius, Y, prec, ok, contraction, loss
    )


def verify_certificate(cert):
    r"""Re-verify a ``reluscape/symmetry-critical-point/1`` certificate (a dict or a :class:`KrawczykCertificate`).

    Recomputes :math:`F(\hat x)`, the Hessian enclosure over the box and :math:`K(\mathbf X)`
    in ``arb`` at the certificate's precision, checks :math:`K(\mathbf X)\subset\operatorname{int}\mathbf X`
    and that the loss over the box lies in the stated interval.

    Returns
    -------
    bool
        ``True`` when every check holds.

    Raises
    ------
    CertificateError
        Naming the first check that fails, or the malformed field.

    Examples
    --------
    >>> cert = certify_critical_point("Fk", 5, dps=30)
    >>> verify_certificate(cert.to_json())
    True
    >>> bad = dict(cert.to_json(), radius="1/10000000000000000000000000000000000000000")
    >>> verify_certificate(bad)
    Traceback (most recent call last):
    ...
    exact.errors.CertificateError: K(X) is not inside the box: coordinate D0 moves by ... radii
    """
    data = cert.to_json() if isinstance(cert, KrawczykCertificate) else cert
    try:
        if data.get("schema") != SCHEMA:
            raise CertificateError(f"schema {data.get('schema')!r} is not {SCHEMA!r}")
        space = family_space(data["family"], int(data["k"]))
        if list(space.composition) != [int(a) for a in data["composition"]]:
            raise CertificateError(f"composition {data['composition']} is not that of {data['family']} at k")
        center = tuple(as_rational(a, "center") for a in data["center"])
        radius = as_rational(data["radius"], "radius")
        Y = tuple(tuple(as_rational(a, "preconditioner") for a in row) for row in data["preconditioner"])
        prec = int(data["prec"])
        lo, hi = (as_rational(a, "loss_interval") for a in data["loss_interval"])
    except (KeyError, TypeError, ValueError, InvalidDataError) as err:
        if isinstance(err, CertificateError):
            raise
        raise CertificateError(f"malformed certificate: {err}") from err
    if not 2 <= prec <= MAX_PREC:
        raise CertificateError(f"prec = {prec} bits is outside 2..{MAX_PREC} (exact.symmetry.krawczyk.MAX_PREC)")
    if len(Y) != space.dim or any(len(row) != space.dim for row in (center,) + Y) or radius <= 0:
        raise CertificateError("centre, preconditioner or radius do not fit the fixed-point space")
    ok, contraction, worst, loss = _krawczyk(space, center, radius, Y, prec)
    if contraction is None:
        raise CertificateError(f"the enclosures over the box are not finite (coordinate {space.names[worst]})")
    if not ok:
        raise CertificateError(
            f"K(X) is not inside the box: coordinate {space.names[worst]} moves by "
            f"{mpmath.nstr(mpmath.mpf(contraction.numerator) / contraction.denominator, 3)} radii"
        )
    if not (loss[0] >= lo and loss[1] <= hi):
        raise CertificateError(f"the loss over the box [{loss[0]}, {loss[1]}] leaves the stated interval [{lo}, {hi}]")
    return True


def _krawczyk(space, center, radius, Y, prec):
    """Return (verified, max_i |K_i - x_i| / r as a Fraction, its index i, loss interval)."""
    n = space.dim
    q = fmpq(radius.numerator, radius.denominator)
    with ctx.workprec(prec):
        xc = [arb(fmpq(c.numerator, c.denominator)) for c in center]
        box = [arb(fmpq(c.numerator, c.denominator), q) for c in center]
        _, Fc = space.derivatives(xc, "arb", order=1)
        Lbox, _, J = space.derivatives(box, "arb", order=2)
        Yb = [[arb(fmpq(a.numerator, a.denominator)) for a in row] for row in Y]
        r, dev = arb(q), arb(0, q)
        inside, ratios = True, []
        for i in range(n):
            Ki = -sum((Yb[i][j] * Fc[j] for j in range(n)), arb(0))
            for j in range(n):
                Ki += ((1 if i == j else 0) - sum((Yb[i][l] * J[l][j] for l in range(n)), arb(0))) * dev
            upper = abs(Ki).upper()
            if not upper.is_finite():
                return False, None, i, (None, None)
            ratios.append(_to_fraction((upper / r).upper()))
            if upper < r:
                continue
            inside = False
        if not Lbox.is_finite():
            return False, None, 0, (None, None)
        loss = (_to_fraction(Lbox.lower()), _to_fraction(Lbox.upper()))
    worst = max(range(n), key=ratios.__getitem__)
    return inside, ratios[worst], worst, loss


def _rational(x, digits):
    """An exact decimal rational within about 10^-digits (relative) of the mpf ``x``."""
    return Fraction(mpmath.nstr(x, digits, min_fixed=-1, max_fixed=1).replace(" ", ""))


def _to_fraction(a):
    """The exact value of an exact arb (a midpoint, a bound) as a Fraction."""
    man, exp = a.mid().man_exp()
    man, exp = int(man), int(exp)
    return Fraction(man * 2**exp) if exp >= 0 else Fraction(man, 2 ** (-exp))
