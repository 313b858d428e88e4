"""The command line: exit statuses, one-line errors, round trips through the checker."""

import json
import shutil
import subprocess
import sys

import pytest

from exact.cli import main


def run(args, capsys):
    status = main(args)
    out = capsys.readouterr()
    return status, out.out, out.err


def test_verify_runs_every_claim(capsys):
    status, out, _ = run(["verify", "patterns.cover_count", "patterns.methods_agree"], capsys)
    assert status == 0
    assert "2/2 claims hold" in out and "patterns ✓" in out


def test_verify_json_and_list(capsys):
    status, out, _ = run(["verify", "--json", "--no-numeric", "patterns.zaslavsky_braid"], capsys)
    assert status == 0
    (record,) = json.loads(out)
    assert record["holds"] and record["certificate_kind"] == "reluscape/patterns/1"
    assert record["certificate_verified"] is True and record["numeric"] is None
    status, out, _ = run(["verify", "--list"], capsys)
    assert status == 0 and "patterns.cover_count" in out


def test_verify_unknown_claim_is_one_line(capsys):
    status, _, err = run(["verify", "no.such.claim"], capsys)
    assert status == 2 and err.startswith("error: no claim named 'no.such.claim'") and err.count("\n") == 1


def test_regions_round_trip(tmp_path, capsys):
    data = tmp_path / "x.csv"
    data.write_text("x1,x2,y\n1,0,1\n0,1,-1\n1,1,1/2\n1,-1,0\n")
    cert = tmp_path / "pats.json"
    status, out, _ = run(["regions", str(data), "--label-column", "-1", "--out", str(cert)], capsys)
    assert status == 0 and "8 activation patterns" in out
    status, out, _ = run(["check", str(cert)], capsys)
    assert status == 0 and "verified (reluscape/patterns/1)" in out
    status, out, _ = run(["regions", str(data), "--count-only"], capsys)
    assert "n = 4, d = 3" in out  # without --label-column all three columns are features
    doc = json.loads(cert.read_text())
    doc["patterns"][3]["witness"] = [str(-int(a)) for a in doc["patterns"][3]["witness"]]
    cert.write_text(json.dumps(doc))
    status, out, _ = run(["check", str(cert)], capsys)
    assert status == 1 and "REJECTED" in out and "patterns[3]" in out


@pytest.mark.parametrize(
    "content, match",
    [
        ("1,2\n3\n", "line 2: 1 cells, expected 2"),
        ("1,nan\n", "not finite"),
        ("1,abc\n", "not a number"),
        ("", "no data lines"),
    ],
)
def test_regions_bad_files_are_one_line(tmp_path, capsys, content, match):
    data = tmp_path / "bad.csv"
    data.write_text(content)
    status, _, err = run(["regions", str(data)], capsys)
    assert status == 2 and match in err and err.count("\n") == 1


def test_missing_file_and_debug(tmp_path, capsys):
    status, _, err = run(["regions", str(tmp_path / "none.csv")], capsys)
    assert status == 2 and "does not exist" in err
    with pytest.raises(Exception, match="does not exist"):
        main(["--debug", "regions", str(tmp_path / "none.csv")])


def test_check_unreadable_certificates(tmp_path, capsys):
    junk = tmp_path / "junk.json"
    junk.write_bytes(b"\xff\xfe not json")
    status, out, _ = run(["check", str(junk)], capsys)
    assert status == 2 and "not UTF-8" in out
    junk.write_text('{"schema": "reluscape/unknown/9"}')
    status, out, _ = run(["check", str(junk)], capsys)
    assert status == 1 and "unknown schema" in out


def test_checker_runs_standalone(tmp_path, capsys):
    """The checker file, copied alone next to a certificate, verifies it with plain Python."""
    from exact import enumerate_patterns
    from exact.certificates import write_json

    cert = tmp_path / "c.json"
    write_json(cert, enumerate_patterns([[1, 2], [3, -1], [0, 1]]).certificate())
    import exact.checker as checker

    copy = tmp_path / "checker.py"
    shutil.copy(checker.__file__, copy)
    proc = subprocess.run([sys.executable, "-I", str(copy), str(cert)], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "verified" in proc.stdout


def test_console_script_exists():
    assert shutil.which("reluscape") is not None
