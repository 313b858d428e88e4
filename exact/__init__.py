"""reluscape: exact, certified verification of weight-decay ReLU loss landscapes.

The public API is re-exported here; anything not listed in ``__all__`` is private.
"""

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
    "ReluscapeError",
    "ResourceLimitError",
    "UndecidedError",
    "as_rational",
]
