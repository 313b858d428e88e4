"""Floats are fenced into exact/numeric: no float library is imported anywhere else, and no float
is computed anywhere else, except where listed below with the reason.

*A float use* (outside ``exact/numeric/``, in ``exact/`` and ``counterexamples/``) is any of:
a reference to the builtin ``float`` (``float(x)``, ``dtype=float``, ``map(float, ...)``), a float
literal (``1e-9``, ``0.5``), a float-valued numpy name (``np.linalg``, ``np.sqrt``, ``np.float64``,
``np.random``, ...), a float function of ``math`` (``math.sqrt``, ``math.log``, ...), sympy's
``Float``/``N``/``.evalf``, or a ``dtype="float..."``. Integer numpy (``np.int64``, ``np.packbits``)
is exact and allowed. Not uses: type annotations, ``isinstance(x, float)`` (rejecting floats), and
a float formatted into an f-string (a report, not a decision).

Exceptions are of two kinds, each with its reason: *float twins* (functions registered with
``@crosscheck`` or ``@_twin``, which repeat an exact computation in floats by design) are exempt
by rule; everything else is listed by name in ``EXCEPTIONS``. ``PENDING`` lists known float
decisions still to be moved into ``exact/numeric/``: debt, not a licence. An entry that no longer
covers any float use fails :func:`test_every_exception_is_still_needed`, so the lists only shrink.
"""

import ast
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).parent.parent
FLOAT_LIBS = {"scipy", "cvxpy", "clarabel", "torch"}

#: numpy names whose values or results are floats.
NUMPY_FLOAT = {
    "linalg", "random", "sqrt", "cbrt", "exp", "expm1", "log", "log1p", "log2", "log10", "power",
    "reciprocal", "sin", "cos", "tan", "arctan", "arctan2", "sinh", "cosh", "tanh", "hypot",
    "linspace", "logspace", "mean", "average", "median", "std", "var", "polyfit", "interp",
    "trapz", "isfinite", "isnan", "isinf", "isclose", "allclose", "nanmin", "nanmax", "inf", "nan",
    "pi", "e", "round", "around", "floor", "ceil", "divide", "true_divide", "fmax", "fmin",
    "finfo", "double", "single", "half", "longdouble",
}  # fmt: skip
#: math names whose values or results are floats (math.comb, math.gcd, math.isqrt are exact).
MATH_FLOAT = {
    "sqrt", "cbrt", "exp", "exp2", "expm1", "log", "log1p", "log2", "log10", "pow", "sin", "cos",
    "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "hypot", "dist", "fsum",
    "isclose", "isfinite", "isnan", "isinf", "pi", "e", "tau", "inf", "nan", "erf", "erfc",
    "gamma", "lgamma", "degrees", "radians", "fmod", "frexp", "ldexp", "modf", "copysign",
    "nextafter", "ulp",
}  # fmt: skip
SYMPY_FLOAT = {"Float", "N"}
#: Decorators that register a float twin (exact/claims/__init__.py, exact/claims/crosschecks.py).
TWIN_DECORATORS = {"crosscheck", "_twin"}

