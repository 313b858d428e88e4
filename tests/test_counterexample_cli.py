"""``reluscape counterexample`` and the counterexample claims: certificates written and
re-checked by the trusted checker, one-line errors, claims holding with their float twins."""

import json

import pytest

from exact.checker import check_file
from exact.claims import all_claims, run_claim
from exact.cli import main
from exact.commands.counterexample import COUNTEREXAMPLES


def test_list_names_every_counterexample(capsys):
    assert main(["counterexample", "--list"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in COUNTEREXAMPLES)


@pytest.mark.parametrize("name", ["fixture-b", "fixture-c", "plain-continuum"])
def test_certificate_written_and_rechecked(name, tmp_path, capsys):
    path = tmp_path / "c.json"
    assert main(["counterexample", name, "--cert", str(path)]) == 0
    out = capsys.readouterr().out
    assert "refutes" in out and "every convex combination is optimal" in out
    res = check_file(path)
    assert res.ok and res.schema == "reluscape/nonunique/1"
    cert = json.loads(path.read_text())
    cert["solutions"][1]["atoms"][0]["weight"] = "3"  # a heavier atom: the fit or the value breaks
    path.write_text(json.dumps(cert))
    assert not check_file(path).ok


def test_params_are_passed_and_checked(tmp_path, capsys):
    path = tmp_path / "o.json"
    assert main(["counterexample", "orthogonal", "--params", "n_pos=3,n_neg=0,lam=1/6", "--cert", str(path)]) == 0
    out = capsys.readouterr().out
    assert "beta = 1/2 (suite)" in out and "agrees exactly" in out  # beta = n lambda
    assert check_file(path).ok
    assert main(["counterexample", "find-nonunique", "--params", "n=3,d=2,budget=3"]) == 1
    assert "none found" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["counterexample", "nope"], "no counterexample named 'nope'"),
        (["counterexample"], "give a counterexample name"),
        (["counterexample", "orthogonal", "--params", "k=1"], "orthogonal takes k=v with k in: n_pos"),
        (["counterexample", "orthogonal", "--params", "n_pos=x"], "expected an integer"),
        (["counterexample", "orthogonal", "--params", "lam=0"], "lam = 0 must be > 0"),
        (["counterexample", "small-init", "--params", "beta=1/100"], "not spurious"),
    ],
)
def test_bad_input_is_one_line(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_default_counterexample_claims_hold_and_verify():
    names = [c.name for c in all_claims() if c.name.startswith("counterexamples.")]
    assert len(names) >= 5
    for name in names:
        v = run_claim(name)
        assert v.holds and v.certificate_verified, name
        assert v.numeric is not None and v.numeric.agrees, (name, v.numeric)
