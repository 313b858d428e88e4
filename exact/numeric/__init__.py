"""The float backend: the only place in reluscape where floats live.

Floats *find* and *cross-check*; they are never the evidence for a claim. Everything here is
numpy (and optionally torch); results that feed an exact computation are rationalized and
certified by the exact kernels.
"""

from .backend import Backend, float_array, float_data, get_backend
from .convex import ConvexProposal, cone_projection, dual_norms, dual_violation, solve_convex
from .crosscheck import CrossCheckReport, crosscheck, crosscheck_all, missing_crosschecks
from .nonconvex import DescentResult, gradient_descent, init_params, loss, loss_and_grad
from .sweep import item_key, read_results, sweep

__all__ = [
    "Backend",
    "get_backend",
    "float_array",
    "float_data",
    "DescentResult",
    "loss",
    "loss_and_grad",
    "init_params",
    "gradient_descent",
    "ConvexProposal",
    "solve_convex",
    "cone_projection",
    "dual_norms",
    "dual_violation",
    "sweep",
    "item_key",
    "read_results",
    "CrossCheckReport",
    "crosscheck",
    "crosscheck_all",
    "missing_crosschecks",
]
