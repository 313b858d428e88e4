"""The cross-check harness: every claim has a float twin, and the verify table shows both columns."""

import pytest

from exact.claims import CrossCheck, Outcome, _REGISTRY, all_claims, claim, no_crosscheck, run_claim
from exact.claims.crosschecks import _twin
from exact.cli import main
from exact.numeric import CrossCheckReport, crosscheck, missing_crosschecks
from exact.report import numeric_cell, summary, verdict_row


def test_every_registered_claim_has_a_float_twin():
    assert all_claims(include_slow=True)
    assert missing_crosschecks() == []


def test_harness_reports_agreement_residual_and_tolerance():
    rep = crosscheck("relaxation.orthonormal_partition")
    assert isinstance(rep, CrossCheckReport) and rep.has_twin and rep.agrees
    assert rep.exact_holds is None and rep.tolerance == 1e-7 and 0 <= rep.residual <= rep.tolerance
    assert rep.consistent and rep.seconds >= 0


def test_harness_takes_a_verdict_and_keeps_its_exact_side():
    verdict = run_claim("relaxation.restriction_bound", crosscheck=False)
    assert verdict.numeric is None and verdict.certificate_verified
    rep = crosscheck(verdict)
    assert rep.claim == verdict.claim and rep.exact_holds is True and rep.agrees


def test_a_claim_without_twin_is_reported_not_run():
    @claim("demo.no_twin", "1 = 1", "arithmetic")
    def demo():
        return Outcome(holds=True, instance="integers")

    try:
        rep = crosscheck("demo.no_twin")
        assert not rep.has_twin and rep.agrees is None and not rep.consistent
        assert "demo.no_twin" in missing_crosschecks()
    finally:
        del _REGISTRY["demo.no_twin"]
    with pytest.raises(KeyError, match="no claim named 'demo.no_twin'"):
        crosscheck("demo.no_twin")


def test_a_claim_without_twin_can_say_why():
    @claim("demo.untwinned", "2 = 2", "arithmetic")
    def demo():
        return Outcome(holds=True, instance="integers")

    no_crosscheck("demo.untwinned", "an identity of integers, nothing to compute in floats")
    try:
        rep = crosscheck("demo.untwinned")
        assert not rep.has_twin and rep.agrees is None and "nothing to compute" in rep.detail
        assert "demo.untwinned" not in missing_crosschecks()
        v = run_claim("demo.untwinned")
        assert verdict_row(v).endswith("- (no float twin: an identity of integers, nothing to compute in floats)")
        assert summary([v]) == "1/1 claims hold"  # a stated reason is not a disagreement
    finally:
        del _REGISTRY["demo.untwinned"]


def test_a_twin_beside_its_claim_takes_precedence():
    own = _REGISTRY["relaxation.monotone_in_sample"].crosscheck
    _twin("relaxation.monotone_in_sample")(lambda: CrossCheck(False, "never registered"))
    assert _REGISTRY["relaxation.monotone_in_sample"].crosscheck is own
    with pytest.raises(ModuleNotFoundError):
        _twin("nosuchmodule.claim")(lambda: None)


def test_numeric_column_shows_residual_against_tolerance():
    assert numeric_cell(CrossCheck(False, "x", residual=0.5, tolerance=0.1)) == "DISAGREES, residual 0.5 > 0.1 (x)"
    assert numeric_cell(CrossCheck(True, "no tolerance", residual=3.0)) == "agrees (no tolerance)"
    row = verdict_row(run_claim("relaxation.orthonormal_partition"))
    assert "holds" in row and "optimum ✓" in row and "agrees, residual" in row and "<= 1e-07" in row


def test_verify_prints_an_exact_and_a_numeric_column(capsys):
    status = main(["verify", "relaxation.orthonormal_partition", "landscape.generic_unique", "duality.tight_directions"])
    out = capsys.readouterr().out
    assert status == 0 and "3/3 claims hold" in out
    rows = [line for line in out.splitlines() if line.startswith(("relaxation.", "landscape.", "duality."))]
    assert len(rows) == 3 and all(" holds " in r and "agrees" in r for r in rows)
    assert out.splitlines()[0].split()[:2] == ["claim", "exact"]
