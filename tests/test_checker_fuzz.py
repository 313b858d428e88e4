"""Fuzzing the trusted checker: genuine certificates of every kind, and mutants of them.

Every certificate kind the suite emits has generators in :data:`GENERATORS` that build genuine
certificates from small instances (``test_every_emitted_schema_has_a_generator`` fails when a
new kind appears in ``exact/checker.py``, ``EXTERNAL_VERIFIERS`` or any ``"reluscape/<kind>/<n>"``
literal in the sources without one). The originals must verify, through
:func:`exact.certificates.verify_certificate` and through ``reluscape check``.

Hypothesis then mutates them: a number nudged by a tiny rational, a sign flipped, an integer
moved by one, an entry dropped or duplicated, a field removed or given the wrong type, a huge
numerator. Every mutant is expected to be rejected with a one-line message and exit status 1
or 2 from ``reluscape check`` (never a traceback), except the mutants listed in
:data:`EXCLUDED`, each with the mathematical reason why it may still be a valid certificate
(an optional part removed, a field the checker does not read, a witness moved inside its open
region, a multiplier with slack). Excluded mutants are still checked for a clean verdict, and
mutants that only remove an optional part or touch an unread field must still verify.
Byte-level mutants (non-UTF-8, truncated, deeply nested, duplicate keys) and claimed values
slightly too low or too high have their own tests. The number of mutants per kind is printed at
the end of the run (``MUTANT_COUNTS``, see ``tests/conftest.py``).
"""

import contextlib
import copy
import io
import json
import os
import re
import tempfile
from collections import Counter, defaultdict
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import exact
import exact.checker as checker
from exact import Dataset
from exact.certificates import EXTERNAL_VERIFIERS, verify_certificate
from exact.cli import main

ROOT = Path(__file__).resolve().parents[1]

#: Outcomes per schema: ``rejected`` (expected and seen), ``excluded`` (a listed exclusion).
MUTANT_COUNTS = defaultdict(Counter)


# ---------------------------------------------------------------------------------------------
# genuine certificates


def _rational_optimum_data():
    return Dataset([[1, 0], [1, -1], [1, 2]], [3, -2, 0], 1)  # p* = 23/4


def _orthogonal_optimum_data():
    return Dataset([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], [2, 1, -3, -1], 1)


def _patterns():
    from exact import enumerate_patterns

    return [
        ("cover", enumerate_patterns([[1, 0], [0, 1], [1, 1], [1, -1]]).certificate()),
        ("zaslavsky", enumerate_patterns([[1, 0], [0, 1], [2, 0], [1, 1], [0, 0]]).certificate()),
        ("incomplete", enumerate_patterns([[1, 2, 0], [0, 1, -1], [3, 0, 1]]).certificate(complete=False)),
    ]


@lru_cache(maxsize=None)
def _optimum():
    import exact.optimum as optimum
    from exact import optimal_set

    def refuse(*args, **kwargs):
        raise optimum.UndecidedError("forced: the bracket route")

    with mock.patch.object(optimum, "_search", refuse):
        bracket = optimal_set(_rational_optimum_data()).certificate()
    return [
        ("rational", optimal_set(_rational_optimum_data()).certificate()),
        ("krawczyk", optimal_set(_orthogonal_optimum_data()).certificate()),
        ("krawczyk-linear", optimal_set(Dataset([[2, 2], [4, -3], [3, -1], [-4, -3], [-2, 0], [4, 1]], [2, 0, 2, 2, -1, -3], "1/2")).certificate()),
        ("bracket", bracket),
    ]


def dense(cert):
    """An optimum/2 certificate in the older optimum/1 form: each lambda a list of n numbers."""
    n = len(cert["X"])
    blocks = []
    for b in cert["blocks"]:
        if "lambda" in b:
            lam = ["0"] * n
            for row, v in b["lambda"]:
                lam[row] = v
            b = {**b, "lambda": lam}
        blocks.append(b)
    return {**cert, "schema": "reluscape/optimum/1", "blocks": blocks}


def _optimum_dense():
    """The optimum/2 certificates in the optimum/1 form, which the checker still reads."""
    return [(name, dense(cert)) for name, cert in _optimum()]


def _widths():
    from exact import critical_widths

    return [("staircase", critical_widths(Dataset([[2, 0, 0, 0], [-1, 1, 1, 1]], [1, 1], 1)).certificate())]


