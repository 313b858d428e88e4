r"""Exact data: the one place where user input becomes rationals.

A dataset is :math:`X \in \mathbb Q^{n\times d}` (rows :math:`x_k`), labels :math:`y\in\mathbb Q^n`
and a weight decay :math:`\beta > 0`, in the convention of ``math/convex_duality.md`` §1:

.. math:: F(\theta)=\tfrac12\|\hat y(\theta)-y\|^2+\tfrac\beta2\sum_j(\|w_j\|^2+a_j^2).

Entries may be ``int``, :class:`fractions.Fraction`, ``decimal.Decimal``, python-flint
``fmpz``/``fmpq``, sympy ``Integer``/``Rational``, numpy integers, or strings such as ``"3/4"``,
``"-2"`` and ``"0.125"`` (a decimal string is the exact decimal it spells). Floats are refused:
they enter only through :meth:`Dataset.from_floats`, which says how each float is converted.
Zero rows (a sample at the origin) and repeated rows are legal data.
"""

import csv
import decimal
import math
import numbers
import os
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

from .errors import EmptyDataError, InvalidDataError, entries

__all__ = ["MAX_NUMBER_BITS", "Dataset", "as_rational", "rational_matrix", "rational_vector", "read_csv_table"]

#: Largest numerator or denominator accepted, in bits (about 1800 decimal digits), so that every
#: input number fits a certificate number (``exact.checker.MAX_DIGITS`` characters). Raise it
#: with ``exact.data.MAX_NUMBER_BITS = ...``; larger inputs are refused before any arithmetic.
MAX_NUMBER_BITS = 6000


def as_rational(a, where="value"):
    """Return ``a`` as an exact :class:`~fractions.Fraction`, or raise naming ``where``.

    Parameters
    ----------
    a : int, Fraction, Decimal, str, fmpz, fmpq, sympy Rational or numpy integer
        The number. Floats, booleans, NaN and infinities are refused.
    where : str
        How to name ``a`` in an error message, e.g. ``"X[2][0]"``.

    Raises
    ------
    InvalidDataError
        If ``a`` is not an exact finite rational, or its numerator or denominator has more than
        :data:`MAX_NUMBER_BITS` bits.

    Examples
    --------
    >>> as_rational("3/4")
    Fraction(3, 4)
    >>> as_rational("0.1")
    Fraction(1, 10)
    >>> as_rational(0.1, "X[0][1]")
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: X[0][1] = 0.1 is a float, which is not exact: write it as a Fraction or 'p/q', or build the data with Dataset.from_floats
    """
    q = _exact(a, where)
    bits = max(q.numerator.bit_length(), q.denominator.bit_length())
    if bits > MAX_NUMBER_BITS:
        raise InvalidDataError(
            f"{where} has a numerator or denominator of {bits} bits, more than MAX_NUMBER_BITS = "
            f"{MAX_NUMBER_BITS} (raise it with exact.data.MAX_NUMBER_BITS = ...)"
        )
    return q


def _exact(a, where):
    if isinstance(a, bool) or type(a).__name__ == "bool_":
        raise InvalidDataError(f"{where} = {a!r} is a boolean, not a number")
    if isinstance(a, Fraction):
        return a
    if isinstance(a, numbers.Integral):
        return Fraction(int(a))
    kind = type(a).__name__
    if kind == "fmpz":
        return Fraction(int(a))
    if kind == "fmpq":
        return Fraction(int(a.p), int(a.q))
    if getattr(a, "is_Rational", False) is True:  # sympy Integer / Rational
        return Fraction(int(a.p), int(a.q))
    if isinstance(a, numbers.Rational):
        return Fraction(a.numerator, a.denominator)
    if isinstance(a, decimal.Decimal):
        if not a.is_finite():
            raise InvalidDataError(f"{where} = {a} is not finite")
        _check_size(len(a.as_tuple().digits), a.as_tuple().exponent, where)
        return Fraction(a)
    if isinstance(a, str):
        return _parse_rational(a, where)
    if isinstance(a, numbers.Real) or getattr(a, "is_Float", False):
        x = float(a)
        if math.isnan(x):
            raise InvalidDataError(f"{where} is NaN")
        if math.isinf(x):
            raise InvalidDataError(f"{where} = {x} is infinite")
        raise InvalidDataError(
            f"{where} = {a!r} is a float, which is not exact: write it as a Fraction or 'p/q', "
            "or build the data with Dataset.from_floats"
        )
    if getattr(a, "is_number", False) is True:  # a sympy irrational such as sqrt(2)
        raise InvalidDataError(f"{where} = {a} is not rational")
    raise InvalidDataError(f"{where} = {a!r} of type {kind} is not a number")


