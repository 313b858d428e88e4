"""Bad input everywhere: every public function of ``exact`` and every ``reluscape`` command.

NaN, infinities, floats, ragged and empty arrays, wrong shapes, non-numeric text, missing files,
zero or negative beta and widths must raise a :class:`~exact.errors.ReluscapeError` naming the
problem (a ``ValueError``), and on the command line print one line ``error: ...`` with exit
status 2 (a traceback only with ``--debug``). Duplicated rows and zero rows are legal data: they
are checked to give the same patterns as the data without them.
"""

import math
import re
from decimal import Decimal
from fractions import Fraction

import pytest
import sympy

import exact
from exact import Dataset, Pattern, ReluscapeError
from exact.cli import _parser, main
from exact.strategies import integer_data

GOOD = Dataset([[1, 0], [0, 1]], [1, -1], 1)
NAN, INF = float("nan"), float("inf")

#: Bad matrices X, each with the words its error must contain.
BAD_X = [
    ([[1, NAN], [0, 1]], "NaN"),
    ([[1, INF], [0, 1]], "infinite"),
    ([[1, -INF], [0, 1]], "infinite"),
    ([[1, 0.5], [0, 1]], "float"),
    ([[1, 0], [0]], "X[1] has 1 entry, expected 2"),
    ([], "no rows"),
    ([[], []], "d = 0"),
    ([1, 2], "not a row"),
    ([[1, "abc"]], "not a number"),
    ([[1, "nan"]], "not finite"),
    ([[1, "1/0"]], "divides by zero"),
    ([[1, None]], "not a number"),
    ([[1, True]], "boolean"),
    ([[1, Decimal("NaN")]], "not finite"),
    ("1,2", "string"),
    (None, "not a sequence"),
]

#: Functions of X alone.
X_FUNCTIONS = {
    "count_patterns": lambda X: exact.count_patterns(X),
    "enumerate_patterns": lambda X: exact.enumerate_patterns(X),
    "is_in_general_position": lambda X: exact.is_in_general_position(X),
    "cone_rows": lambda X: exact.cone_rows(X, Pattern((1, -1), (1, -1))),
    "Dataset": lambda X: Dataset(X, [1, 1], 1),
}

#: Functions of a Dataset (and a width m).
DATA_FUNCTIONS = {
    "optimal_set": lambda D: exact.optimal_set(D),
    "optimal_polytope": lambda D: exact.optimal_polytope(D),
    "critical_widths": lambda D: exact.critical_widths(D),
    "optimal_set_graph": lambda D, m=2: exact.optimal_set_graph(D, m),
    "optimal_set_components": lambda D, m=2: exact.optimal_set_components(D, m),
    "stationary_points": lambda D, m=1: exact.stationary_points(D, m),
    "nonincreasing_path": lambda D, W=((1, 0), (0, 1)), a=(1, -1): exact.nonincreasing_path(D, W, a),
}
WIDTH_FUNCTIONS = ["optimal_set_graph", "optimal_set_components", "stationary_points"]

#: Other public callables, with their own bad arguments: name -> [(call, words), ...].
OTHER = {
    "as_rational": [
        (lambda: exact.as_rational(NAN), "NaN"),
        (lambda: exact.as_rational(INF), "infinite"),
        (lambda: exact.as_rational(0.1), "float"),
        (lambda: exact.as_rational("abc"), "not a number"),
        (lambda: exact.as_rational("inf"), "not finite"),
        (lambda: exact.as_rational([1]), "not a number"),
        (lambda: exact.as_rational(None), "not a number"),
    ],
    "cover_count": [
        (lambda: exact.cover_count(-1, 2), "n = -1"),
        (lambda: exact.cover_count(3, -2), "r = -2"),
        (lambda: exact.cover_count(1.5, 2), "n = 1.5"),
        (lambda: exact.cover_count("3", 2), "n = '3'"),
        (lambda: exact.cover_count(3, True), "r = True"),
    ],
    "hunt": [
        (lambda: exact.hunt("no.such.claim", budget=1), "no conjecture named 'no.such.claim'"),
        (lambda: exact.hunt("strong_duality", [[1, 0]], budget=1), "data is a list, not a hypothesis strategy"),
        (lambda: exact.hunt("strong_duality", integer_data(), budget=1, shards=2), "data= needs shards=None"),
    ],
}

#: Public names that are not functions of user input: exceptions and result classes.
NOT_CALLED = {
    "CertificateError", "EmptyDataError", "InvalidDataError", "ReluscapeError", "ResourceLimitError",
    "UndecidedError",  # exceptions
    "OptimalSet", "Pattern", "PatternSet",  # results, built by the functions above
}


def test_every_public_name_is_covered():
    covered = set(X_FUNCTIONS) | set(DATA_FUNCTIONS) | set(OTHER) | NOT_CALLED
    assert set(exact.__all__) <= covered, sorted(set(exact.__all__) - covered)


@pytest.mark.parametrize("name", sorted(X_FUNCTIONS))
@pytest.mark.parametrize("X, words", BAD_X, ids=[w for _, w in BAD_X])
def test_bad_matrices(name, X, words):
    with pytest.raises(ReluscapeError, match=re.escape(words)):
        X_FUNCTIONS[name](X)