def _stationary():
    from exact.stationary import Network, clarke_stationarity

    kink = Dataset([[0, 1], [1, 1], [1, -1]], [2, 1, 2], 1)
    return [("kink", clarke_stationarity(kink, Network.from_weights([[1, 0]], [1])).certificate())]


def _local_min():
    from exact.stationary import Network, classify, global_minimum

    data = Dataset([[1, 0], [0, 1]], [3, -3], 1)
    return [
        ("local", classify(data, [[1, 0], [1, 0]], [1, 1]).certificates["local"]),
        ("global", global_minimum(data, Network.from_blocks([(1, (2, 0)), (-1, (0, 2))])).certificate()),
    ]


def _descent():
    from exact.stationary import Network, clarke_stationarity

    data = Dataset([[1, 0], [0, 1]], [3, -3], 1)
    return [("zero-neuron", clarke_stationarity(data, Network.from_weights([[1, 0], [0, 0]], [1, 0])).certificate())]


def _region():
    from exact.region_census import classify

    data = Dataset([[1, 0], [0, 1]], [1, -1], Fraction(1, 2))
    return [
        ("gap", classify(data, [((1, 1), 1), ((1, -1), 1)]).certificate),
        ("global", classify(data, [((1, -1), 1), ((-1, 1), -1)]).certificate),
    ]


def _region_min():
    from counterexamples.small_init import small_initialization

    (part,) = [p for p in small_initialization().certificate()["parts"] if p["schema"] == "reluscape/region-min/1"]
    return [("small-init", part)]


def _nonunique():
    from counterexamples.nonuniqueness import plain_continuum

    return [("plain-continuum", plain_continuum().certificate())]


def _bundle():
    parts = [dict(c, label=name) for name, c in _patterns()[:1] + _optimum()[:1]]
    return [("patterns+optimum", {"schema": "reluscape/bundle/1", "title": "two parts", "parts": parts})]


def _vector_optimum():
    from exact.extensions.vector import VectorData, optimal_set

    rational = optimal_set(VectorData([[1, 0], [0, 1]], [[2, 0], [0, 0]], 1), method="general")
    bracket = optimal_set(VectorData([[1, 0], [1, 1], [0, 1]], [[2, 1], [0, 1], [1, -1]], 1))
    return [(rational.kind, rational.certificate()), (bracket.kind, bracket.certificate())]


def _kink_stationary():
    from counterexamples.conjectures import R64A, clarke_restricted

    return [("R6.4a", clarke_restricted(R64A).certificate)]


def _parallel3_optimum():
    from exact.extensions.parallel3 import example_certificates

    return example_certificates()


def _symmetry():
    from exact.symmetry import certify_critical_point

    return [("Fk-5", certify_critical_point("Fk", 5, dps=30).to_json())]


#: schema -> function returning [(name, certificate), ...] of genuine certificates.
GENERATORS = {
    "reluscape/patterns/1": _patterns,
    "reluscape/optimum/2": _optimum,
    "reluscape/optimum/1": _optimum_dense,
    "reluscape/critical-widths/1": _widths,
    "reluscape/stationary/1": _stationary,
    "reluscape/local-min/1": _local_min,
    "reluscape/descent/1": _descent,
    "reluscape/region-min/1": _region_min,
    "reluscape/nonunique/1": _nonunique,
    "reluscape/bundle/1": _bundle,
    "reluscape/region/1": _region,
    "reluscape/vector-optimum/1": _vector_optimum,
    "reluscape/kink-stationary/1": _kink_stationary,
    "reluscape/parallel3-optimum/1": _parallel3_optimum,
    "reluscape/symmetry-critical-point/1": _symmetry,
}


@lru_cache(maxsize=None)
def corpus():
    """All genuine certificates, as ``{f"{schema}:{name}": certificate}`` (JSON round-tripped),
    of the kinds a verifier knows (a generator may land before its checker kind)."""
    out = {}
    known = set(checker._CHECKERS) | set(EXTERNAL_VERIFIERS)
    for schema, make in GENERATORS.items():
        if schema not in known:
            continue
        for name, cert in make():
            assert cert["schema"] == schema
            out[f"{schema}:{name}"] = json.loads(json.dumps(cert))
    return out


def emitted_schemas():
    """Schemas the checker knows, the external verifiers know, or the sources spell out."""
    found = set(checker._CHECKERS) | set(EXTERNAL_VERIFIERS)
    pattern = re.compile(r"[\"'](reluscape/[a-z0-9-]+/\d+)[\"']")
    for folder in ("exact", "counterexamples"):
        for path in (ROOT / folder).rglob("*.py"):
            found.update(pattern.findall(path.read_text()))
    return found