def rational_vector(v, name="y"):
    """Return a 1-D sequence as a tuple of Fractions, naming bad entries ``name[i]``.

    Examples
    --------
    >>> rational_vector(["1/2", 3])
    (Fraction(1, 2), Fraction(3, 1))
    >>> rational_vector([[1, 2]])
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: y[0] = [1, 2] is a sequence; y must be 1-D
    """
    items = _as_list(v, name)
    out = []
    for i, a in enumerate(items):
        if _is_sequence(a):
            raise InvalidDataError(f"{name}[{i}] = {_short(a)} is a sequence; {name} must be 1-D")
        out.append(as_rational(a, f"{name}[{i}]"))
    return tuple(out)


def rational_matrix(X, name="X"):
    """Return a 2-D array-like as a tuple of rows of Fractions (n >= 1 rows, d >= 1 columns).

    Raises
    ------
    EmptyDataError
        If there are no rows or no columns.
    InvalidDataError
        If the rows are ragged, an entry is not exact, or ``X`` is not 2-D.

    Examples
    --------
    >>> rational_matrix([[1, "1/2"], [0, -3]])
    ((Fraction(1, 1), Fraction(1, 2)), (Fraction(0, 1), Fraction(-3, 1)))
    >>> rational_matrix([[1, 0], [0]])
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: X[1] has 1 entry, expected 2
    """
    if isinstance(X, Dataset):
        return X.X
    if type(X).__name__ in ("fmpq_mat", "fmpz_mat"):
        X = X.tolist()
    rows = _as_list(X, name)
    if not rows:
        raise EmptyDataError(f"{name} has no rows")
    out = []
    d = None
    for k, row in enumerate(rows):
        if not _is_sequence(row):
            raise InvalidDataError(
                f"{name}[{k}] = {_short(row)} is not a row; {name} must be 2-D "
                f"(for d = 1 write [[x1], [x2], ...])"
            )
        items = _as_list(row, f"{name}[{k}]")
        if d is None:
            d = len(items)
            if d == 0:
                raise EmptyDataError(f"{name} has rows with no entries (d = 0)")
        elif len(items) != d:
            raise InvalidDataError(f"{name}[{k}] has {entries(len(items))}, expected {d}")
        out.append(tuple(as_rational(a, f"{name}[{k}][{j}]") for j, a in enumerate(items)))
    return tuple(out)


