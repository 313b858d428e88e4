"""No lost work and determinism.

* Results are written atomically (:func:`exact.certificates.write_json`: a temporary file in the
  same folder, then ``os.replace``): an interrupt (``KeyboardInterrupt``, or a real SIGINT to a
  child process) mid-write leaves the previous file intact and no temporary file behind. The
  command line turns an interrupt into one line and exit status 130. (Interrupting and resuming
  sweeps is tested in ``tests/test_numeric_sweep.py``.)
* The same inputs give byte-identical certificates and reports, also under another hash seed
  (set and dict orders must not leak into the output).
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
