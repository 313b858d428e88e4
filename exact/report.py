"""Reports for ``reluscape verify``: a table row per verdict, a summary, JSON records."""

__all__ = ["verdict_row", "verdict_json", "summary"]


def verdict_row(v):
    """One table row: claim, exact result, certificate, float cross-check, seconds."""
    exact = "holds" if v.holds else "FAILS"
    if v.certificate is None:
        cert = "-"
    else:
        cert = v.certificate_kind.split("/")[1] + (" ✓" if v.certificate_verified else " ✗")
    if v.numeric is None:
        num = "-"
    else:
        num = ("agrees" if v.numeric.agrees else "DISAGREES") + f" ({v.numeric.detail})"
    return f"{v.claim:42s} {exact:6s} {cert:16s} {v.seconds:7.2f}s  {num}"


def verdict_json(v):
    """A JSON-serialisable record of a verdict (the certificate itself included)."""
    return {
        "claim": v.claim,
        "statement": v.statement,
        "reference": v.reference,
        "holds": v.holds,
        "instance": v.instance,
        "detail": v.detail,
        "seconds": round(v.seconds, 4),
        "certificate_kind": v.certificate_kind,
        "certificate_verified": v.certificate_verified,
        "numeric": None
        if v.numeric is None
        else {"agrees": v.numeric.agrees, "detail": v.numeric.detail, "residual": v.numeric.residual},
        "certificate": v.certificate,
    }


def summary(verdicts):
    """The closing line: how many claims hold, fail, and disagree numerically."""
    held = sum(v.holds for v in verdicts)
    disagree = sum(1 for v in verdicts if v.numeric is not None and not v.numeric.agrees)
    line = f"{held}/{len(verdicts)} claims hold"
    if held < len(verdicts):
        line += f"; FAILING: {', '.join(v.claim for v in verdicts if not v.holds)}"
    if disagree:
        line += f"; {disagree} float cross-check(s) disagree"
    return line
