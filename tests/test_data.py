"""The exact data model: every accepted input type, every refused one with its position."""

import decimal
from fractions import Fraction

import numpy as np
import pytest
import sympy
from flint import fmpq, fmpz
from hypothesis import given
from hypothesis import strategies as st

from exact import Dataset, as_rational
from exact.data import rational_matrix
from exact.errors import EmptyDataError, InvalidDataError
from exact.strategies import datasets


@pytest.mark.parametrize(
    "value, expected",
    [
        (3, Fraction(3)),
        (Fraction(-7, 2), Fraction(-7, 2)),
        ("3/4", Fraction(3, 4)),
        (" -2 ", Fraction(-2)),
        ("0.125", Fraction(1, 8)),
        ("1e-3", Fraction(1, 1000)),
        (decimal.Decimal("0.1"), Fraction(1, 10)),
        (fmpz(5), Fraction(5)),
        (fmpq(2, 3), Fraction(2, 3)),
        (sympy.Rational(5, 7), Fraction(5, 7)),
        (sympy.Integer(-4), Fraction(-4)),
        (np.int64(9), Fraction(9)),
        (10**40, Fraction(10**40)),
    ],
)
def test_accepted_exact_numbers(value, expected):
    got = as_rational(value)
    assert got == expected and isinstance(got, Fraction)


@pytest.mark.parametrize(
    "value, match",
    [
        (0.1, "is a float"),
        (np.float64(2.0), "is a float"),
        (float("nan"), "is NaN"),
        (float("-inf"), "infinite"),
        ("nan", "not finite"),
        ("inf", "not finite"),
        ("1/0", "divides by zero"),
        ("three", "not a number"),
        (True, "boolean"),
        (sympy.sqrt(2), "not rational"),
        (sympy.Float(0.5), "float"),
        (decimal.Decimal("NaN"), "not finite"),
        (None, "not a number"),
        (1 + 2j, "not a number"),
    ],
)
def test_refused_numbers(value, match):
    with pytest.raises(InvalidDataError, match=match):
        as_rational(value, "X[0][0]")


def test_dataset_from_everything():
    X = np.array([[1, 2], [3, 4]])
    D = Dataset(X, ["1/2", sympy.Rational(-1, 3)], fmpq(1, 4))
    assert D.X == ((1, 2), (3, 4)) and D.y == (Fraction(1, 2), Fraction(-1, 3)) and D.beta == Fraction(1, 4)
    assert D.X_fmpq.nrows() == 2 and D.y_fmpq[1, 0] == fmpq(-1, 3)
    assert Dataset(D.X, D.y, 1).with_beta("2/3").beta == Fraction(2, 3)


@pytest.mark.parametrize(
    "X, y, beta, error, match",
    [
        ([[1, 0], [0, 1]], [1], 1, InvalidDataError, "y has 1 entry but X has 2 rows"),
        ([[1]], [1], 0, InvalidDataError, "beta = 0 must be > 0"),
        ([[1]], [1], "-1/2", InvalidDataError, "beta = -1/2 must be > 0"),
        ([[1]], [1], [1, 2], InvalidDataError, "beta .* must be a single number"),
        ([[1]], [1], 0.5, InvalidDataError, "beta = 0.5 is a float"),
        ([[1, 2], [3]], [1, 1], 1, InvalidDataError, r"X\[1\] has 1 entry, expected 2"),
        ([], [], 1, EmptyDataError, "no rows"),
        (np.array([[1.0, 2.0]]), [1], 1, InvalidDataError, "float array"),
        ([[1, 2]], [[1]], 1, InvalidDataError, r"y\[0\] = \[1\] is a sequence"),
        ([[1, 2]], ["x"], 1, InvalidDataError, r"y\[0\] = 'x' is not a number"),
        ("12", [1], 1, InvalidDataError, "is a string"),
    ],
)
def test_dataset_refuses(X, y, beta, error, match):
    with pytest.raises(error, match=match):
        Dataset(X, y, beta)


def test_from_floats():
    D = Dataset.from_floats(np.array([[0.5, 0.1]]), np.array([1.0]), 0.25)
    assert D.X[0][1] == Fraction(0.1) != Fraction(1, 10)  # the exact binary value
    E = Dataset.from_floats([[0.5, 0.1]], [1.0], 0.25, limit_denominator=1000)
    assert E.X[0][1] == Fraction(1, 10)
    with pytest.raises(InvalidDataError, match=r"y\[0\] = inf is infinite"):
        Dataset.from_floats([[1.0]], [float("inf")], 1)
    with pytest.raises(InvalidDataError, match="limit_denominator"):
        Dataset.from_floats([[1.0]], [1.0], 1, limit_denominator=0)


def test_csv_round_trip_and_errors(tmp_path):
    D = Dataset([[1, "1/3"], [0, -2]], ["5/7", 0], 1)
    path = tmp_path / "d.csv"
    D.to_csv(path)
    assert Dataset.from_csv(path, beta=1) == D
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n1,2\n3\n")
    with pytest.raises(InvalidDataError, match="line 3: 1 cells, expected 2"):
        Dataset.from_csv(bad, beta=1)
    bad.write_text("1,2\n3,zz\n")
    with pytest.raises(InvalidDataError, match="line 2, column 2 = 'zz' is not a number"):
        Dataset.from_csv(bad, beta=1)
    bad.write_text("# only a comment\n")
    with pytest.raises(EmptyDataError, match="no data lines"):
        Dataset.from_csv(bad, beta=1)
    with pytest.raises(InvalidDataError, match="does not exist"):
        Dataset.from_csv(tmp_path / "missing.csv", beta=1)
    bad.write_bytes(b"\xff\xfe1,2\n")
    with pytest.raises(InvalidDataError, match="cannot read"):
        Dataset.from_csv(bad, beta=1)


@given(datasets())
def test_dataset_is_exact_and_round_trips(D):
    assert all(isinstance(a, Fraction) for row in D.X for a in row)
    assert Dataset(rational_matrix([[str(a) for a in r] for r in D.X]), [str(a) for a in D.y], str(D.beta)) == D


def test_strategy_arguments_are_validated():
    from exact.errors import ReluscapeError
    from exact.strategies import betas, integer_data

    with pytest.raises(ReluscapeError, match="max_denominator=0 must be an integer >= 1"):
        betas(max_denominator=0)
    with pytest.raises(ReluscapeError, match="bound=-1"):
        integer_data(bound=-1)


@given(st.fractions())
def test_fraction_strings_round_trip(q):
    assert as_rational(str(q)) == q
