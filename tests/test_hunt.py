"""Conjecture hunting: false conjectures are refuted with certified, minimal counterexamples;
true ones are not refuted (exact.hunt, counterexamples.conjectures, reluscape hunt)."""

import json
from fractions import Fraction
from itertools import product

import pytest

from counterexamples.conjectures import CONJECTURES, R64A, conjecture
from exact import Dataset, hunt
from exact.checker import check_certificate
from exact.cli import main
from exact.errors import ReluscapeError
from exact.hunt import dataset_key, parse_budget

CLAIM_FILE = '''
def few_samples(data):
    """False: some dataset has three samples."""
    return data.n <= 2
'''


def _small_datasets(ds, xs, ys, betas):
    """Every dataset with one sample x (a row from xs), label in ys and beta in betas."""
    for d in ds:
        for x in product(xs, repeat=d):
            if any(x):
                for y, b in product(ys, betas):
                    yield Dataset([list(x)], [y], b)


# ---------------------------------------------------------------------------------------------
# false conjectures: refuted, certified, minimal in n


def test_unique_optimum_is_refuted_at_n_2():
    res = hunt(conjecture("unique_optimum"), n=(1, 3), d=(1, 4), max_examples=200, budget=600, seed=0)
    assert res.refuted and res.counterexample.verified
    cx = res.counterexample
    assert cx.n == 2
    cert = cx.evidence.certificate
    assert cert["schema"] == "reluscape/critical-widths/1" and len(cert["vertices"]) >= 2
    assert check_certificate(json.loads(json.dumps(cert))).ok


def test_one_sample_has_a_unique_optimum():
    """Minimality in n of the shrunk counterexample: no one-sample dataset fails (exhaustive)."""
    pred = conjecture("unique_optimum").predicate
    for D in _small_datasets((1, 2), (-1, 0, 2), (-2, 3), (Fraction(1, 2),)):
        assert pred(D).holds, D


def test_no_spurious_at_n_is_refuted_at_n_2():
    res = hunt(conjecture("no_spurious_at_n"), n=(1, 2), d=(1, 1), max_examples=40, budget=600, seed=0)
    assert res.refuted and res.counterexample.verified
    assert res.counterexample.n == 2
    cert = res.counterexample.evidence.certificate
    assert cert["schema"] == "reluscape/local-min/1" and "competitor" in cert


def test_one_sample_has_no_spurious_local_minimum():
    pred = conjecture("no_spurious_at_n").predicate
    for D in _small_datasets((1,), (-1, 2), (-2, 1), (Fraction(1, 2), 1)):
        assert pred(D).holds, D


def test_kink_certificate_of_r64a():
    """R6.4 (a): Clarke stationary on a kink, every adjacent region violated; the checker agrees."""
    ev = conjecture("clarke_restricted").predicate(R64A)
    assert not ev.holds
    assert check_certificate(json.loads(json.dumps(ev.certificate))).ok
    bad = json.loads(json.dumps(ev.certificate))
    bad["violations"] = bad["violations"][:1]  # an adjacent region left out
    assert not check_certificate(bad).ok


@pytest.mark.slow
def test_clarke_restricted_is_refuted():
    res = hunt(conjecture("clarke_restricted"), n=(2, 3), d=(2, 2), max_examples=40, budget=900, seed=0)
    assert res.refuted and res.counterexample.verified and res.counterexample.n <= 3


@pytest.mark.slow
def test_small_init_gd_is_refuted():
    res = hunt(conjecture("small_init_gd"), n=(1, 2), d=(1, 2), max_examples=80, budget=900, seed=0)
    assert res.refuted and res.counterexample.verified


# ---------------------------------------------------------------------------------------------
# true conjectures: not refuted, coverage reported


@pytest.mark.parametrize("name, examples", [("strong_duality", 4), ("connected_above_n", 4)])
def test_true_conjectures_are_not_refuted(name, examples):
    assert CONJECTURES[name].status == "true"
    res = hunt(conjecture(name), max_examples=examples, budget=600, seed=0)
    assert not res.refuted
    assert res.coverage.evaluated + res.coverage.undecided >= 1
    assert "evidence, not proof" in res.report()