@dataclass(frozen=True)
class Dataset:
    r"""An exact regression instance :math:`(X, y, \beta)`, immutable.

    ``Dataset(X, y, beta)`` converts and validates every entry (see :func:`as_rational`);
    ``X`` is stored as a tuple of rows of Fractions, ``y`` as a tuple, ``beta`` as a Fraction.

    Raises
    ------
    InvalidDataError
        On floats, NaN, infinities, ragged rows, non-numeric strings, a length mismatch
        between ``X`` and ``y``, or ``beta <= 0``.
    EmptyDataError
        If ``X`` has no rows or no columns.

    Examples
    --------
    >>> D = Dataset([[1, 0], [0, "1/2"]], [1, -1], "1/3")
    >>> D.n, D.d, D.beta
    (2, 2, Fraction(1, 3))
    >>> Dataset([[1, 0], [0, 1]], [1], 1)
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: y has 1 entry but X has 2 rows
    >>> Dataset([[1]], [1], 0)
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: beta = 0 must be > 0
    """

    X: tuple
    y: tuple
    beta: Fraction

    def __post_init__(self):
        X = rational_matrix(self.X, "X")
        y = rational_vector(self.y, "y")
        if len(y) != len(X):
            raise InvalidDataError(
                f"y has {entries(len(y))} but X has {len(X)} rows"
            )
        if _is_sequence(self.beta):
            raise InvalidDataError(f"beta = {_short(self.beta)} must be a single number")
        beta = as_rational(self.beta, "beta")
        if beta <= 0:
            raise InvalidDataError(f"beta = {beta} must be > 0")
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "beta", beta)

    @property
    def n(self):
        """Number of samples."""
        return len(self.X)

    @property
    def d(self):
        """Input dimension."""
        return len(self.X[0])

    @cached_property
    def X_fmpq(self):
        """``X`` as a python-flint ``fmpq_mat`` (cached)."""
        from flint import fmpq, fmpq_mat

        return fmpq_mat([[fmpq(a.numerator, a.denominator) for a in row] for row in self.X])

    @cached_property
    def y_fmpq(self):
        """``y`` as a python-flint column ``fmpq_mat`` (cached)."""
        from flint import fmpq, fmpq_mat

        return fmpq_mat([[fmpq(a.numerator, a.denominator)] for a in self.y])

    def with_beta(self, beta):
        """Return the same data with another weight decay."""
        return Dataset(self.X, self.y, beta)

    @classmethod
    def from_floats(cls, X, y, beta, *, limit_denominator=None):
        """Build a dataset from floats, converting each float explicitly.

        With ``limit_denominator=None`` every float becomes the exact binary rational it
        stores (``0.1`` becomes ``3602879701896397/36028797018963968``); with an integer ``L``
        it becomes the closest fraction with denominator at most ``L`` (``0.1`` becomes
        ``1/10``). Exact entries (ints, strings, Fractions) pass unchanged.

        Raises
        ------
        InvalidDataError
            On NaN or infinite entries (named by position) and on everything
            :class:`Dataset` refuses.

        Examples
        --------
        >>> Dataset.from_floats([[0.5, 0.1]], [1.0], 0.25, limit_denominator=100).X
        ((Fraction(1, 2), Fraction(1, 10)),)
        >>> Dataset.from_floats([[float("nan")]], [1], 1)
        Traceback (most recent call last):
        ...
        exact.errors.InvalidDataError: X[0][0] is NaN
        """
        if limit_denominator is not None and (
            isinstance(limit_denominator, bool)
            or not isinstance(limit_denominator, numbers.Integral)
            or limit_denominator < 1
        ):
            raise InvalidDataError(f"limit_denominator = {limit_denominator!r} must be an integer >= 1")

        def conv(a, where):
            if isinstance(a, numbers.Real) and not isinstance(a, (numbers.Rational, bool)):
                x = float(a)
                if math.isnan(x):
                    raise InvalidDataError(f"{where} is NaN")
                if math.isinf(x):
                    raise InvalidDataError(f"{where} = {x} is infinite")
                f = Fraction(x)
                return f if limit_denominator is None else f.limit_denominator(limit_denominator)
            return as_rational(a, where)

        if hasattr(X, "tolist"):
            X = X.tolist()
        if hasattr(y, "tolist"):
            y = y.tolist()
        rows = _as_list(X, "X")
        Xc = [
            [conv(a, f"X[{k}][{j}]") for j, a in enumerate(_as_list(r, f"X[{k}]"))]
            if _is_sequence(r)
            else r
            for k, r in enumerate(rows)
        ]
        yc = [conv(a, f"y[{i}]") if not _is_sequence(a) else a for i, a in enumerate(_as_list(y, "y"))]
        return cls(Xc, yc, conv(beta, "beta") if not _is_sequence(beta) else beta)

    @classmethod
    def from_csv(cls, path, beta, *, label_column=-1, delimiter=","):
        """Read a dataset from a CSV file: one sample per line, the label in ``label_column``.

        Cells are exact numbers as text (``3``, ``-1/2``, ``0.25``). Blank lines and lines
        starting with ``#`` are skipped; a first line in which no cell is a number is a header.

        Raises
        ------
        InvalidDataError
            If the file is missing or unreadable, a line has the wrong number of cells, or a
            cell is not an exact number (the message gives the line and column).

        Examples
        --------
        >>> import tempfile, os
        >>> with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        ...     _ = f.write("x1,x2,y\\n1,0,1/2\\n0,1,-1\\n")
        >>> Dataset.from_csv(f.name, beta=1).y
        (Fraction(1, 2), Fraction(-1, 1))
        >>> os.remove(f.name)
        """
        table = read_csv_table(path, delimiter=delimiter)
        width = len(table[0][1])
        if width < 2:
            raise InvalidDataError(f"{path}: lines need at least 2 cells (features and a label)")
        col = label_column if label_column >= 0 else width + label_column
        if not 0 <= col < width:
            raise InvalidDataError(f"{path}: label_column = {label_column} is outside 0..{width - 1}")
        X = [[c for j, c in enumerate(cells) if j != col] for _, cells in table]
        y = [cells[col] for _, cells in table]
        return cls(X, y, beta)

    def to_csv(self, path):
        """Write ``X`` and ``y`` (label last) as exact text, one sample per line."""
        with open(path, "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow([f"x{j + 1}" for j in range(self.d)] + ["y"])
            for row, label in zip(self.X, self.y):
                w.writerow([str(a) for a in row] + [str(label)])


def read_csv_table(path, *, delimiter=","):
    """Read a CSV file of exact numbers: a list of ``(line_number, [Fraction, ...])``.

    All lines must have the same number of cells. Used for data files (features with or
    without a label column).

    Raises
    ------
    InvalidDataError
        Missing or unreadable file, no data lines, ragged lines, or a non-numeric cell.
    """
    if not os.path.exists(path):
        raise InvalidDataError(f"data file {str(path)!r} does not exist")
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            lines = list(csv.reader(fh, delimiter=delimiter))
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise InvalidDataError(f"cannot read data file {str(path)!r}: {err}") from err
    table = []
    width = None
    for lineno, cells in enumerate(lines, start=1):
        cells = [c.strip() for c in cells]
        if not cells or all(c == "" for c in cells) or cells[0].startswith("#"):
            continue
        if not table and width is None and not any(_looks_numeric(c) for c in cells):
            width = len(cells)  # a header: no cell of the first line is a number
            continue
        if width is None:
            width = len(cells)
        if len(cells) != width:
            raise InvalidDataError(f"{path}, line {lineno}: {len(cells)} cells, expected {width}")
        table.append(
            (lineno, [as_rational(c, f"{path}, line {lineno}, column {j + 1}") for j, c in enumerate(cells)])
        )
    if not table:
        raise EmptyDataError(f"data file {str(path)!r} has no data lines")
    return table


def _parse_rational(s, where):
    t = s.strip()
    mantissa, _, exponent = t.lower().partition("e")
    _check_size(len(t), int(exponent) if exponent.lstrip("+-").isdigit() and len(exponent) < 20 else 0, where)
    try:
        return Fraction(t)
    except (ValueError, ZeroDivisionError) as err:
        low = t.lower().lstrip("+-")
        if low in ("nan", "inf", "infinity"):
            raise InvalidDataError(f"{where} = {s!r} is not finite") from err
        if isinstance(err, ZeroDivisionError):
            raise InvalidDataError(f"{where} = {s!r} divides by zero") from err
        raise InvalidDataError(f"{where} = {s!r} is not a number (write e.g. 3, -1/2 or 0.25)") from err


_MAX_CHARS = 2 * (MAX_NUMBER_BITS * 3 // 10 + 2)  # "p/q" with p, q of MAX_NUMBER_BITS bits


def _check_size(digits, exponent, where):
    """Refuse a decimal of ``digits`` digits times ``10^exponent`` that is surely too large,
    before Python builds it (``Fraction("1e999999999")`` would run for hours)."""
    if digits + abs(exponent) > _MAX_CHARS:
        raise InvalidDataError(
            f"{where} has about {digits + abs(exponent)} digits, more than MAX_NUMBER_BITS = {MAX_NUMBER_BITS} "
            "bits allow (raise it with exact.data.MAX_NUMBER_BITS = ...)"
        )


def _looks_numeric(cell):
    try:
        Fraction(cell)
    except (ValueError, ZeroDivisionError):
        return False
    return True


def _is_sequence(a):
    if isinstance(a, (str, bytes)):
        return False
    if hasattr(a, "ndim"):
        return a.ndim > 0
    return isinstance(a, (list, tuple)) or (hasattr(a, "__len__") and hasattr(a, "__getitem__"))


def _as_list(a, name):
    if isinstance(a, (str, bytes)):
        raise InvalidDataError(f"{name} = {_short(a)} is a string, expected a sequence of numbers")
    if hasattr(a, "ndim") and hasattr(a, "tolist") and hasattr(a, "dtype"):
        kind = a.dtype.kind
        if kind == "f" or kind == "c":
            raise InvalidDataError(
                f"{name} is a float array, which is not exact: use an integer or object array, "
                "or build the data with Dataset.from_floats"
            )
        if kind == "b":
            raise InvalidDataError(f"{name} is a boolean array, not numbers")
        return list(a) if kind == "O" else a.tolist()
    try:
        return list(a)
    except TypeError as err:
        raise InvalidDataError(f"{name} = {_short(a)} is not a sequence") from err


def _short(a):
    r = repr(a)
    return r if len(r) <= 40 else r[:37] + "..."
