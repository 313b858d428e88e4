"""reluscape: exact, certified verification of weight-decay ReLU loss landscapes.

The public API is re-exported here; anything not listed in ``__all__`` is private.
"""

from .arrangement import (
    Pattern,
    PatternSet,
    cone_rows,
    count_patterns,
    cover_count,
    enumerate_patterns,
    is_in_general_position,
)
from .data import Dataset, as_rational
from .hunt import hunt
from .optimum import OptimalSet, optimal_set
from .paths import nonincreasing_path
from .solution_set import critical_widths, optimal_polytope
from .stationary_set import stationary_points
from .topology import optimal_set_components, optimal_set_graph
from .errors import (
    CertificateError,
    EmptyDataError,
    InvalidDataError,
    ReluscapeError,
    ResourceLimitError,
    UndecidedError,
)

__all__ = [
    "CertificateError",
    "Dataset",
    "EmptyDataError",
    "InvalidDataError",
    "OptimalSet",
    "Pattern",
    "PatternSet",
    "ReluscapeError",
    "ResourceLimitError",
    "UndecidedError",
    "as_rational",
    "cone_rows",
    "count_patterns",
    "cover_count",
    "critical_widths",
    "enumerate_patterns",
    "hunt",
    "is_in_general_position",
    "nonincreasing_path",
    "optimal_polytope",
    "optimal_set",
    "optimal_set_components",
    "optimal_set_graph",
    "stationary_points",
]
