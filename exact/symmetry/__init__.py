r"""The Gaussian teacher–student ReLU model: symmetry, families of critical points, certificates.

``math/symmetry_families.md``: the population loss :math:`L(W)` of a two-layer ReLU student
:math:`x\mapsto\mathbf 1^\top\sigma(Wx)` against the teacher :math:`V = I_k`, for
:math:`x\sim\mathcal N(0, I_k)`, is invariant under :math:`S_k\times S_k`; its critical points come
in families with isotropy :math:`\Delta(S_{p_1}\times\dots)`, given by power series in
:math:`k^{-1/2}`.

Modules, named after the mathematics:

* :mod:`~exact.symmetry.kernel`, :mod:`~exact.symmetry.loss`: the arc-cosine kernel; loss,
  gradient and Hessian in closed form, in sympy, mpmath and arb (:mod:`~exact.symmetry.arithmetic`);
* :mod:`~exact.symmetry.fixed_points`: isotropy groups, fixed-point spaces from the group action,
  the restricted loss with real block sizes;
* :mod:`~exact.symmetry.power_series`, :mod:`~exact.symmetry.series`: exact series of the
  families (:data:`~exact.symmetry.families.FAMILIES`);
* :mod:`~exact.symmetry.newton`: high-precision points and continuation in real :math:`k`;
* :mod:`~exact.symmetry.krawczyk`: rigorous existence and uniqueness (arb);
* :mod:`~exact.symmetry.spectrum`: Hessian spectra by isotypic decomposition, rigorous local
  minimality, thresholds :math:`k^*`.
"""

from .arithmetic import get_arithmetic
from .families import FAMILIES, Family, get_family
from .fixed_points import FixedPointSpace, fixed_point_space, isotropy_generators, orbit_labels
from .kernel import arccos_kernel
from .krawczyk import KrawczykCertificate, certify_critical_point, verify_certificate
from .loss import (
    act,
    global_minimum_hessian,
    global_minimum_spectrum,
    identity_teacher,
    population_gradient,
    population_hessian,
    population_loss,
)
from .newton import CriticalPoint, continue_branch, critical_point
from .series import FamilySeries, family_series, leading_balance
from .spectrum import (
    HessianSpectrum,
    IsotypicBlock,
    dense_spectrum,
    hessian_spectrum,
    is_local_minimum,
    isotypic_bases,
    threshold,
)

__all__ = [
    "FAMILIES",
    "CriticalPoint",
    "Family",
    "FamilySeries",
    "FixedPointSpace",
    "HessianSpectrum",
    "IsotypicBlock",
    "KrawczykCertificate",
    "act",
    "arccos_kernel",
    "certify_critical_point",
    "continue_branch",
    "critical_point",
    "dense_spectrum",
    "family_series",
    "fixed_point_space",
    "get_arithmetic",
    "get_family",
    "global_minimum_hessian",
    "global_minimum_spectrum",
    "hessian_spectrum",
    "identity_teacher",
    "is_local_minimum",
    "isotropy_generators",
    "isotypic_bases",
    "leading_balance",
    "orbit_labels",
    "population_gradient",
    "population_hessian",
    "population_loss",
    "threshold",
    "verify_certificate",
]