#: Justified float uses: "path" (the whole file or folder) or "path::qualified.name" -> reason.
EXCEPTIONS = {
    "exact/data.py::_exact": "the float entry point: reads a float and converts it exactly "
    "(Fraction(float) is the exact binary value); NaN and infinities are rejected",
    "exact/data.py::Dataset.from_floats.conv": "Dataset.from_floats: the documented float entry point, exact conversion",
    "exact/multiquadratic.py::Multiquadratic.__float__": "the float() protocol of an exact number (for reports and twins)",
    "exact/multiquadratic.py::_from_sympy": "rejects an expression containing a sympy Float",
    "exact/symmetry/arithmetic.py::Arithmetic.number": "rejects an expression containing a sympy Float",
    "exact/hunt.py::parse_budget": "a wall-clock budget in seconds ('60s'), not mathematics",
    "exact/hunt.py::Coverage": "wall-clock seconds of a hunt",
    "exact/relaxation.py::<module>": "the step size of the float gradient-descent series of the gap experiment",
    "exact/relaxation.py::gates_for": "how many gates to sample (k ceil(log 2n)): a sampling budget",
    "exact/relaxation.py::_certified": "the tolerance of the float proposal handed to exact/numeric",
    "exact/claims/__init__.py::CrossCheck": "the result type of the float twins: residual and tolerance are floats",
    "exact/claims/__init__.py::Verdict": "wall-clock seconds of a claim",
    "exact/claims/crosschecks.py": "the module of float twins (registered with @_twin) and their float helpers",
    "exact/claims/census.py::_descent": "float twin helper: returns the CrossCheck of two registered twins",
    "exact/claims/duality.py::_float_value": "float twin helper: returns the CrossCheck of two registered twins",
    "exact/claims/landscape.py::_sampled": "float twin helper: returns the CrossCheck of two registered twins",
    "exact/claims/patterns.py::_sampling": "float twin helper: returns the CrossCheck of three registered twins",
    "exact/claims/stationarity.py::gd_ends_at_stationary_values": "float twin helper: returns a twin's CrossCheck",
    "exact/claims/relaxation.py::<module>": "TOL, the tolerance of the float twins",
    "exact/claims/relaxation.py::_against_intervals": "float twin helper: returns the CrossCheck of three twins",
    "exact/claims/relaxation.py::_teacher_descent": "the float GD proposal (its init scale); the claim rationalizes "
    "the network and evaluates F exactly",
    "exact/commands/train.py": "`reluscape train`: float gradient descent (exact/numeric) with float options; "
    "its only exact step, the certified bound it reports, is exact/optimum.py's",
    "exact/commands/relaxation_gap.py::add": "a float option (reach) of a float experiment, parsed by argparse",
    "exact/commands/census.py::_dense": "layout of the printed table (a width factor)",
    "exact/commands/hunt.py::_Bar": "wall-clock progress display of `reluscape hunt`",
    "counterexamples/nonuniqueness.py::NonuniqueExample.reproduce": "the float reproduction run (GD), not evidence",
    "counterexamples/nonuniqueness.py::find_nonunique": "a coin flip of the random search; what it finds is certified",
    "counterexamples/orthogonal.py::OrthogonalExample.reproduce": "the float reproduction run (GD), not evidence",
    "counterexamples/small_init.py::SmallInitExample.reproduce": "the float reproduction run (GD), not evidence",
    "counterexamples/conjectures.py::small_init_gd": "the float experiment of the small-initialisation conjecture; "
    "its end points are rationalized and their region closures bounded exactly",
}

#: Known floats outside exact/numeric that compute or decide something: debt, to be moved into
#: exact/numeric (as rational proposals) or replaced by exact arithmetic.
PENDING = {
    "exact/optimum.py": "float proposals (SOCP, the problem in the weights with its vertex costs 1/kappa, KKT "
    "start, block screening by norm < beta (1 - 1e-9)) computed and rounded in exact/",
    "exact/region_census.py": "SOCP proposal rounded in exact/ (_screen) and the float descent_agreement",
    "exact/stationary_set.py": "a float Newton start (_solve), and the float norm reported with an undecided "
    "block set (.evalf in exact/)",
    "exact/symmetry/series.py": "30-digit numerics choose the real roots and the nearest root (_elimination_step) "
    "and check a balance solution (_solve_balance); the choice is not re-proved",
    "exact/symmetry/loss.py::global_minimum_spectrum": "eigenvalues ordered by 30-digit numerics (sympy.N)",
}


#: Exact kernels and the trusted checker: never covered by an exception.
KERNELS = [
    "exact/arrangement.py",
    "exact/vertex_sweep.py",
    "exact/integer_matrices.py",
    "exact/lp.py",
    "exact/checker.py",
    "exact/certificates.py",
    "exact/extensions/copositivity.py",
    "exact/extensions/group_lasso.py",
    "exact/extensions/vector.py",
    "exact/extensions/parallel3.py",
]


def modules_outside_numeric():
    for path in sorted((ROOT / "exact").rglob("*.py")):
        if "numeric" not in path.relative_to(ROOT).parts:
            yield path
    yield from sorted((ROOT / "counterexamples").rglob("*.py"))


