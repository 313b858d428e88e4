"""Building certificates: versioned JSON documents that :mod:`exact.checker` re-verifies.

Every certificate is a JSON object with a ``"schema": "reluscape/<kind>/<version>"`` key; every
number in it is a string (``"3"``, ``"-7/2"``) so that no reader can round it. Files are written
atomically (a temporary file renamed into place), so an interrupted run never leaves half a
certificate behind.
"""

import json
import os
import tempfile
from fractions import Fraction

__all__ = [
    "EXTERNAL_VERIFIERS",
    "number",
    "numbers",
    "optimum_certificate",
    "patterns_certificate",
    "verify_certificate",
    "widths_certificate",
    "write_json",
]


def number(a):
    """Return an exact number as the certificate string ``"p/q"`` (or ``"p"``).

    Examples
    --------
    >>> number(Fraction(-7, 2)), number(3)
    ('-7/2', '3')
    """
    a = Fraction(a)
    return str(a.numerator) if a.denominator == 1 else f"{a.numerator}/{a.denominator}"


def numbers(v):
    """Return a vector (or nested list) of exact numbers as certificate strings."""
    if isinstance(v, (list, tuple)) or hasattr(v, "tolist"):
        return [numbers(a) for a in (v.tolist() if hasattr(v, "tolist") else v)]
    return number(v)


def patterns_certificate(patterns, *, complete=True):
    """Return the ``reluscape/patterns/1`` certificate of a :class:`~exact.PatternSet`.

    With ``complete=True`` the certificate also claims that the list is complete, with the
    evidence the checker can recompute: Cover's count when the rows are in general position
    (checked by minors), otherwise Zaslavsky's count over the lattice of flats.
    """
    X = [numbers(row) for row in patterns.X]
    body = {
        "schema": "reluscape/patterns/1",
        "X": X,
        "patterns": [
            {"signs": "".join("+" if s > 0 else "-" if s < 0 else "0" for s in p.signs), "witness": numbers(p.witness)}
            for p in patterns
        ],
    }
    if complete:
        body["complete"] = {"method": "cover" if patterns.general_position else "zaslavsky"}
    return body


