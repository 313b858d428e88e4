"""``reluscape train`` and ``reluscape relaxation-gap``: round trips, one-line errors, resume."""

import json
import os
import signal
import subprocess
import sys
import time
from fractions import Fraction

import numpy as np
import pytest

from exact import Dataset
from exact.cli import main
from exact.numeric.nonconvex import loss
from exact.numeric.sweep import read_results
from exact.optimum import optimal_set
from exact.relaxation import gaussian_dataset

try:
    import torch
except ModuleNotFoundError:
    torch = None


def run(args, capsys):
    status = main(args)
    out = capsys.readouterr()
    return status, out.out, out.err


@pytest.fixture
def teacher_csv(tmp_path):
    """The planted-teacher instance of the relaxation claims, whose optimum GD reaches."""
    data = gaussian_dataset(8, 2, seed=0, labels="teacher", tau=Fraction(1, 20))
    path = tmp_path / "teacher.csv"
    data.to_csv(path)
    return path, data


def test_train_reaches_the_certified_optimum_and_writes_the_network(teacher_csv, tmp_path, capsys):
    path, data = teacher_csv
    net = tmp_path / "net.json"
    status, out, _ = run(
        ["train", str(path), "--m", "8", "--beta", str(data.beta), "--init-scale", "1e-2", "--steps", "20000",
         "--runs", "16", "--certify", "--out", str(net)],
        capsys,
    )
    assert status == 0 and "final loss F = " in out and "certified p* in" in out
    doc = json.loads(net.read_text())
    F = loss(data, None, None, doc["W"], doc["a"])
    assert F == pytest.approx(doc["loss"], rel=1e-12)
    lo, hi = (float(v) for v in optimal_set(data).value_interval)
    assert lo * (1 - 1e-12) <= F <= hi * (1 + 1e-6)  # GD reached p*
    assert np.array(doc["W"]).shape == (8, 2) and doc["beta"] == str(data.beta)


def test_train_prints_the_loss_as_it_goes(teacher_csv, capsys):
    path, data = teacher_csv
    status, out, _ = run(["train", str(path), "--m", "3", "--beta", "1/10", "--steps", "40", "--log-every", "10"], capsys)
    steps = [int(line.split()[1].rstrip(":")) for line in out.splitlines() if line.strip().startswith("step")]
    assert status == 0 and steps == [0, 10, 20, 30, 40]
    values = [float(line.split("F = ")[1]) for line in out.splitlines() if line.strip().startswith("step")]
    assert all(b <= a * (1 + 1e-6) for a, b in zip(values, values[1:]))


@pytest.mark.parametrize(
    "args, match",
    [
        (["--m", "0", "--beta", "1"], "--m 0 must be >= 1"),
        (["--m", "2", "--beta", "0"], "beta = 0 must be > 0"),
        (["--m", "2", "--beta", "1", "--device", "tpu"], "device = 'tpu' is not one of"),
        (["--m", "2", "--beta", "1", "--init-scale", "-1"], "--init-scale and --lr must be > 0"),
    ],
)
def test_train_errors_are_one_line(args, match, teacher_csv, capsys):
    status, _, err = run(["train", str(teacher_csv[0])] + args, capsys)
    assert status == 2 and match in err and err.count("\n") == 1


def test_train_on_cuda_without_a_device_is_one_line(teacher_csv, capsys):
    if torch is not None and torch.cuda.is_available():
        pytest.skip("a CUDA device is present (tests/test_cli_train.py::test_train_on_cuda covers it)")
    status, _, err = run(["train", str(teacher_csv[0]), "--m", "2", "--beta", "1", "--device", "cuda"], capsys)
    assert status == 2 and err.startswith("error: ") and err.count("\n") == 1


@pytest.mark.gpu
@pytest.mark.skipif(torch is None or not torch.cuda.is_available(), reason="no CUDA device")
def test_train_on_cuda(teacher_csv, tmp_path, capsys):
    path, data = teacher_csv
    outs = {}
    for device in ("cpu", "cuda"):
        net = tmp_path / f"{device}.json"
        status, _, _ = run(["train", str(path), "--m", "6", "--beta", str(data.beta), "--steps", "300", "--device", device, "--out", str(net)], capsys)
        assert status == 0
        outs[device] = json.loads(net.read_text())["loss"]
    assert outs["cuda"] == pytest.approx(outs["cpu"], rel=1e-9)