def imported_modules(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module.split(".")[0]


def float_uses(source):
    """``(line, qualified name of the enclosing definition, what)`` for every float use."""
    tree = ast.parse(source)
    aliases = {"numpy": {"numpy"}, "math": {"math"}, "sympy": {"sympy"}}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name in aliases:
                    aliases[a.name].add(a.asname or a.name)
    found = []

    def visit(node, scope, skip):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            scope = f"{scope}.{node.name}" if scope != "<module>" else node.name
            names = {getattr(d.func if isinstance(d, ast.Call) else d, "id", None) for d in node.decorator_list}
            skip = skip or bool(names & TWIN_DECORATORS)
        what = None if skip else _float_use(node, aliases)
        if what:
            found.append((node.lineno, scope, what))
        for field, value in ast.iter_fields(node):
            children = value if isinstance(value, list) else [value]
            for child in children:
                if not isinstance(child, ast.AST):
                    continue
                exempt = (
                    field in ("annotation", "returns")  # a type annotation
                    or isinstance(child, ast.FormattedValue)  # a report
                    or (_is_call(node, "isinstance") and field == "args" and child is node.args[-1])  # rejects floats
                )
                visit(child, scope, skip or exempt)

    visit(tree, "<module>", False)
    return found


def _is_call(node, name):
    return isinstance(node, ast.Call) and getattr(node.func, "id", None) == name


def _float_use(node, aliases):
    if isinstance(node, ast.Name) and node.id == "float":
        return "float"
    if isinstance(node, ast.Constant) and type(node.value) in (float, complex):
        return f"float literal {node.value!r}"
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        module = next((m for m, names in aliases.items() if node.value.id in names), None)
        if (module == "numpy" and (node.attr in NUMPY_FLOAT or node.attr.startswith("float"))) or (
            (module == "math" and node.attr in MATH_FLOAT) or (module == "sympy" and node.attr in SYMPY_FLOAT)
        ):
            return f"{node.value.id}.{node.attr}"
    if isinstance(node, ast.Attribute) and node.attr == "evalf":
        return ".evalf"
    if isinstance(node, ast.ImportFrom) and node.module in ("numpy", "math", "sympy"):
        names = {"numpy": NUMPY_FLOAT, "math": MATH_FLOAT, "sympy": SYMPY_FLOAT}[node.module]
        bad = [a.name for a in node.names if a.name in names or (node.module == "numpy" and a.name.startswith("float"))]
        if bad:
            return f"from {node.module} import {', '.join(bad)}"
    if isinstance(node, ast.keyword) and node.arg == "dtype" and "float" in str(getattr(node.value, "value", "")):
        return "dtype float"
    return None


def covering(rel, scope):
    """The EXCEPTIONS or PENDING key that covers a use in ``scope`` of file ``rel``, or None."""
    for key in {**EXCEPTIONS, **PENDING}:
        path, _, name = key.partition("::")
        in_path = rel == path or rel.startswith(path + "/")
        if in_path and (not name or scope == name or scope.startswith(name + ".")):
            return key
    return None


def uses_outside_numeric():
    for path in modules_outside_numeric():
        rel = str(path.relative_to(ROOT))
        for line, scope, what in float_uses(path.read_text()):
            yield rel, line, scope, what


@pytest.mark.parametrize("path", list(modules_outside_numeric()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_float_library_outside_numeric(path):
    assert not FLOAT_LIBS & set(imported_modules(path))


@pytest.mark.parametrize("path", list(modules_outside_numeric()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_float_use_outside_numeric(path):
    rel = str(path.relative_to(ROOT))
    bad = [f"{rel}:{line} ({scope}): {what}" for line, scope, what in float_uses(path.read_text()) if covering(rel, scope) is None]
    assert not bad, "floats outside exact/numeric/ (move them there, or list a reason in EXCEPTIONS):\n" + "\n".join(bad)


def test_every_exception_is_still_needed():
    used = {covering(rel, scope) for rel, _, scope, _ in uses_outside_numeric()}
    stale = sorted((set(EXCEPTIONS) | set(PENDING)) - used)
    assert not stale, f"no float use left under {stale}: remove them from EXCEPTIONS / PENDING"


@pytest.mark.parametrize(
    "source, what",
    [
        ("x = float(q)", "float"),
        ("a = np.zeros(3, dtype=float)", "float"),
        ("ok = gain > beta2 * (1 + 1e-9)", "float literal 1e-09"),
        ("r = np.linalg.norm(v)", "np.linalg"),
        ("r = numpy.sqrt(2)", "numpy.sqrt"),
        ("import math\nr = math.sqrt(2)", "math.sqrt"),
        ("from math import log", "from math import log"),
        ("v = sympy.N(x)", "sympy.N"),
        ("v = x.evalf(20)", ".evalf"),
        ("a = np.array(v, dtype='float64')", "dtype float"),
        ("a = np.float64(1)", "np.float64"),
    ],
)
def test_the_fence_sees_float_uses(source, what):
    assert [w for _, _, w in float_uses("import numpy as np\n" + source)] == [what]


@pytest.mark.parametrize(
    "source",
    [
        "a = np.zeros(3, dtype=np.int64)",
        "b = np.packbits(a > 0, axis=1)",
        "n = math.comb(5, 2) + math.isqrt(10)",
        "if isinstance(x, (float, complex)):\n    raise TypeError",
        "msg = f'value ~ {float(q):.6g}'",
        "def f(x: float) -> float:\n    return x",
        "@crosscheck('demo')\ndef twin():\n    return float(2) < 1e-9",
    ],
)
def test_the_fence_allows_exact_code(source):
    assert float_uses("import math\nimport numpy as np\n" + source) == []


def test_checker_imports_only_the_standard_library():
    names = set(imported_modules(ROOT / "exact/checker.py"))
    assert names <= set(sys.stdlib_module_names), names - set(sys.stdlib_module_names)


def test_no_exception_covers_a_kernel():
    """The exact kernels and the trusted checker never get an exception."""
    for key in {**EXCEPTIONS, **PENDING}:
        path = key.partition("::")[0]
        assert not any(rel == path or rel.startswith(path + "/") for rel in KERNELS), key