@pytest.mark.parametrize(
    "y, beta, words",
    [
        ([1], 1, "y has 1 entry but X has 2 rows"),
        ([1, 2, 3], 1, "y has 3 entries"),
        ([[1], [2]], 1, "y must be 1-D"),
        ([1, NAN], 1, "y[1] is NaN"),
        ([1, INF], 1, "infinite"),
        ([1, "x"], 1, "not a number"),
        ([1, 1], 0, "beta = 0 must be > 0"),
        ([1, 1], -1, "beta = -1 must be > 0"),
        ([1, 1], "-1/2", "beta = -1/2 must be > 0"),
        ([1, 1], NAN, "beta is NaN"),
        ([1, 1], INF, "infinite"),
        ([1, 1], [1, 2], "single number"),
        ([1, 1], "abc", "not a number"),
    ],
)
def test_bad_labels_and_beta(y, beta, words):
    with pytest.raises(ReluscapeError, match=re.escape(words)):
        Dataset([[1, 0], [0, 1]], y, beta)


@pytest.mark.parametrize("name", sorted(DATA_FUNCTIONS))
@pytest.mark.parametrize("data", [[[1, 0], [0, 1]], None, "data.csv", (GOOD.X, GOOD.y)])
def test_data_functions_need_a_dataset(name, data):
    with pytest.raises(ReluscapeError, match="Dataset"):
        DATA_FUNCTIONS[name](data)


@pytest.mark.parametrize("name", WIDTH_FUNCTIONS)
@pytest.mark.parametrize("m", [0, -1, 1.5, "2", None, True])
def test_bad_widths(name, m):
    with pytest.raises(ReluscapeError, match=f"m = {m!r} must be an integer >= 1"):
        DATA_FUNCTIONS[name](GOOD, m=m)