@pytest.mark.parametrize("name", ["rational", "krawczyk", "krawczyk-linear", "bracket"])
def test_sparse_multipliers_are_the_dense_ones(name):
    """optimum/2 lists [row, value] pairs of the non-zero multipliers; the same multipliers
    written densely (optimum/1) verify too, and malformed pairs are refused by name."""
    cert = corpus()[S + "optimum/2:" + name]
    assert checker.check_certificate(cert).ok and checker.check_certificate(dense(cert)).ok
    listed = [b for b in cert["blocks"] if b.get("lambda")]
    assert listed and all(Fraction(v) != 0 for b in listed for _, v in b["lambda"])
    n = len(cert["X"])
    for bad, match in ([[n, "1"]], "rows must increase"), ([[0, "1"], [0, "1"]], "rows must increase"), ([[0]], "pair"):
        tampered = copy.deepcopy(cert)
        next(b for b in tampered["blocks"] if b.get("lambda"))["lambda"] = bad
        res = checker.check_certificate(tampered)
        assert not res.ok and match in res.failure


def test_every_emitted_schema_has_a_generator():
    made = {cert["schema"] for cert in corpus().values()}
    missing = emitted_schemas() - made
    assert not missing, f"no genuine certificate of {sorted(missing)}: add a generator to GENERATORS"


def test_originals_verify():
    for key, cert in corpus().items():
        res = verify_certificate(cert)
        assert res.ok, (key, res.failure)


def test_originals_pass_reluscape_check(tmp_path, capsys):
    paths = []
    for i, cert in enumerate(corpus().values()):
        paths.append(str(tmp_path / f"c{i}.json"))
        Path(paths[-1]).write_text(json.dumps(cert))
    assert main(["check", *paths]) == 0
    out = capsys.readouterr().out
    assert out.count(": verified (") == len(paths) and "Traceback" not in out


# ---------------------------------------------------------------------------------------------
# mutations of the parsed certificate

NUMBER = re.compile(r"-?\d+(/\d+)?")


def nodes(obj, path=()):
    """Every (path, value) in a JSON document, the root excluded."""
    if isinstance(obj, dict):
        items = obj.items()
    elif isinstance(obj, list):
        items = enumerate(obj)
    else:
        return
    for key, value in items:
        yield path + (key,), value
        yield from nodes(value, path + (key,))


def show(path):
    return ".".join(str(p) for p in path)


def get(obj, path):
    for key in path:
        obj = obj[key]
    return obj


def is_number(v):
    return isinstance(v, str) and NUMBER.fullmatch(v) is not None


def _nudge(v, draw):
    step = Fraction(draw(st.sampled_from([1, -1])), draw(st.integers(10**6, 10**30)))
    return checker_number(Fraction(v) + step)


def checker_number(q):
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


def _other_type(v, draw):
    choices = [None, True, 1.5, 7, "x", [], {"a": 1}]
    same = {str: (str,), bool: (bool,), int: (int,), float: (float,), list: (list,), dict: (dict,)}
    kinds = same.get(type(v), ())
    return draw(st.sampled_from([c for c in choices if type(c) not in kinds and not (isinstance(v, int) and c is True)]))


def _flip_signs(s, draw):
    i = draw(st.sampled_from([k for k, c in enumerate(s) if c in "+-"]))
    return s[:i] + ("-" if s[i] == "+" else "+") + s[i + 1 :]


#: name -> (applies to (path, value), mutate(value, draw) -> new value, or None to delete/dup)
OPERATIONS = {
    "nudge": (lambda p, v: is_number(v), _nudge),
    "negate": (lambda p, v: is_number(v) and Fraction(v) != 0, lambda v, draw: checker_number(-Fraction(v))),
    "huge": (lambda p, v: is_number(v), lambda v, draw: checker_number(Fraction(v) + 10 ** draw(st.integers(60, 3000)))),
    "too-long": (lambda p, v: is_number(v), lambda v, draw: "7" * (checker.MAX_DIGITS + 1)),
    "not-a-number": (lambda p, v: is_number(v), lambda v, draw: draw(st.sampled_from(["1e3", "0x10", "1.5", "½", "1/0", " 1", "--1", ""]))),
    "int-step": (lambda p, v: type(v) is int, lambda v, draw: v + draw(st.sampled_from([1, -1, 2, -2]))),
    "bool-flip": (lambda p, v: type(v) is bool, lambda v, draw: not v),
    "flip-sign-char": (lambda p, v: isinstance(v, str) and not is_number(v) and set(v) <= set("+-0") and set(v) & set("+-"), _flip_signs),
    "text-change": (lambda p, v: isinstance(v, str) and not is_number(v) and not set(v) <= set("+-0"), lambda v, draw: v + "x"),
    "wrong-type": (lambda p, v: True, _other_type),
    "drop-key": (lambda p, v: isinstance(p[-1], str), None),
    "drop-entry": (lambda p, v: isinstance(p[-1], int), None),
    "dup-entry": (lambda p, v: isinstance(p[-1], int), None),
}


