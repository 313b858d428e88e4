"""Floats are fenced into exact/numeric: no float library is imported anywhere else, and the
exact kernels never call float()."""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).parent.parent
FLOAT_LIBS = {"scipy", "cvxpy", "clarabel", "torch"}
KERNELS = [
    "exact/arrangement.py",
    "exact/vertex_sweep.py",
    "exact/integer_matrices.py",
    "exact/lp.py",
    "exact/checker.py",
    "exact/certificates.py",
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


@pytest.mark.parametrize("path", list(modules_outside_numeric()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_float_library_outside_numeric(path):
    assert not FLOAT_LIBS & set(imported_modules(path))


@pytest.mark.parametrize("rel", KERNELS)
def test_exact_kernels_do_not_call_float(rel):
    tree = ast.parse((ROOT / rel).read_text())
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "float"]
    assert not calls, f"{rel} calls float() at line {calls[0].lineno}"
    text = (ROOT / rel).read_text()
    assert "dtype=float" not in text and "np.float" not in text and "math.sqrt" not in text


def test_checker_imports_only_the_standard_library():
    import sys

    names = set(imported_modules(ROOT / "exact/checker.py"))
    assert names <= set(sys.stdlib_module_names), names - set(sys.stdlib_module_names)
