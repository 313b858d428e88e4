"""Paths of non-increasing loss (T7.1): exact breakpoints, float samples, arbitrary starts."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counterexamples.staircase import STAIRCASE
from exact import Dataset, optimal_set
from exact.errors import InvalidDataError, UndecidedError
from exact.paths import nonincreasing_path

ORTHO = Dataset([[1, 0], [0, 1]], [2, -2], 1)
SMALL = Dataset([[1, 0], [1, -1], [1, 2]], [3, -2, 0], 1)


def assert_valid(path, data):
    assert path.check()
    values = [float(v) for v in path.values]
    assert all(b <= a + 1e-12 for a, b in zip(values, values[1:]))
    assert path.values[-1] == optimal_set(data).value  # ends at the global optimum, exactly
    samples = path.sample(15)
    by_segment = {}
    for i, t, f in samples:
        by_segment.setdefault(i, []).append(f)
    for i, fs in by_segment.items():  # monotone inside every segment too (floats)
        assert all(b <= a + 1e-9 for a, b in zip(fs, fs[1:])), path.segments[i].kind


def test_orthonormal_path():
    p = nonincreasing_path(ORTHO, [[1, 1], [0, 1], [1, 0]], [1, 1, -1])
    assert_valid(p, ORTHO)
    assert [s.kind for s in p.segments][:3] == ["balance", "merge", "descend"]


@settings(max_examples=6, deadline=None)
@given(
    W=st.lists(st.lists(st.integers(-2, 2), min_size=2, max_size=2), min_size=3, max_size=3),
    a=st.lists(st.integers(-2, 2), min_size=3, max_size=3),
)
def test_random_starts_reach_the_optimum_monotonically(W, a):
    try:
        path = nonincreasing_path(ORTHO, W, a)
    except UndecidedError:
        return  # documented: an irrational restricted optimum without an exact breakpoint
    assert_valid(path, ORTHO)


@pytest.mark.parametrize(
    "W, a",
    [([[1, 1], [0, 1], [1, 0]], [1, 1, -1]), ([[2, -1], [1, 1], [0, 0]], [-1, 2, 1]), ([[1, 0], [1, 0], [1, 0]], [1, 1, 1])],
)
def test_fixed_starts(W, a):
    assert_valid(nonincreasing_path(ORTHO, W, a), ORTHO)


def test_path_to_a_chosen_target_in_a_non_unique_optimal_set():
    # the staircase: two vertices; end at the two-neuron one from the one-neuron side
    W0 = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 1]]
    q = Fraction(1, 4)  # the vertex gamma = (1/4, 1/4): neurons (omega / 2, 1/2)
    target = ([[2 * q, 0, 0, 0], [-q, q, q, q], [0, 0, 0, 0]], [Fraction(1, 2), Fraction(1, 2), 0])
    p = nonincreasing_path(STAIRCASE, W0, [1, 1, 1], target=target)
    assert_valid(p, STAIRCASE)
    end = p.segments[-1].end
    assert sorted(float(a2) for s, a2, u in end if s) == [0.25, 0.25]


def test_target_must_be_optimal():
    with pytest.raises(InvalidDataError, match="not a global optimum"):
        nonincreasing_path(STAIRCASE, [[1, 0, 0, 0]] * 3, [1, 1, 1], target=([[1, 0, 0, 0]] * 3, [1, 0, 0]))


def test_width_must_exceed_n():
    with pytest.raises(InvalidDataError, match="below n \\+ 1"):
        nonincreasing_path(SMALL, [[1, 0]], [1])