def mutate(cert, op, path, draw):
    """The certificate with ``op`` applied at ``path`` (a deep copy)."""
    out = copy.deepcopy(cert)
    parent, key = get(out, path[:-1]), path[-1]
    if op == "drop-key" or op == "drop-entry":
        del parent[key]
    elif op == "dup-entry":
        parent.insert(key, copy.deepcopy(parent[key]))
    else:
        parent[key] = OPERATIONS[op][1](parent[key], draw)
    return out


# ---------------------------------------------------------------------------------------------
# what a mutant may legitimately be
#
# (schema regex, operation regex, path regex, expectation, why); the schema regex is matched at
# the start of "schema#method" (e.g. "reluscape/optimum/2#bracket"). "accept": the mutant proves the
# same or a weaker claim and must still verify. "any": it may or may not be a valid proof of its
# (changed) statement; its verdict must still be clean. Everything not listed must be rejected.

ANY = "any"
ACCEPT = "accept"
VALUE_OPS = "nudge|negate|huge"  # a number changed, still well formed
ALL = ".*"
S = "reluscape/"

EXCLUDED = [
    # fields the checker does not read
    (ALL, ALL, r"(title|label|reason|claim|value_expression)", ACCEPT, "a description, not part of the proof"),
    (S + "symmetry.*", ALL, r"coordinates(\.\d+)?", ACCEPT, "coordinate names, for readers"),
    (S + "critical-widths/1", ALL, r"vertices\.\d+\.weights(\.\d+)?", ACCEPT, "the checker recomputes the vertices"),
    # optional parts: removing one leaves a weaker claim; null means absent
    (S + "patterns/1", "drop-key", "complete", ACCEPT, "completeness is an optional claim"),
    (ALL, "drop-key", "(competitor|escape|clarke|spurious)", ACCEPT, "an optional further claim"),
    (ALL, "wrong-type", "(complete|competitor|escape|clarke|spurious)", ANY, "null is the same as absent"),
    (S + "nonunique/1", "drop-key", "skip", ACCEPT, "skip defaults to false"),
    (S + "bundle/1", "drop-entry|dup-entry", r"parts\.\d+", ACCEPT, "fewer or repeated parts prove less"),
    (S + "patterns/1", "drop-entry", r"patterns\.\d+", ANY, "an incomplete list may lose a region"),
    # open conditions: strict inequalities survive small changes
    (ALL, VALUE_OPS, r".*witness\.\d+", ANY, "a witness moved inside its open region"),
    (ALL, VALUE_OPS, r".*lambda(\.\d+)+", ANY, "a multiplier with slack in ||g + A^T lambda|| <= beta"),
    (S + "(patterns|stationary|kink-stationary|local-min|descent)/1", VALUE_OPS, r"X\.\d+\.\d+", ANY,
     "strict signs survive, and a kink row moved to its inactive side changes no equation"),
    (S + "descent/1", VALUE_OPS + "|int-step", ALL, ANY,
     "a negative leading coefficient of F(theta + eps d) - F(theta) survives small changes"),
    (ALL, VALUE_OPS, r"competitor\..*", ANY, "a strictly smaller value survives small changes"),
    (S + "descent/1", "wrong-type", r"clarke\.\d+", ANY, "the regions of a zero or unmoved neuron are not read"),
    (S + "region-min/1", VALUE_OPS, r"(center|nu|mu|escape|value)(\..*)?", ANY,
     "the enclosure and the escape are strict inequalities with slack"),
    (S + "kink-stationary/1", VALUE_OPS, r"violations\..*", ANY, "a strict violation in its cone survives such changes"),
    (S + "symmetry.*", "not-a-number", r"(center|radius|loss_interval|preconditioner)(\.\d+)*", ANY,
     "the arb verifier reads exact decimals such as 1e3 (through exact.data.as_rational)"),
    (S + "region/1", VALUE_OPS, r"gap\..*", ANY, "d(nu) > G is strict; the primal point has slack"),
    (S + "region/1", "flip-sign-char", r"region\.\d+\.signs", ANY, "a row orthogonal to the neuron lies in both closed cones"),
    (S + "nonunique/1", VALUE_OPS, r"point\.\d+", ANY, "two functions that differ at a point differ near it"),
    (S + "((vector-|parallel3-)optimum/1|optimum/[12])", VALUE_OPS, r"(lower|upper)", ANY, "a wider bracket is still valid (too narrow: see the value tests)"),
    (S + "((vector-|parallel3-)optimum/1|optimum/[12])", VALUE_OPS + "|int-step|drop-entry|dup-entry", r"primal(\..*)?", ANY, "any primal point bounds p* from above"),
    (S + "((vector-|parallel3-)optimum/1|optimum/[12])#bracket", VALUE_OPS, r"nu\.\d+", ANY, "any dual feasible point bounds p* from below"),
    (S + "((vector-|parallel3-)optimum/1|optimum/[12])#bracket", VALUE_OPS, r"beta|y(\.\d+)*", ANY,
     "a bracket with slack survives a tiny change of beta or y"),
    (S + "optimum/[12]#krawczyk", VALUE_OPS, r"(Y|center|radius|y)(\.\d+)*", ANY,
     "Krawczyk: any preconditioner; the unique solution moves by less than the radius"),
    (S + "(vector-optimum/1|optimum/[12])", "drop-entry", r"blocks\.\d+", ANY, "a block whose multipliers are not needed"),
    (S + "optimum/2", "drop-entry", r"blocks\.\d+\.lambda\.\d+", ANY, "a dropped [row, value] pair is a zero multiplier"),
    (S + "optimum/2", "int-step", r"blocks\.\d+\.lambda\.\d+\.0", ANY, "a multiplier moved to another row may still bound its block"),
    (S + "optimum/[12]#krawczyk", VALUE_OPS, r"linear\.weights\.\d+\.s", ANY, "absorption weights off the basis have slack in [0, kappa]"),
    (S + "optimum/[12]#krawczyk", "dup-entry", r"linear\.complements\.\d+", ACCEPT, "a complement block listed twice"),
    (S + "(vector-optimum/1|optimum/[12])", "int-step", r"atoms\.\d+\.pattern", ANY, "a tight atom on the common face of two cones"),
    (S + "vector-optimum/1", VALUE_OPS + "|int-step|drop-entry", r"blocks\.\d+\.N(\.\d+)*", ANY,
     "S-lemma multipliers with slack (a dropped entry is a zero multiplier)"),
    (S + "vector-optimum/1#bracket", VALUE_OPS, r"(Lambda|network)(\..*)?", ANY, "any dual feasible Lambda, any network"),
    (S + "(vector-optimum/1|optimum/[12])", "dup-entry|drop-entry", r"atoms\.\d+\.blocks\.\d+(\.face\.\d+)?", ANY,
     "a repeated face block, or a face row that does not change V = MQ"),
    (S + "symmetry.*", VALUE_OPS + "|wrong-type|dup-entry", r"(preconditioner|center|radius|loss_interval)(\.\d+)*", ANY,
     "any preconditioner; a wider loss interval (too narrow: see the value tests)"),
]

