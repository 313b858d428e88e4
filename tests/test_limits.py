"""Resource limits: inputs beyond a stated limit are refused up front, with the limit and how to
raise it in the message, instead of running out of time or memory."""

import time
from decimal import Decimal
from fractions import Fraction
from math import comb

import pytest

import exact.checker as checker
import exact.data as data
from exact import Dataset, ResourceLimitError, count_patterns, cover_count, enumerate_patterns
from exact.cli import main
from exact.errors import InvalidDataError


def big_data(n, d):
    """n rows of d small integers (deterministic, generic enough: distinct hyperplanes)."""
    return [[(k * (j + 3) ** 2 + j * j * k // 7 + 1) % 97 - 48 for j in range(d)] for k in range(n)]


def test_enumerating_n_1e5_d_10_is_refused_up_front():
    X = big_data(10**5, 10)
    t = time.perf_counter()
    with pytest.raises(ResourceLimitError, match=r"max_patterns = 5000000; pass a larger max_patterns") as err:
        enumerate_patterns(X)
    assert time.perf_counter() - t < 60  # refused from the bound, not after a partial enumeration
    assert "bytes per pattern" in str(err.value)
    with pytest.raises(ResourceLimitError, match=r"more than max_vertices = 5000000; pass a larger max_vertices"):
        count_patterns(X)


def test_the_exact_count_decides_when_the_bound_is_loose():
    """Rows (1, t, 0) (one plane) and (0, 0, 1): Cover's bound grows like k^2, the 4k regions
    (a product of the 2k sectors of the plane and the two sides of z = 0) do not."""
    k = 100
    X = [[1, t, 0] for t in range(k)] + [[0, 0, 1]]
    assert cover_count(k + 1, 3) == 2 * (1 + k + comb(k, 2)) > 1000
    assert len(enumerate_patterns(X, max_patterns=1000)) == count_patterns(X) == 4 * k
    with pytest.raises(ResourceLimitError, match=f"has {4 * k} activation patterns, more than max_patterns = {4 * k - 1}"):
        enumerate_patterns(X, max_patterns=4 * k - 1)


def test_count_patterns_states_the_sweep_limit_and_obeys_a_larger_one():
    X = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1], [1, 2, 3]]
    with pytest.raises(ResourceLimitError, match=r"C\(4, 2\) = 6 candidate vertices, more than max_vertices = 5; .*Cover's upper bound is 22"):
        count_patterns(X, max_vertices=5)
    assert count_patterns(X, max_vertices=6) == cover_count(5, 3) == 22


def test_zaslavsky_count_states_the_rank_budget(monkeypatch):
    X = [[1, t, t * t] for t in range(8)]
    monkeypatch.setattr(checker, "MAX_RANKS", 40)
    with pytest.raises(ResourceLimitError, match=r"more than 40 rank computations \(checker.MAX_RANKS.*method='sweep'"):
        count_patterns(X, method="zaslavsky")
    monkeypatch.setattr(checker, "MAX_RANKS", 10**6)
    assert count_patterns(X, method="zaslavsky") == count_patterns(X) == cover_count(8, 3)


@pytest.mark.parametrize(
    "value, match",
    [
        (10**2000, "6644 bits, more than MAX_NUMBER_BITS = 6000"),
        (Fraction(1, 3**4000), "bits, more than MAX_NUMBER_BITS"),
        ("1e999999999", "about 1000000010 digits"),  # Fraction() of it would run for hours
        ("-1e-999999999", "digits, more than MAX_NUMBER_BITS"),
        ("7" * 5000, "about 5000 digits"),  # beyond Python's 4300-digit int parsing limit
        (Decimal("1e999999999"), "about 1000000000 digits"),
    ],
)
def test_numbers_beyond_the_size_limit_are_refused(value, match):
    t = time.perf_counter()
    with pytest.raises(InvalidDataError, match=match) as err:
        Dataset([[value]], [1], 1)
    assert "raise it with exact.data.MAX_NUMBER_BITS" in str(err.value)
    assert time.perf_counter() - t < 5


def test_the_number_limit_can_be_raised(monkeypatch):
    with pytest.raises(InvalidDataError):
        Dataset([[10**2000]], [1], 1)
    monkeypatch.setattr(data, "MAX_NUMBER_BITS", 7000)
    assert Dataset([[10**2000]], [1], 1).X == ((Fraction(10**2000),),)
    assert data.as_rational("1e1000") == 10**1000  # exponents within the limit are exact


def test_cli_refuses_huge_numbers_in_one_line(tmp_path, capsys):
    path = tmp_path / "huge.csv"
    path.write_text("1,2,3\n1e99999999,0,1\n")
    assert main(["solve", str(path), "--beta", "1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "MAX_NUMBER_BITS" in err and err.count("\n") == 1
