"""The registered symmetry claims hold, and their float cross-checks agree."""

import pytest

from exact.claims import all_claims, run_claim

FAST = [
    "symmetry.type_a_loss_order_1_over_k",
    "symmetry.flipped_loss_positive_limit",
    "symmetry.global_minimum_spectrum",
    "symmetry.type_a_spurious_minimum",
]
SLOW = ["symmetry.families_certified", "symmetry.thresholds"]


def test_symmetry_claims_are_registered():
    names = {c.name for c in all_claims(include_slow=True)}
    assert set(FAST + SLOW) <= names
    assert not set(SLOW) & {c.name for c in all_claims()}


@pytest.mark.parametrize("name", FAST)
def test_fast_claims_hold_and_agree(name):
    verdict = run_claim(name)
    assert verdict.holds, verdict.detail
    assert verdict.numeric is not None and verdict.numeric.agrees, verdict.numeric.detail


@pytest.mark.slow
@pytest.mark.parametrize("name", SLOW)
def test_slow_claims_hold_and_agree(name):
    verdict = run_claim(name)
    assert verdict.holds, verdict.detail
    assert verdict.numeric.agrees, verdict.numeric.detail