#: Certificates inside certificates: (schema, first key) -> the embedded part's schema.
EMBEDDED = {
    (S + "critical-widths/1", "optimum"): S + "optimum/2",
    (S + "region/1", "optimum"): S + "local-min/1",
    (S + "region/1", "spurious"): S + "local-min/1",
}


def expectation(cert, op, path):
    """What the checker must do with ``cert`` mutated by ``op`` at ``path``."""
    schema = cert.get("schema")
    if schema == S + "bundle/1" and len(path) > 2 and path[0] == "parts":
        return expectation(cert["parts"][path[1]], op, path[2:])
    inner = EMBEDDED.get((schema, path[0]))
    if inner and len(path) > 1:
        return expectation(dict(cert[path[0]], schema=inner), op, path[1:])
    text, kind = show(path), f"{schema}#{cert.get('method', '')}"
    for s, o, p, expect, _ in EXCLUDED:
        if re.match(s, kind) and re.fullmatch(o, op) and re.fullmatch(p, text):
            return expect
    return "reject"


# ---------------------------------------------------------------------------------------------
# the checker on mutants, through the function and through `reluscape check`

_TMP = tempfile.mkdtemp(prefix="reluscape-fuzz-")


def cli_check(data):
    """``reluscape check`` on the bytes ``data``: (exit status, stdout + stderr)."""
    path = os.path.join(_TMP, "mutant.json")
    with open(path, "wb") as fh:
        fh.write(data)
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        status = main(["check", path])
    return status, out.getvalue()


