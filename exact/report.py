"""Reports for ``reluscape verify``: a table row per verdict, a summary, JSON records."""

__all__ = ["header", "verdict_row", "numeric_cell", "verdict_json", "summary"]


def header():
    """The table header of :func:`verdict_row`: claim, exact result, certificate, seconds, float twin."""
    return f"{'claim':42s} {'exact':6s} {'certificate':16s} {'time':>8s}  numeric (float twin)"


def verdict_row(v):
    """One table row: claim, exact result, certificate, float cross-check, seconds."""
    exact = "holds" if v.holds else "FAILS"
    if v.certificate is None:
        cert = "-"
    else:
        cert = v.certificate_kind.split("/")[1] + (" ✓" if v.certificate_verified else " ✗")
    return f"{v.claim:42s} {exact:6s} {cert:16s} {v.seconds:7.2f}s  {numeric_cell(v.numeric)}"


def numeric_cell(check):
    """The numeric column: agreement, residual against tolerance (when stated), and detail.

    Examples
    --------
    >>> from exact.claims import CrossCheck
    >>> numeric_cell(CrossCheck(True, "Clarabel 1.5", residual=2e-11, tolerance=1e-8))
    'agrees, residual 2e-11 <= 1e-08 (Clarabel 1.5)'
    >>> numeric_cell(CrossCheck(None, "no float twin: a count of integers"))
    '- (no float twin: a count of integers)'
    >>> numeric_cell(None)
    '- (no float twin, or skipped)'
    """
    if check is None:
        return "- (no float twin, or skipped)"
    if check.agrees is None:
        return f"- ({check.detail})"
    state = "agrees" if check.agrees else "DISAGREES"
    if check.tolerance is not None:
        rel = "<=" if check.residual <= check.tolerance else ">"
        state += f", residual {check.residual:.2g} {rel} {check.tolerance:.2g}"
    return f"{state} ({check.detail})"


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
        else {
            "agrees": v.numeric.agrees,
            "detail": v.numeric.detail,
            "residual": v.numeric.residual,
            "tolerance": v.numeric.tolerance,
        },
        "certificate": v.certificate,
    }


def summary(verdicts):
    """The closing line: how many claims hold, fail, and disagree numerically."""
    held = sum(v.holds for v in verdicts)
    disagree = sum(1 for v in verdicts if v.numeric is not None and v.numeric.agrees is False)
    line = f"{held}/{len(verdicts)} claims hold"
    if held < len(verdicts):
        line += f"; FAILING: {', '.join(v.claim for v in verdicts if not v.holds)}"
    if disagree:
        line += f"; {disagree} float cross-check(s) disagree"
    return line
