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
    "Pattern",
    "PatternSet",
    "ReluscapeError",
    "ResourceLimitError",
    "UndecidedError",
    "as_rational",
    "cone_rows",
    "count_patterns",
    "cover_count",
    "enumerate_patterns",
    "is_in_general_position",
]