def write_json(path, obj):
    """Write ``obj`` as JSON to ``path`` atomically (write a temporary file, then rename)."""
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w") as fh:
            json.dump(obj, fh, indent=1, sort_keys=True)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())  # the bytes are on disk before the rename makes them visible
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def optimum_certificate(opt):
    """The ``reluscape/optimum/2`` certificate of an :class:`~exact.optimum.OptimalSet`.

    ``method`` is ``rational`` (exact C4.7 check), ``krawczyk`` (unique KKT solution in a box,
    every other block feasible over it; kinds ``enclosure`` and ``algebraic``) or ``bracket``
    (a dual feasible point and a primal point). See :mod:`exact.checker` for what is checked.
    """
    from .optimality import Block, BlockMatrices

    data, pats, proof = opt.data, opt.patterns, opt._proof
    X = data.X

    def ref(blk):
        return {"pattern": pats.index(blk.D), "sign": blk.sign}

    def sparse(lam):  # [row, value] pairs of the non-zero multipliers, rows increasing
        items = sorted(lam.items()) if isinstance(lam, dict) else enumerate(lam)
        return [[i, number(v)] for i, v in items if v]

    def multipliers(lambdas, nu):
        out = []
        for blk, (how, what) in lambdas.items():
            entry = ref(blk)
            if how == "face" and nu is not None:
                entry["lambda"] = sparse(BlockMatrices(X, Block(blk.D, blk.sign, what)).full_multipliers(nu))
            elif how == "face":
                entry["face"] = list(BlockMatrices(X, Block(blk.D, blk.sign, what)).basis)
            else:  # fixed multipliers: a dict row -> value (sparse) or a full list
                entry["lambda"] = sparse(what)
            out.append(entry)
        return out

    cert = {
        "schema": "reluscape/optimum/2",
        "X": [numbers(r) for r in X],
        "y": numbers(data.y),
        "beta": number(data.beta),
        "patterns": patterns_certificate(pats, complete=True),
    }
    if opt.kind == "rational":
        cert.update(
            method="rational",
            nu=numbers(opt.nu),
            value=number(opt.value),
            blocks=multipliers(proof["lambdas"], list(opt.nu)),
            atoms=[{**ref(a.blocks[0]), "kappa": number(a.kappa)} for a in opt.atoms],
        )
    elif opt.kind == "bracket":
        lo, hi = opt.value_interval
        cert.update(
            method="bracket",
            nu=numbers(proof["nu_feasible"]),
            lower=number(lo),
            upper=number(hi),
            blocks=multipliers(proof["lambdas"], proof["nu_feasible"]),
            primal=[{**ref(b), "u": numbers(u)} for b, u in proof["primal_blocks"]],
        )
    else:
        lo, hi = opt.value_interval
        linear = proof.get("linear")
        system_atoms = linear["atoms"] if linear else [a.blocks for a in opt.atoms]
        cert.update(
            method="krawczyk",
            atoms=[{"blocks": [{**ref(b), "face": list(BlockMatrices(X, b).basis)} for b in a]} for a in system_atoms],
            center=numbers(proof["center"]),
            radius=numbers(proof["radius"]),
            Y=[numbers(r) for r in proof["Y"]()],
            lower=number(lo),
            upper=number(hi),
            blocks=multipliers(proof["lambdas"], None),
        )
        if opt.kind == "algebraic":
            cert["value_expression"] = str(opt.value)
        if linear:
            cert["linear"] = {
                "complements": [{**ref(b), "face": list(BlockMatrices(X, b).basis), "atom": i} for b, i in linear["complements"]],
                "basis": list(linear["absorb"]["basis"]),
                "weights": [{"atom": b, "s": number(v)} for b, v in sorted(linear["absorb"]["s"].items())],
            }
    return cert


def widths_certificate(widths):
    """The ``reluscape/critical-widths/1`` certificate of :class:`~exact.solution_set.CriticalWidths`.

    It embeds the (rational) optimum certificate; the checker recomputes the tight atoms from
    it, enumerates the vertices of the optimal polytope itself, and compares ``m*``, ``M*``.
    """
    P = widths.polytope
    if P.optimum.kind != "rational":
        from .errors import UndecidedError

        raise UndecidedError("critical-width certificates need a rational optimum (the checker recomputes the tight set)")
    return {
        "schema": "reluscape/critical-widths/1",
        "optimum": optimum_certificate(P.optimum),
        "m_star": widths.m_star,
        "M_star": widths.M_star,
        "vertices": [
            {"atoms": [{"sign": P.atoms[i].sign, "direction": numbers(P.atoms[i].direction)} for i in S], "weights": numbers(w)}
            for S, w in P.vertices
        ],
    }


#: Certificate kinds re-verified outside the stdlib checker: module, function, what is trusted.
EXTERNAL_VERIFIERS = {
    "reluscape/symmetry-critical-point/1": ("exact.symmetry", "verify_certificate", "python-flint's arb ball arithmetic"),
}


def verify_certificate(cert):
    """Re-verify any reluscape certificate: the stdlib checker for its kinds, otherwise the
    registered external verifier (:data:`EXTERNAL_VERIFIERS`, which names what it trusts).

    Returns a :class:`exact.checker.CheckResult`.
    """
    import importlib

    from .checker import CheckResult, check_certificate
    from .errors import ReluscapeError

    schema = cert.get("schema") if isinstance(cert, dict) else None
    if not isinstance(schema, str) or schema not in EXTERNAL_VERIFIERS:
        return check_certificate(cert)
    module, name, trusts = EXTERNAL_VERIFIERS[schema]
    try:
        getattr(importlib.import_module(module), name)(cert)
    except ReluscapeError as err:  # CertificateError, or bad data named by the verifier
        return CheckResult(False, schema, [], str(err))
    return CheckResult(True, schema, [f"verified by {module}.{name} (trusts {trusts})"])
