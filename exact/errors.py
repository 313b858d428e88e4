"""Errors raised by reluscape.

Every error is a ``ValueError`` so that callers who only know the standard library can catch
bad input with one clause; the subclasses say what went wrong, and every message names the
argument, the position and the offending value.
"""

__all__ = [
    "ReluscapeError",
    "InvalidDataError",
    "EmptyDataError",
    "ResourceLimitError",
    "UndecidedError",
    "CertificateError",
]


class ReluscapeError(ValueError):
    """Base class of every error raised by reluscape."""


class InvalidDataError(ReluscapeError):
    """Input data that is not exact, not finite, ragged, of the wrong shape, or out of range."""


class EmptyDataError(InvalidDataError):
    """Data with no samples (n = 0) or no features (d = 0)."""


class ResourceLimitError(ReluscapeError):
    """A computation whose size would exceed a stated limit; the message says how to raise it."""


class UndecidedError(ReluscapeError):
    """A rigorous ball comparison that stayed open at the highest precision allowed."""


class CertificateError(ReluscapeError):
    """A certificate that does not verify; the message names the first failing check."""


def entries(n):
    """Return ``"n entries"`` with the noun agreeing in number, for messages about lengths.

    Kept out of ``__all__``: it words the errors above and is not part of the API.

    Examples
    --------
    >>> entries(1), entries(0), entries(3)
    ('1 entry', '0 entries', '3 entries')
    """
    return f"{n} entry" if n == 1 else f"{n} entries"
