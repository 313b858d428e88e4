"""Reports for ``reluscape verify``: a table row per verdict, a summary, JSON records.

With ``timing=False`` the seconds are left out, so that the same claims give byte-identical
reports on every run (wall-clock time is the only part of a verdict that varies).
"""

from .claims import CrossCheck, Verdict
from .errors import ReluscapeError

__all__ = ["header", "verdict_row", "numeric_cell", "verdict_json", "verdict_from_json", "summary"]


def header(*, timing=True):
    """The table header of :func:`verdict_row`: claim, exact result, certificate, seconds, float twin."""
    time = f" {'time':>8s}" if timing else ""
    return f"{'claim':42s} {'exact':6s} {'certificate':16s}{time}  numeric (float twin)"


def verdict_row(v, *, timing=True):
    """One table row: claim, exact result, certificate, seconds (if ``timing``), float cross-check."""
    exact = "holds" if v.holds else "FAILS"
    if v.certificate is None:
        cert = "-"
    else:
        cert = v.certificate_kind.split("/")[1] + (" ✓" if v.certificate_verified else " ✗")
    time = f" {v.seconds:7.2f}s" if timing else ""
    return f"{v.claim:42s} {exact:6s} {cert:16s}{time}  {numeric_cell(v.numeric)}"


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


def verdict_json(v, *, timing=True):
    """A JSON-serialisable record of a verdict (the certificate itself included); the seconds
    only if ``timing``. :func:`verdict_from_json` reads it back."""
    record = {
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
    if not timing:
        del record["seconds"]
    return record


def verdict_from_json(record):
    """The :class:`~exact.claims.Verdict` of a record written by :func:`verdict_json`.

    ``certificate_kind`` is derived from the certificate and not read; a record without
    ``seconds`` (written with ``timing=False``) gets the default 0.

    Raises
    ------
    ReluscapeError
        If ``record`` is not a verdict record (not an object, a field missing or malformed).

    Examples
    --------
    >>> from exact.claims import run_claim
    >>> record = verdict_json(run_claim("patterns.zaslavsky_braid", crosscheck=False))
    >>> verdict_json(verdict_from_json(record)) == record
    True
    >>> verdict_from_json({"claim": "patterns.cover_count"})
    Traceback (most recent call last):
    ...
    exact.errors.ReluscapeError: not a verdict record: 'statement' is missing
    """
    names = ("claim", "statement", "reference", "holds", "instance", "detail", "certificate", "certificate_verified")
    try:
        fields = {name: record[name] for name in names}
        if "seconds" in record:
            fields["seconds"] = record["seconds"]
        numeric = record["numeric"]
        fields["numeric"] = None if numeric is None else CrossCheck(**numeric)
    except KeyError as err:
        raise ReluscapeError(f"not a verdict record: {err} is missing") from err
    except TypeError as err:
        raise ReluscapeError(f"not a verdict record: {err}") from err
    return Verdict(**fields)


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
