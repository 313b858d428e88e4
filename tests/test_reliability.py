"""No lost work and determinism.

* Results are written atomically (:func:`exact.certificates.write_json`: a temporary file in the
  same folder, then ``os.replace``): an interrupt (``KeyboardInterrupt``, or a real SIGINT to a
  child process) mid-write leaves the previous file intact and no temporary file behind. The
  command line turns an interrupt into one line and exit status 130. ``reluscape verify
  --resume FILE`` keeps each finished verdict in FILE, so an interrupted run resumes where it
  stopped and reports exactly what an uninterrupted one does; FILE records the options that
  change verdicts (``--no-numeric``) and a rerun with others is refused. (Interrupting and resuming
  sweeps is tested in ``tests/test_numeric_sweep.py``.)
* The same inputs give byte-identical certificates and reports, also under another hash seed
  (set and dict orders must not leak into the output); ``verify --no-timing`` leaves out the
  seconds, the only part of a verdict that varies.
"""

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from exact.certificates import write_json
from exact.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_interrupted_write_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "cert.json"
    write_json(path, {"schema": "reluscape/patterns/1", "n": "1"})
    before = path.read_bytes()

    def half_then_interrupt(obj, fh, **kw):
        fh.write('{"schema": "reluscape/pat')
        raise KeyboardInterrupt

    monkeypatch.setattr(json, "dump", half_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_json(path, {"schema": "reluscape/patterns/1", "n": "2"})
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["cert.json"]  # the temporary file is gone


def test_write_creates_folders_and_ends_with_a_newline(tmp_path):
    path = tmp_path / "a" / "b" / "c.json"
    write_json(path, {"b": "1", "a": ["2"]})
    assert path.read_text() == '{\n "a": [\n  "2"\n ],\n "b": "1"\n}\n'


SLOW_WRITER = textwrap.dedent(
    """
    import sys, time
    from exact.certificates import write_json

    class Slow(list):  # json iterates it, one slow entry at a time
        def __iter__(self):
            for i in range(10**6):
                if i == 3:
                    print("writing", flush=True)
                time.sleep(0.01)
                yield str(i)

    write_json(sys.argv[1], {"old": "no", "entries": Slow(["0"])})
    """
)


def test_sigint_during_a_write_leaves_no_half_file(tmp_path):
    path = tmp_path / "cert.json"
    path.write_text('{"old": "yes"}\n')
    child = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITER, str(path)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert child.stdout.readline() == "writing\n"  # inside json.dump, the temporary file half written
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode != 0 and "KeyboardInterrupt" in err
    assert path.read_text() == '{"old": "yes"}\n'
    assert os.listdir(tmp_path) == ["cert.json"]


def test_cli_interrupt_is_one_line(tmp_path, capsys, monkeypatch):
    import exact.arrangement

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(exact.arrangement, "enumerate_patterns", interrupted)
    data = tmp_path / "x.csv"
    data.write_text("1,0\n0,1\n")
    assert main(["regions", str(data), "--out", str(tmp_path / "p.json")]) == 130
    out = capsys.readouterr()
    assert out.err == "interrupted\n" and not (tmp_path / "p.json").exists()


CHEAP_CLAIMS = ["patterns.cover_count", "patterns.zaslavsky_braid", "patterns.methods_agree"]


@pytest.mark.parametrize("form", [["--json"], []])
def test_verify_resumes_after_an_interrupt(form, tmp_path, capsys, monkeypatch):
    import exact.claims

    real, ran = exact.claims.run_claim, []

    def interrupted_at_the_second(name, **kwargs):
        ran.append(name)
        if len(ran) == 2:
            raise KeyboardInterrupt
        return real(name, **kwargs)

    resume = tmp_path / "verdicts.jsonl"
    args = ["verify", *CHEAP_CLAIMS, "--no-numeric", *form, "--no-timing", "--resume", str(resume)]
    monkeypatch.setattr(exact.claims, "run_claim", interrupted_at_the_second)
    assert main(args) == 130
    interrupted = capsys.readouterr()
    assert interrupted.err == f"interrupted: 1 of 3 claims finished and kept in {resume}; run the same command again to resume\n"
    (line,) = resume.read_text().splitlines()
    record = json.loads(line)
    assert record["key"] == CHEAP_CLAIMS[0] and record["result"]["holds"] is True
    assert record["result"]["options"] == ["--no-numeric"] and record["result"]["numeric"] is None

    ran.clear()
    monkeypatch.setattr(exact.claims, "run_claim", lambda name, **kwargs: ran.append(name) or real(name, **kwargs))
    assert main(args) == 0
    resumed = capsys.readouterr()
    assert ran == CHEAP_CLAIMS[1:]  # the finished claim is read back, not run again
    assert resumed.err == f"resuming from {resume}: 1 of 3 claims already finished\n"
    if form:
        assert [r["claim"] for r in json.loads(resumed.out)] == CHEAP_CLAIMS
    else:
        assert [row.split()[0] for row in resumed.out.splitlines()[1:-1]] == CHEAP_CLAIMS
    assert len(resume.read_text().splitlines()) == 3

    assert main(args[:-2]) == 0  # an uninterrupted run reports the same, byte for byte
    uninterrupted = capsys.readouterr().out
    assert uninterrupted == resumed.out and uninterrupted.startswith(interrupted.out)
    ran.clear()
    assert main(args) == 0 and ran == []  # all finished: nothing runs, the report is the same
    assert capsys.readouterr().out == resumed.out


def test_verify_resumes_in_the_table_too(tmp_path, capsys):
    resume = tmp_path / "verdicts.jsonl"
    args = ["verify", "--no-numeric", "--no-timing"]
    assert main([*args, "--resume", str(resume), CHEAP_CLAIMS[1]]) == 0
    first = capsys.readouterr().out.splitlines()
    assert main([*args, "--resume", str(resume), *CHEAP_CLAIMS]) == 0
    again = capsys.readouterr().out
    assert again.splitlines()[2] == first[1]  # the resumed row as it was, in its place
    assert [row.split()[0] for row in again.splitlines()[1:-1]] == CHEAP_CLAIMS
    assert main([*args, *CHEAP_CLAIMS]) == 0  # rows in claim order: as an uninterrupted run, byte for byte
    assert capsys.readouterr().out == again


@pytest.mark.parametrize("first, second", [(["--no-numeric"], []), ([], ["--no-numeric"])])
def test_verify_refuses_to_resume_with_other_options(first, second, tmp_path, capsys):
    resume = tmp_path / "verdicts.jsonl"
    assert main(["verify", CHEAP_CLAIMS[0], *first, "--json", "--resume", str(resume)]) == 0
    (record,) = json.loads(capsys.readouterr().out)
    assert (record["numeric"] is None) == bool(first)  # without float cross-checks, no float twin ran
    before = resume.read_bytes()
    assert main(["verify", *CHEAP_CLAIMS[:2], *second, "--resume", str(resume)]) == 2
    out = capsys.readouterr()
    state = "with" if first else "without"
    assert out.out == "" and out.err == (
        f"error: --resume {resume}: {CHEAP_CLAIMS[0]} was verified {state} --no-numeric, unlike this run; "
        "rerun with the file's options or use another file\n"
    )
    assert resume.read_bytes() == before  # nothing ran, nothing was mixed in

    entry = json.loads(before)
    del entry["result"]["options"]  # a file that does not say how its verdicts were computed
    resume.write_text(json.dumps(entry) + "\n")
    assert main(["verify", CHEAP_CLAIMS[0], *first, "--resume", str(resume)]) == 2
    err = capsys.readouterr().err
    assert err == f"error: --resume {resume}: the verdict of {CHEAP_CLAIMS[0]} records no options; use another file\n"


# ---------------------------------------------------------------------------------------------
# determinism

DIGESTS = textwrap.dedent(
    """
    import hashlib, json, os, sys, tempfile
    sys.path.insert(0, "tests")
    import test_checker_fuzz as fuzz
    from exact.certificates import write_json

    out = {}
    folder = tempfile.mkdtemp()
    for schema in sys.argv[1:]:
        for name, cert in fuzz.GENERATORS[schema]():
            path = os.path.join(folder, "c.json")
            write_json(path, cert)
            out[f"{schema}:{name}"] = hashlib.sha256(open(path, "rb").read()).hexdigest()
    print(json.dumps(out, sort_keys=True))
    """
)

FAST_KINDS = [
    "reluscape/patterns/1",
    "reluscape/critical-widths/1",
    "reluscape/stationary/1",
    "reluscape/local-min/1",
    "reluscape/descent/1",
    "reluscape/region/1",
]


def digests(kinds, hash_seed):
    env = dict(os.environ, PYTHONHASHSEED=str(hash_seed))
    run = subprocess.run([sys.executable, "-c", DIGESTS, *kinds], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_certificates_are_byte_identical_across_runs_and_hash_seeds():
    first, second = digests(FAST_KINDS, 0), digests(FAST_KINDS, 12345)
    assert first == second and len(first) >= len(FAST_KINDS)


@pytest.mark.slow
def test_every_kind_is_byte_identical_across_hash_seeds():
    sys.path.insert(0, str(ROOT / "tests"))
    import test_checker_fuzz as fuzz

    kinds = sorted(fuzz.GENERATORS)
    assert digests(kinds, 1) == digests(kinds, 2)


def test_reports_and_certificates_of_the_cli_are_reproducible(tmp_path, capsys):
    data = tmp_path / "x.csv"
    data.write_text("x1,x2,y\n1,0,3\n1,-1,-2\n1,2,0\n")
    outputs = []
    for run in range(2):
        pats, cert = tmp_path / f"p{run}.json", tmp_path / f"o{run}.json"
        assert main(["regions", str(data), "--label-column", "-1", "--out", str(pats)]) == 0
        assert main(["solve", str(data), "--beta", "1", "--cert", str(cert)]) == 0
        text = capsys.readouterr().out.replace(str(tmp_path), "TMP").replace(f"{run}.json", ".json")
        outputs.append((text, pats.read_bytes(), cert.read_bytes()))
    assert outputs[0] == outputs[1]
    assert "p* = 23/4" in outputs[0][0]
    assert hashlib.sha256(outputs[0][2]).hexdigest() == hashlib.sha256(outputs[1][2]).hexdigest()


def test_verify_reports_without_timing_are_byte_identical(capsys):
    reports = []
    for form in (["--json"], [], ["--json"], []):
        assert main(["verify", *CHEAP_CLAIMS[:2], *form, "--no-timing"]) == 0
        reports.append(capsys.readouterr().out)
    assert reports[0] == reports[2] and reports[1] == reports[3]
    records = json.loads(reports[0])
    assert [r["claim"] for r in records] == CHEAP_CLAIMS[:2] and all("seconds" not in r for r in records)
    assert all(r["holds"] and r["certificate_verified"] and r["numeric"]["agrees"] for r in records)
    assert reports[1].splitlines()[0].split() == ["claim", "exact", "certificate", "numeric", "(float", "twin)"]
    assert reports[1].splitlines()[-1] == "2/2 claims hold"


CLI_RUNS = textwrap.dedent(
    """
    import sys
    from exact.cli import main

    folder = sys.argv[1]
    for name in ("rational", "algebraic"):
        assert main(["solve", f"{folder}/{name}.csv", "--beta", "1", "--cert", f"{folder}/{name}.json"]) == 0
    assert main(["verify", *sys.argv[2:], "--json", "--no-timing"]) == 0
    """
)


def test_cli_certificates_and_reports_are_byte_identical_across_hash_seeds(tmp_path):
    runs = []
    for seed in (0, 12345):
        folder = tmp_path / str(seed)
        folder.mkdir()
        (folder / "rational.csv").write_text("1,0,3\n1,-1,-2\n1,2,0\n")  # p* = 23/4
        (folder / "algebraic.csv").write_text("1,0,0,0,2\n0,1,0,0,1\n0,0,1,0,-3\n0,0,0,1,-1\n")  # sqrt 5 + sqrt 10 - 1
        env = dict(os.environ, PYTHONHASHSEED=str(seed))
        command = [sys.executable, "-c", CLI_RUNS, str(folder), *CHEAP_CLAIMS[:2]]
        run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stderr
        certs = [(folder / f"{name}.json").read_bytes() for name in ("rational", "algebraic")]
        runs.append((run.stdout.replace(str(folder), "TMP"), certs))
    assert runs[0] == runs[1]
    text, (rational, algebraic) = runs[0]
    assert "p* = 23/4" in text and "p* = -1 + sqrt(5) + sqrt(10)" in text
    assert json.loads(rational)["method"] == "rational" and json.loads(algebraic)["method"] == "krawczyk"