@pytest.mark.slow
def test_offkink_stationary_points_are_restricted_optima():
    res = hunt(conjecture("offkink_stationary_optimal"), n=(1, 3), d=(1, 2), max_examples=15, budget=900, seed=0)
    assert not res.refuted


# ---------------------------------------------------------------------------------------------
# the machinery


def test_hunt_shrinks_a_plain_predicate_and_caches():
    calls = []

    def pred(data):
        calls.append(dataset_key(data))
        return data.n <= 2

    res = hunt(pred, n=(1, 5), d=(1, 2), max_examples=60, budget=60, seed=3)
    assert res.refuted and res.counterexample.n == 3  # the smallest failing size
    assert len(calls) == len(set(calls))  # each instance decided once
    assert res.counterexample.verified is False  # a bool predicate has no certificate


def test_width_argument_is_drawn():
    res = hunt(lambda data, m: m <= data.n, max_examples=30, budget=60, seed=0)
    assert res.refuted and res.counterexample.m == res.counterexample.n + 1


def test_database_replays_the_failure(tmp_path):
    db = tmp_path / "db"
    first = hunt(lambda data: data.n <= 1, n=(1, 3), max_examples=30, budget=60, database=db)
    again = hunt(lambda data: data.n <= 1, n=(1, 3), max_examples=1, budget=60, database=db, seed=99)
    assert first.refuted and again.refuted  # one example: the saved failure, replayed


def test_undecided_instances_are_counted_not_failed():
    from exact.errors import UndecidedError

    def pred(data):
        raise UndecidedError("always open")

    res = hunt(pred, max_examples=5, budget=60)
    assert not res.refuted and res.coverage.undecided >= 1 and res.coverage.evaluated == 0


def test_sharded_hunt_merges(tmp_path):
    path = tmp_path / "claim.py"
    path.write_text(CLAIM_FILE)
    res = hunt(f"{path}:few_samples", n=(1, 4), max_examples=40, budget=60, shards=2, workers=1, checkpoint=tmp_path / "s.jsonl")
    assert res.refuted and res.counterexample.n == 3
    assert sum(res.coverage.by_size.values()) >= 2


@pytest.mark.parametrize("budget, seconds", [(5, 5.0), ("90s", 90.0), ("2m", 120.0), ("1h", 3600.0)])
def test_parse_budget(budget, seconds):
    assert parse_budget(budget) == seconds


@pytest.mark.parametrize("budget", ["0", "-1s", "soon", True])
def test_bad_budget(budget):
    with pytest.raises(ReluscapeError, match="budget"):
        parse_budget(budget)


def test_cli_user_claim_and_replay(tmp_path, capsys):
    path = tmp_path / "claim.py"
    path.write_text(CLAIM_FILE)
    rc = main(["hunt", f"{path}:few_samples", "--n", "1..4", "--max-examples", "40", "--out", str(tmp_path / "o"), "--no-progress"])
    out = capsys.readouterr().out
    assert rc == 1 and "REFUTED on n = 3" in out
    assert json.loads((tmp_path / "o" / "hunt.json").read_text())["refuted"]
    assert (tmp_path / "o" / "hypothesis").is_dir()


def test_cli_conjecture_certificate_replays_with_check(tmp_path, capsys):
    out = tmp_path / "o"
    rc = main(["hunt", "no_spurious_at_n", "--n", "2", "--d", "1", "--max-examples", "30", "--out", str(out), "--no-progress"])
    assert rc == 1
    assert main(["check", str(out / "certificate.json")]) == 0
    assert "known" in capsys.readouterr().out


def test_cli_list_and_errors(capsys):
    assert main(["hunt", "--list"]) == 0
    listed = capsys.readouterr().out
    assert all(name in listed for name in CONJECTURES)
    assert main(["hunt", "no_such_conjecture"]) == 2
    assert main(["hunt", "x.py:f"]) == 2
    assert main(["hunt", "strong_duality", "--n", "a..b"]) == 2
