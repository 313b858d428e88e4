"""The ``reluscape family`` command."""

import pytest

from exact.cli import main


def test_family_list(capsys):
    assert main(["family", "--list"]) == 0
    out = capsys.readouterr().out
    for name in ("A", "Fk", "F1", "A2", "F2"):
        assert f"\n{name} " in "\n" + out


def test_family_point_spectrum_and_certificate(capsys):
    assert main(["family", "A", "--k", "6", "--dps", "30", "--order", "4"]) == 0
    out = capsys.readouterr().out
    assert "loss L = 0.025080581002" in out
    assert "multiplicities summing to 36" in out
    assert "least eigenvalue 0.0047003547" in out and "(std_0)" in out
    assert "Krawczyk test verified" in out
    assert "local minimum (arb, over the box): yes" in out


def test_family_at_rational_k_skips_certification(capsys):
    assert main(["family", "Fk", "--k", "11/2", "--dps", "20"]) == 0
    out = capsys.readouterr().out
    assert "k = 11/2" in out and "certification: skipped" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["family", "B", "--k", "5"], "no family named 'B'"),
        (["family", "A"], "give a family name and --k"),
        (["family", "A2", "--k", "2"], "needs k >= 3"),
        (["family", "A", "--k", "1/2"], "needs k >= 2"),
    ],
)
def test_family_errors(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err