@pytest.mark.parametrize(
    "W, a, words",
    [
        ([[1, 0], [0], [1, 1]], [1, -1, 1], "W[1] has 1 entry, expected 2"),
        ([[1, 0], [0, 1], [1, NAN]], [1, -1, 1], "W[2][1]"),
        ([[1, 0], [0, 1], [1, 1]], [1, -1], "W has 3 neurons but a has 2"),
        ([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [1, -1, 1], "W[0] has 3 entries, expected d = 2"),
        ([[1], [0], [1]], [1, -1, 1], "W[0] has 1 entry, expected d = 2"),
        ([[1, 0], [0, 1], [1, 1]], [1, -1, 0.5], "a[2] = 0.5 is a float"),
        ([[1, 0], [0, 1], [1, 1]], [1, -1, sympy.Float(0.5)], "a[2] = 0.500000000000000 is not an exact real number"),
        ([[1, 0], [0, 1], [1, 1]], [1, -1, sympy.pi], "cannot enclose pi"),
    ],
)
def test_bad_networks(W, a, words):
    with pytest.raises(ReluscapeError, match=re.escape(words)):
        exact.nonincreasing_path(GOOD, W, a)


@pytest.mark.parametrize(
    "data, target, words",
    [
        (Dataset([[1, 0], [0, 1]], [2, -2], 1), ([[1, 0, 0]] * 3, [1, -1, 1]), "the target's W[0] has 3 entries, expected d = 2"),
        (Dataset([[1, 0], [0, 1]], [2, -2], 1), ([[1, 0]] * 2, [1, -1]), "the target has width 2, expected m = 3"),
        (Dataset([[1, 0], [0, 1]], [2, -2], 1), ([[1, 0]] * 3, [1, -1, 1]), "not a global optimum of width 3 (F = 11/2)"),
        (GOOD, ([[1, 0]] * 3, [1, -1, 1]), "not a global optimum of width 3 (F = 7/2)"),  # GOOD's optimum: 0 alone
    ],
)
def test_bad_path_targets(data, target, words):
    with pytest.raises(ReluscapeError, match=re.escape(words)):
        exact.nonincreasing_path(data, [[1, 1], [0, 1], [1, 0]], [1, 1, -1], target=target)


@pytest.mark.parametrize("name", sorted(OTHER))
def test_other_public_functions(name):
    for call, words in OTHER[name]:
        with pytest.raises(ReluscapeError, match=words):
            call()


def test_duplicate_and_zero_rows_are_legal_and_change_nothing():
    base = [[1, 0], [0, 1], [1, 1]]
    with_extra = base + [[2, 2], [1, 0], [0, 0]]  # a parallel row, a duplicate, a zero row
    assert exact.count_patterns(with_extra) == exact.count_patterns(base) == 6
    signs = {s[:3] for s in exact.enumerate_patterns(with_extra).sign_set()}
    assert signs == set(exact.enumerate_patterns(base).sign_set())
    assert all(s[5] == 0 and s[3] == s[2] and s[4] == s[0] for s in exact.enumerate_patterns(with_extra).sign_set())


def test_cover_count_values():
    assert [exact.cover_count(n, 2) for n in range(4)] == [1, 2, 4, 6]
    assert exact.cover_count(5, 3) == 2 * sum(math.comb(4, k) for k in range(3))


# ---------------------------------------------------------------------------------------------
# the command line


def commands():
    sub = next(a for a in _parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    return sub.choices


#: commands reading a data file, with the other arguments they need.
DATA_COMMANDS = {
    "regions": [],
    "solve": ["--beta", "1"],
    "landscape": ["--beta", "1", "--no-stationary"],
    "census": ["--beta", "1", "--samples", "4"],
    "train": ["--beta", "1", "--m", "2", "--steps", "2"],
}

#: commands without a data file: [(arguments, words of the one-line error)].
OTHER_COMMANDS = {
    "verify": [(["no.such.claim"], "no claim named")],
    "check": [],  # its own tests: tests/test_checker_fuzz.py
    "family": [(["ZZ", "--k", "5"], "no family named"), (["A"], "--k"), (["A", "--k", "x"], "k = 'x' is not a number")],
    "hunt": [(["no.such.claim"], "no")],
    "counterexample": [
        (["no-such"], "no counterexample named 'no-such'"),
        (["orthogonal", "--params", "lam=abc"], "lam = 'abc' is not a number"),
        (["orthogonal", "--params", "zzz"], "takes k=v"),
    ],
    "relaxation-gap": [(["--n", "0", "--out", "OUT"], "--n"), (["--n", "x", "--out", "OUT"], "--n")],
}


def test_every_command_is_covered():
    assert set(commands()) <= set(DATA_COMMANDS) | set(OTHER_COMMANDS), sorted(set(commands()))


BAD_FILES = [
    (None, "does not exist"),
    ("", "no data lines"),
    ("x1,x2,y\n", "no data lines"),
    ("1,2,3\n4,5\n", "line 2: 2 cells, expected 3"),
    ("1,nan,3\n", "not finite"),
    ("1,inf,3\n", "not finite"),
    ("1,-Infinity,3\n", "not finite"),
    ("1,abc,3\n", "not a number"),
    ("1,1/0,3\n", "divides by zero"),
    (b"1,2,\xff\n", "cannot read"),
]


def run(args, capsys):
    status = main(args)
    out = capsys.readouterr()
    return status, out.out, out.err


@pytest.mark.parametrize("command", sorted(DATA_COMMANDS))
@pytest.mark.parametrize("content, words", BAD_FILES, ids=[w for _, w in BAD_FILES])
def test_data_commands_on_bad_files(command, content, words, tmp_path, capsys):
    path = tmp_path / "data.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    status, _, err = run([command, str(path), *DATA_COMMANDS[command]], capsys)
    assert status == 2 and err.startswith("error: ") and words in err and err.count("\n") == 1, err
    with pytest.raises(ReluscapeError):
        main(["--debug", command, str(path), *DATA_COMMANDS[command]])


@pytest.mark.parametrize("command", sorted(set(DATA_COMMANDS) - {"regions"}))
@pytest.mark.parametrize("beta, words", [("0", "beta = 0 must be > 0"), ("-1", "must be > 0"), ("nan", "not finite"), ("x", "not a number")])
def test_data_commands_on_bad_beta(command, beta, words, tmp_path, capsys):
    path = tmp_path / "data.csv"
    path.write_text("1,0,1\n0,1,-1\n")
    args = [a if a != "1" or i == 0 or DATA_COMMANDS[command][i - 1] != "--beta" else beta for i, a in enumerate(DATA_COMMANDS[command])]
    status, _, err = run([command, str(path), *args], capsys)
    assert status == 2 and err.startswith("error: ") and words in err and err.count("\n") == 1, err


@pytest.mark.parametrize("command", sorted(OTHER_COMMANDS))
def test_other_commands_on_bad_arguments(command, capsys, tmp_path):
    for args, words in OTHER_COMMANDS[command]:
        args = [str(tmp_path / "out") if a == "OUT" else a for a in args]
        status, _, err = run([command, *args], capsys)
        assert status == 2 and err.startswith("error: ") and words in err and err.count("\n") == 1, err


@pytest.mark.parametrize(
    "content, words",
    [
        ("garbage\n", "line 1: not a verify --resume record"),
        ('{"key": "patterns.cover_count", "result": {"claim": "patterns.cover_count"}}\n', "'statement' is missing"),
        ('{"key": "patterns.cover_count", "result": [1]}\n', "not a verdict record"),
        (None, "Is a directory"),
    ],
)
def test_verify_on_a_bad_resume_file_is_one_line(content, words, tmp_path, capsys):
    path = tmp_path / "verdicts.jsonl"
    if content is None:
        path.mkdir()
    else:
        path.write_text(content)
    status, out, err = run(["verify", "patterns.cover_count", "--resume", str(path)], capsys)
    assert status == 2 and not out and err.startswith("error: ") and words in err and err.count("\n") == 1, err


def test_check_on_a_missing_file_is_one_line(tmp_path, capsys):
    status, out, err = run(["check", str(tmp_path / "none.json")], capsys)
    assert status == 2 and out.count("\n") == 1 and "cannot read" in out and not err
