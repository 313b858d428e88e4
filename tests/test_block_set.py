"""BlockSet: the blocks of (C) as arrays agree with the blocks as tuples, on every route."""

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from exact import Dataset, enumerate_patterns
from exact.block_set import BlockSet
from exact.numeric.convex import block_norms
from exact.optimality import Block, memo_for
from exact.optimum import block_checks

points = st.lists(st.tuples(*[st.integers(-5, 5)] * 3).filter(any), min_size=3, max_size=7, unique=True)
duals = st.lists(st.fractions(-3, 3, max_denominator=5), min_size=7, max_size=7)


def _data(X, nu):
    data = Dataset(X, [0] * len(X), 1)
    return data.X, nu[: len(X)]


@settings(max_examples=40, deadline=None)
@given(X=points, nu=duals)
def test_the_blocks_of_the_regions_are_both_signs_of_every_nonzero_pattern(X, nu):
    X, nu = _data(X, nu)
    pats = enumerate_patterns(X)
    blocks = BlockSet.of_regions(X, pats)
    expected = [Block(tuple(int(v) for v in r), s) for r in pats.D.tolist() if any(r) for s in (1, -1)]
    assert list(blocks) == expected
    walls = memo_for(X, "walls")
    assert all(walls[b.D] == pats.walls[pats.index(b.D)] for b in expected)  # registered when built
    listed = BlockSet.of(X, expected)
    assert list(listed) == expected and listed.walls is not None and listed.tree is None


@settings(max_examples=40, deadline=None)
@given(X=points, nu=duals, pick=st.lists(st.integers(0, 10**6), max_size=5))
def test_float_norms_of_a_set_are_those_of_its_blocks_along_the_tree_and_by_products(X, nu, pick):
    X, nu = _data(X, nu)
    pats = enumerate_patterns(X)
    blocks = BlockSet.of_regions(X, pats)
    pairs = [(b.D, b.sign) for b in blocks]
    walls = memo_for(X, "walls")
    reference = block_norms(X, pairs, nu, walls)
    assert blocks.used_tree is pats.tree
    assert np.allclose(block_norms(X, blocks, nu), reference, rtol=1e-12, atol=1e-12)
    few = sorted({i % len(blocks) for i in pick})
    part = blocks.take(np.array(few, dtype=np.int64))
    if len(few) * 4 <= len(pats):
        assert part.used_tree is None  # a product over the rows used
    assert np.allclose(block_norms(X, part, nu), reference[few], rtol=1e-12, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(X=points, nu=duals, beta=st.fractions(Fraction(1, 4), 4, max_denominator=4))
def test_block_checks_of_a_set_and_of_its_list_agree(X, nu, beta):
    """The same verdicts, tight and violated blocks, and multipliers for the same blocks (the
    set's bulk multipliers are listed as blocks when read; their float proposals may differ in
    the last bit, the tree's sums and a product rounding differently)."""
    X, nu = _data(X, nu)
    pats = enumerate_patterns(X)
    blocks = BlockSet.of_regions(X, pats)
    a = block_checks(X, blocks, nu, beta)
    b = block_checks(X, list(blocks), nu, beta)
    assert a["feasible"] == b["feasible"]
    assert sorted(map(repr, a["tight"])) == sorted(map(repr, b["tight"]))
    assert sorted(map(repr, a["violated"])) == sorted(map(repr, b["violated"]))
    listed = dict(a["lambdas"].items())
    assert listed.keys() == dict(b["lambdas"].items()).keys() and len(a["lambdas"]) == len(listed)