def test_train_missing_file_is_one_line(tmp_path, capsys):
    status, _, err = run(["train", str(tmp_path / "none.csv"), "--m", "2", "--beta", "1"], capsys)
    assert status == 2 and "does not exist" in err and err.count("\n") == 1


# ---------------------------------------------------------------------------------------------
# relaxation-gap


def test_relaxation_gap_round_trip(tmp_path, capsys):
    out = tmp_path / "results"
    # d = 1 keeps the certified optima (n = 6) quick; the float route (n = 24) is the same code for any d
    args = ["relaxation-gap", "--n", "6,24", "--d", "1", "--samples", "3,2log", "--seeds", "2", "--exact-max-n", "8",
            "--gd-runs", "2", "--gd-steps", "100", "--workers", "1", "--no-progress", "--out", str(out)]
    status, text, _ = run(args, capsys)
    assert status == 0 and "8 instances" in text
    records = list(read_results(out / "relaxation_gap.jsonl").values())
    assert len(records) == 8
    assert {r["route"] for r in records if r["n"] == 6} == {"certified"}
    assert {r["route"] for r in records if r["n"] == 24} == {"float"}
    summary = json.loads((out / "summary.json").read_text())
    assert [(r["samples"], r["n"]) for r in summary] == [("2log", 6), ("2log", 24), ("3", 6), ("3", 24)]
    for row in summary:
        assert row["seeds"] == 2 and row["ratio_lo_median"] <= row["ratio_hi_median"]
        assert row["ratio_hi_median"] >= 1 - 1e-9  # p~* >= p*
    assert (out / "summary.csv").read_text().startswith("samples,dims,n,seeds")
    # a second run computes nothing new and prints the same table
    status, again, _ = run(args, capsys)
    assert status == 0 and again.splitlines()[1:] == text.splitlines()[1:]
    assert len((out / "relaxation_gap.jsonl").read_text().splitlines()) == 8


@pytest.mark.parametrize(
    "args, match",
    [
        (["--n", "10,x"], "--n '10,x': expected comma-separated integers"),
        (["--n", "10", "--d", "n/0"], "dims = 'n/0' is neither"),
        (["--n", "10", "--samples", "lots"], "samples = 'lots' is neither"),
        (["--n", "10", "--seeds", "0"], "--seeds 0 must be >= 1"),
    ],
)
def test_relaxation_gap_errors_are_one_line(args, match, tmp_path, capsys):
    status, _, err = run(["relaxation-gap", "--out", str(tmp_path)] + args, capsys)
    assert status == 2 and match in err and err.count("\n") == 1


def test_relaxation_gap_resumes_after_sigint(tmp_path):
    """Interrupt the command mid-sweep (SIGINT), rerun it: nothing lost, nothing computed twice.

    The float route (``--exact-max-n 0``) keeps each of the 300 instances near 0.03 s: enough
    of them that a poll delayed by a loaded machine still interrupts the sweep mid-way.
    """
    out = tmp_path / "gap"
    cmd = [sys.executable, "-c", "from exact.cli import main; raise SystemExit(main())", "relaxation-gap", "--n", "6,7,8", "--samples", "4", "--seeds", "100",
           "--exact-max-n", "0", "--gd-runs", "0", "--workers", "1", "--no-progress", "--out", str(out)]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    checkpoint = out / "relaxation_gap.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not checkpoint.exists() or len(checkpoint.read_text().splitlines()) < 2):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and "interrupted" in err
    before = read_results(checkpoint)
    assert 2 <= len(before) < 300
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in checkpoint.read_text().splitlines()]
    assert sorted(line["key"] for line in lines) == sorted(set(line["key"] for line in lines))
    assert len(lines) == 300
    after = read_results(checkpoint)
    assert all(after[k] == v for k, v in before.items())