def assert_clean_rejection(status, text):
    assert status in (1, 2), text
    assert "REJECTED: " in text and "Traceback" not in text, text
    assert text.count("\n") == 1, text  # one line
    assert "internal error" not in text, text  # a malformed input that no check names


@pytest.mark.parametrize("key", sorted(GENERATORS and corpus()))
@settings(max_examples=max(10, settings.default.max_examples // 3), suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_mutants_are_rejected(key, data):
    cert = corpus()[key]
    op = data.draw(st.sampled_from(sorted(OPERATIONS)), label="operation")
    applies = OPERATIONS[op][0]
    paths = [p for p, v in nodes(cert) if applies(p, v)]
    if not paths:
        return
    path = data.draw(st.sampled_from(paths), label="path")
    mutant = mutate(cert, op, path, data.draw)
    expect = expectation(cert, op, path)
    status, text = cli_check(json.dumps(mutant).encode())
    MUTANT_COUNTS[cert["schema"]]["excluded" if expect != "reject" else "rejected"] += 1
    if expect == "reject":
        assert_clean_rejection(status, text)
    elif expect == "accept":
        assert status == 0 and "verified" in text, text
    else:
        assert status in (0, 1) and "Traceback" not in text and "internal error" not in text, text


# ---------------------------------------------------------------------------------------------
# claimed values slightly too low or too high

TINY = Fraction(1, 10**30)


def _shift(cert, path, q):
    out = copy.deepcopy(cert)
    parent = get(out, path[:-1])
    parent[path[-1]] = checker_number(q)
    return out


def value_mutants(cert):
    """Certificates whose claimed value or interval misses the true value by a tiny amount."""
    schema, out = cert["schema"], []
    if schema == S + "region-min/1":
        lo, hi = Fraction(cert["value"]["lower"]), Fraction(cert["value"]["upper"])
        return [_shift(cert, ("value", "upper"), lo - TINY), _shift(cert, ("value", "lower"), hi + TINY)]
    if schema == S + "symmetry-critical-point/1":
        lo, hi = (Fraction(a) for a in cert["loss_interval"])
        return [_shift(cert, ("loss_interval", 1), lo - TINY), _shift(cert, ("loss_interval", 0), hi + TINY)]
    if schema == S + "critical-widths/1":
        return [dict(cert, m_star=cert["m_star"] - 1), dict(cert, M_star=cert["M_star"] + 1)]
    if "value" in cert:  # an exact optimal value
        v = Fraction(cert["value"])
        return [_shift(cert, ("value",), v - TINY), _shift(cert, ("value",), v + TINY)]
    if "lower" in cert:  # an interval around p*: upper below lower, lower above upper
        lo, hi = Fraction(cert["lower"]), Fraction(cert["upper"])
        return [_shift(cert, ("upper",), lo - TINY), _shift(cert, ("lower",), hi + TINY)]
    return out


def test_values_claimed_slightly_wrong_are_rejected():
    seen = Counter()
    for key, cert in corpus().items():
        for mutant in value_mutants(cert):
            assert_clean_rejection(*cli_check(json.dumps(mutant).encode()))
            MUTANT_COUNTS[cert["schema"]]["rejected"] += 1
            seen[cert["schema"]] += 1
    assert set(seen) >= {S + k for k in ("optimum/2", "vector-optimum/1", "region-min/1", "critical-widths/1")}


def test_optimum_too_low_by_a_hair_is_rejected():
    """The exact optima: rational p* = 23/4 (bracket certificate), p* = sqrt 5 + sqrt 10 - 1 (Krawczyk)."""
    import sympy

    bracket = corpus()[S + "optimum/2:bracket"]
    for mutant in (_shift(bracket, ("upper",), Fraction(23, 4) - TINY), _shift(bracket, ("lower",), Fraction(23, 4) + TINY)):
        assert_clean_rejection(*cli_check(json.dumps(mutant).encode()))
    kraw = corpus()[S + "optimum/2:krawczyk"]
    p = sympy.sqrt(5) + sympy.sqrt(10) - 1
    below = Fraction(int(sympy.floor(p * 10**40)), 10**40)
    assert sympy.Rational(below.numerator, below.denominator) < p < sympy.Rational(below.numerator + 1, below.denominator)
    for mutant in (_shift(kraw, ("upper",), below), _shift(kraw, ("lower",), below + Fraction(1, 10**40))):
        assert_clean_rejection(*cli_check(json.dumps(mutant).encode()))


# ---------------------------------------------------------------------------------------------
# bytes that are not a certificate


def _text(cert):
    return json.dumps(cert).encode()


def _nested(depth):
    return b'{"schema": "reluscape/patterns/1", "X": ' + b"[" * depth + b"]" * depth + b"}"


BYTE_MUTANTS = [
    ("non-UTF-8 byte", lambda b: b[: len(b) // 2] + b"\xff\xfe" + b[len(b) // 2 :], 2, "not UTF-8"),
    ("truncated", lambda b: b[: len(b) // 2], 2, "not valid JSON"),
    ("empty file", lambda b: b"", 2, "not valid JSON"),
    ("a JSON list", lambda b: b"[" + b + b"]", 2, "JSON object"),
    ("a JSON string", lambda b: b'"reluscape/patterns/1"', 2, "JSON object"),
    ("NaN literal", lambda b: b.replace(b'"schema"', b'"x": NaN, "schema"', 1), 2, "NaN is not a number"),
    ("duplicate key", lambda b: b.replace(b'"schema"', b'"schema": "reluscape/patterns/1", "schema"', 1), 2, "appears twice"),
    ("nested 100 deep", lambda b: _nested(100), 1, "nested deeper than"),
    ("nested 100000 deep", lambda b: _nested(100_000), 2, "not valid JSON"),
    ("not a number", lambda b: b.replace(b'"X": [["', b'"X": [["1e3', 1), 1, "is not an integer or 'p/q'"),
    ("BOM", lambda b: b"\xef\xbb\xbf" + b, 2, "not valid JSON"),
]


@pytest.mark.parametrize("name, change, status, match", BYTE_MUTANTS, ids=[m[0] for m in BYTE_MUTANTS])
def test_byte_mutants_are_rejected(name, change, status, match):
    original = _text(corpus()[S + "patterns/1:cover"])
    got, text = cli_check(change(original))
    assert_clean_rejection(got, text)
    assert got == status and match in text, text
    MUTANT_COUNTS["(bytes)"]["rejected"] += 1


def test_file_size_limit(monkeypatch):
    monkeypatch.setattr(checker, "MAX_BYTES", 100)
    status, text = cli_check(_text(corpus()[S + "patterns/1:cover"]))
    assert status == 2 and "larger than 100 bytes (checker.MAX_BYTES)" in text


# ---------------------------------------------------------------------------------------------
# holes the fuzzing found, pinned (each crashed with a traceback or hung before the fix)


def _with(cert, path, value):
    out = copy.deepcopy(cert)
    if path:
        get(out, path[:-1])[path[-1]] = value
    return out


PINNED = [
    # (corpus key, path, new value, message)
    ("patterns/1:cover", ("X", 0, 0), "1" * 4400, "longer than 4000 characters"),
    ("patterns/1:cover", ("X", 0, 0), "-" + "1" * 3900 + "/7", "x_0 . h has sign"),  # long, and flipped
    ("patterns/1:cover", ("schema",), ["reluscape/patterns/1"], "unknown schema"),
    ("optimum/2:rational", ("patterns", "X", 0), 7, "patterns.X[0]: expected a non-empty row"),
    ("vector-optimum/1:rational", ("patterns", "X", 1), None, "patterns.X[1]: expected a list"),
    ("optimum/2:rational", ("patterns", "schema"), "reluscape/optimum/1", "expected a reluscape/patterns/1"),
    ("vector-optimum/1:bracket", ("patterns", "schema"), "x", "expected a reluscape/patterns/1"),
    ("critical-widths/1:staircase", ("vertices", 0), "x", "vertices[0]: missing field 'atoms'"),
    ("critical-widths/1:staircase", ("vertices", 0, "atoms", 0, "direction"), None, "expected a list"),
    ("critical-widths/1:staircase", ("optimum", "schema"), "reluscape/patterns/1", "rational optimum"),
    ("local-min/1:local", ("blocks", 0), 1.5, "blocks[0]: expected a list"),
    ("local-min/1:local", ("competitor",), True, "competitor: expected a list"),
    ("region-min/1:small-init", ("competitor",), {"a": 1}, "competitor: expected a list"),
    ("nonunique/1:plain-continuum", ("solutions", 0, "atoms", 0, "weight"), {}, "empty square-root sum"),
    ("nonunique/1:plain-continuum", ("solutions", 0, "atoms", 0, "weight"),
     {str(p): "1" for p in (2, 3, 5, 7, 11, 13, 17)}, "more than 6 (checker.MAX_ROOT_PRIMES)"),
    ("symmetry-critical-point/1:Fk-5", ("prec",), 10**8, "MAX_PREC"),
    ("symmetry-critical-point/1:Fk-5", ("center", 0), "1e99999999", "MAX_NUMBER_BITS"),
    ("symmetry-critical-point/1:Fk-5", ("schema",), {"a": 1}, "unknown schema"),
    ("bundle/1:patterns+optimum", ("parts", 1, "schema"), [], "parts[1]: unknown or nested schema"),
]


@pytest.mark.parametrize("key, path, value, match", PINNED)
def test_pinned_holes(key, path, value, match):
    mutant = _with(corpus()[S + key], path, value)
    status, text = cli_check(json.dumps(mutant).encode())
    assert_clean_rejection(status, text)
    assert match in text, text


def test_duplicate_vertices_are_rejected():
    cert = copy.deepcopy(corpus()[S + "critical-widths/1:staircase"])
    cert["vertices"].append(cert["vertices"][0])
    assert "lists 3 vertices" in cli_check(_text(cert))[1]
    cert = copy.deepcopy(corpus()[S + "critical-widths/1:staircase"])
    cert["vertices"][0]["atoms"].append(cert["vertices"][0]["atoms"][0])
    assert "an atom is listed twice" in cli_check(_text(cert))[1]


@pytest.mark.parametrize("drop", [lambda Y: Y[0].pop(), lambda Y: Y.pop()], ids=["entry", "row"])
def test_ragged_preconditioner_is_rejected(drop):
    cert = copy.deepcopy(corpus()[S + "symmetry-critical-point/1:Fk-5"])
    drop(cert["preconditioner"])
    status, text = cli_check(_text(cert))
    assert_clean_rejection(status, text)
    assert "do not fit the fixed-point space" in text


def test_completeness_checks_stop_at_the_rank_budget(monkeypatch):
    from exact import enumerate_patterns

    monkeypatch.setattr(checker, "MAX_RANKS", 50)
    rows = [[1, t, t * t] for t in range(8)]  # Vandermonde: any three rows are independent
    cover = enumerate_patterns(rows).certificate()
    assert cover["complete"]["method"] == "cover"
    res = checker.check_certificate(cover)
    assert not res.ok and "C(8, 3) = 56 minors, more than 50 (checker.MAX_RANKS" in res.failure
    res = checker.check_certificate(dict(cover, complete={"method": "zaslavsky"}))
    assert not res.ok and "more than 50 rank computations (checker.MAX_RANKS" in res.failure
    monkeypatch.setattr(checker, "MAX_RANKS", 10**6)
    assert checker.check_certificate(dict(cover, complete={"method": "zaslavsky"})).ok


@pytest.mark.parametrize("rows", [[[1, 0, 0], [0, 1, 0], [2, 0, 0], [1, 1, 0], [0, 0, 0]], [[1, 2], [2, 4], [-1, -2]]])
def test_zaslavsky_count_matches_the_sweep(rows):
    """The basis-per-flat lattice walk against the independent sweep count."""
    from exact import count_patterns

    assert checker.zaslavsky_count([[Fraction(a) for a in r] for r in rows if any(r)]) == count_patterns(rows)


# ---------------------------------------------------------------------------------------------
# the checker alone, on another machine: nothing but Python and checker.py


def test_standalone_checker_verifies_every_stdlib_kind(tmp_path):
    import shutil
    import subprocess
    import sys

    shutil.copy(checker.__file__, tmp_path / "checker.py")
    paths = []
    for i, (key, cert) in enumerate(sorted(corpus().items())):
        if cert["schema"] in checker._CHECKERS:
            paths.append(f"c{i}.json")
            (tmp_path / paths[-1]).write_text(json.dumps(cert))
    bad = copy.deepcopy(corpus()[S + "optimum/2:rational"])
    bad["value"] = checker_number(Fraction(bad["value"]) - TINY)
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    env = {"PATH": os.environ.get("PATH", "")}  # no PYTHONPATH: reluscape is not importable
    run = subprocess.run([sys.executable, "-I", "checker.py", *paths], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count(": verified (") == len(paths)
    run = subprocess.run([sys.executable, "-I", "checker.py", "bad.json"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert run.returncode == 1 and "REJECTED: values differ" in run.stdout and not run.stderr
