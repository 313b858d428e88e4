"""``reluscape counterexample NAME [--params k=v,...] [--cert out.json]``: a certified counterexample.

Each name builds one construction of ``counterexamples/`` (``--list`` shows them with their
parameters and the claim each refutes), prints its exact facts and, with ``--cert``, writes its
JSON certificate, re-checked by the trusted checker before it is written.
"""

from ..errors import ReluscapeError

__all__ = ["add", "COUNTEREXAMPLES"]

#: name -> (module, function, {parameter: (type, default)}, one-line summary)
COUNTEREXAMPLES = {
    "fixture-b": ("nonuniqueness", "fixture_b", {}, "1-D data +-sqrt 3, no skip, penalised bias: a segment of min-norm interpolators"),
    "fixture-b-rational": ("nonuniqueness", "fixture_b_rational", {}, "fixture B on a rational instance with the same Gram matrix"),
    "fixture-c": ("nonuniqueness", "fixture_c", {}, "XOR with a free skip and a penalised bias: |x1+x2|-1 and 1-|x1-x2| tie"),
    "plain-continuum": ("nonuniqueness", "plain_continuum", {}, "the regularised problem without bias: a segment of optimal networks"),
    "find-nonunique": ("nonuniqueness", "find_nonunique", {"n": (int, 2), "d": (int, 4), "seed": (int, 0), "budget": (int, 200)},
                       "search small rational data for new non-unique optima"),
    "orthogonal": ("orthogonal", "orthogonal_data", {"n_pos": (int, 2), "n_neg": (int, 1), "lam": (str, "1/6"), "width": (int, 2)},
                   "orthogonal data: benignity needs width of order 2^n (lam in the paper's 1/n convention)"),
    "small-init": ("small_init", "small_initialization", {"beta": (str, "1/1000"), "width": (int, 3)},
                   "[BBEL] Thm 2: the spurious rank-one point reached from small initialisation"),
}


def add(sub):
    p = sub.add_parser(
        "counterexample",
        help="a certified counterexample (non-uniqueness, orthogonal data, small initialisation)",
        description="Build a named counterexample exactly, print its facts and optionally write its certificate.",
    )
    p.add_argument("name", nargs="?", help="the counterexample (see --list)")
    p.add_argument("--list", action="store_true", help="list the counterexamples and their parameters")
    p.add_argument("--params", default="", help="parameters as k=v,k=v (e.g. n_pos=3,n_neg=0,lam=1/6)")
    p.add_argument("--cert", help="write the certificate (JSON) here")
    p.set_defaults(run=_run)


def _run(args):
    if args.list:
        for name, (_, _, params, summary) in COUNTEREXAMPLES.items():
            opts = ", ".join(f"{k}={d}" for k, (_, d) in params.items())
            print(f"{name:20s} {summary}" + (f"  [--params {opts}]" if opts else ""))
        return 0
    if args.name is None:
        raise ReluscapeError("give a counterexample name (see `reluscape counterexample --list`)")
    if args.name not in COUNTEREXAMPLES:
        raise ReluscapeError(f"no counterexample named {args.name!r}; known: {', '.join(COUNTEREXAMPLES)}")
    import importlib

    module, function, params, _ = COUNTEREXAMPLES[args.name]
    kwargs = _params(args.params, params, args.name)
    ex = getattr(importlib.import_module(f"counterexamples.{module}"), function)(**kwargs)
    if ex is None:
        print(f"{args.name}: none found within the budget ({', '.join(f'{k}={v}' for k, v in kwargs.items())})")
        return 1
    for line in ex.report():
        print(line)
    if args.cert:
        from ..certificates import verify_certificate, write_json

        cert = ex.certificate()
        res = verify_certificate(cert)
        if not res.ok:
            raise ReluscapeError(f"the certificate does not check: {res.failure}")
        write_json(args.cert, cert)
        print(f"wrote {args.cert} ({cert['schema']}, re-checked: {len(res.checks)} checks)")
    return 0


def _params(text, spec, name):
    """``"k=v,k=v"`` over the defaults of ``spec``, as keyword arguments; unknown keys are errors."""
    out = {key: default for key, (_, default) in spec.items()}
    for item in (t.strip() for t in text.split(",") if t.strip()):
        key, eq, value = item.partition("=")
        key = key.strip()
        if not eq or key not in spec:
            known = ", ".join(spec) or "none"
            raise ReluscapeError(f"--params {item!r}: {name} takes k=v with k in: {known}")
        kind = spec[key][0]
        try:
            out[key] = kind(value.strip())
        except ValueError as err:
            raise ReluscapeError(f"--params {key}={value!r}: expected an integer") from err
    return out
