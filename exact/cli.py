"""The ``reluscape`` command.

Subcommands (``reluscape COMMAND --help`` for each):

``verify``   run every registered claim on its built-in instance; one row per claim
``regions``  activation patterns of a data file: count, and patterns with witnesses as JSON
``check``    re-verify a JSON certificate with the trusted checker
``solve``    the certified global optimum of the convex problem for a data file
``landscape`` the optimal polytope, critical widths m*, M*, and the optimal set's components
``relaxation-gap`` the Kim-Pilanci sampled relaxation's gap p~*/p* over Gaussian data (a resumable sweep)
``train``    gradient descent on a data file (numpy, torch CPU or CUDA); final loss, the network as JSON

Further commands are modules of :mod:`exact.commands` (one file per command, discovered).

Errors in the input are printed as one line (``error: ...``) with exit status 2;
``--debug`` shows the traceback instead.
"""

import argparse
import json
import sys

from .commands import add_all, decimal, exact_text, int_list, text_list
from .errors import ReluscapeError

__all__ = ["main"]


def main(argv=None):
    """Entry point of the ``reluscape`` console script; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except ReluscapeError as err:
        if args.debug:
            raise
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _parser():
    p = argparse.ArgumentParser(prog="reluscape", description=__doc__.split("\n\n")[0])
    p.add_argument("--debug", action="store_true", help="show tracebacks instead of one-line errors")
    sub = p.add_subparsers(title="commands", metavar="COMMAND")
    for add in (_add_verify, _add_regions, _add_check, _add_solve, _add_landscape, _add_family, _add_relaxation_gap, _add_train):
        add(sub)
    add_all(sub)
    return p


# ---------------------------------------------------------------------------------------------
# verify


def _add_verify(sub):
    p = sub.add_parser("verify", help="run the registered claims on their built-in instances")
    p.add_argument("names", nargs="*", help="claims to run (default: all)")
    p.add_argument("--all", action="store_true", help="include slow claims")
    p.add_argument("--list", action="store_true", help="list the claims and exit")
    p.add_argument("--json", action="store_true", help="print the verdicts as JSON")
    p.add_argument("--no-numeric", action="store_true", help="skip the float cross-checks")
    p.set_defaults(run=_run_verify)


def _run_verify(args):
    from . import report
    from .claims import all_claims, run_claim

    claims = all_claims(include_slow=args.all or bool(args.names))
    if args.list:
        for c in claims:
            print(f"{c.name:40s} {c.reference}\n    {c.statement}")
        return 0
    known = {c.name for c in claims}
    unknown = [n for n in args.names if n not in known]
    if unknown:
        raise ReluscapeError(f"no claim named {', '.join(map(repr, unknown))}; see `reluscape verify --list`")
    selected = [c for c in claims if not args.names or c.name in args.names]
    verdicts = []
    if not args.json:
        print(report.header())
    for c in selected:
        v = run_claim(c.name, crosscheck=not args.no_numeric)
        verdicts.append(v)
        if not args.json:
            print(report.verdict_row(v), flush=True)
    if args.json:
        print(json.dumps([report.verdict_json(v) for v in verdicts], indent=2))
    else:
        print(report.summary(verdicts))
    return 0 if all(v.holds for v in verdicts) else 1


# ---------------------------------------------------------------------------------------------
# regions


def _add_regions(sub):
    p = sub.add_parser(
        "regions",
        help="activation patterns of a data file",
        description="Count the activation patterns (regions of {x_k . h = 0}) of the rows of a CSV "
        "file and optionally write them, with integer witnesses, as a certificate.",
    )
    p.add_argument("data", help="CSV file: one sample per line (all columns are features)")
    p.add_argument("--label-column", type=int, default=None, help="a label column to ignore (e.g. -1)")
    p.add_argument("--out", help="write the patterns certificate (JSON) here")
    p.add_argument("--method", default=None, help="enumeration method (default: sweep)")
    p.add_argument("--count-only", action="store_true", help="only count, do not list")
    p.set_defaults(run=_run_regions)


def _run_regions(args):
    from .arrangement import count_patterns, enumerate_patterns
    from .certificates import patterns_certificate, write_json
    from .data import read_csv_table

    table = read_csv_table(args.data)
    rows = [cells for _, cells in table]
    if args.label_column is not None:
        col = args.label_column % len(rows[0])
        rows = [[c for j, c in enumerate(r) if j != col] for r in rows]
    n, d = len(rows), len(rows[0])
    if args.count_only:
        print(f"n = {n}, d = {d}: {count_patterns(rows)} activation patterns")
        return 0
    pats = enumerate_patterns(rows, method=args.method)
    print(f"n = {n}, d = {d}: {len(pats)} activation patterns (witnesses verified)")
    if args.out:
        cert = patterns_certificate(pats)
        write_json(args.out, cert)
        print(f"wrote {args.out} ({cert['schema']})")
    return 0


# ---------------------------------------------------------------------------------------------
# check


def _add_check(sub):
    p = sub.add_parser("check", help="re-verify certificates with the trusted checker")
    p.add_argument("certificates", nargs="+", help="JSON certificate files")
    p.set_defaults(run=_run_check)


def _run_check(args):
    from .certificates import EXTERNAL_VERIFIERS, verify_certificate
    from .checker import check_file

    status = 0
    for path in args.certificates:
        res = check_file(path)
        if not res.ok and res.schema in EXTERNAL_VERIFIERS:
            with open(path) as fh:
                res = verify_certificate(json.load(fh))
        if res.ok:
            print(f"{path}: verified ({res.schema})")
            for line in res.checks:
                print(f"  - {line}")
        else:
            print(f"{path}: REJECTED: {res.failure}")
            status = max(status, 2 if res.schema is None else 1)
    return status


# ---------------------------------------------------------------------------------------------
# family


def _add_family(sub):
    p = sub.add_parser(
        "family",
        help="a family of critical points of the Gaussian teacher-student model",
        description="High-precision critical point of a symmetry family at width k, its loss, the "
        "Hessian spectrum by isotypic component, and the Krawczyk certificate (integer k).",
    )
    p.add_argument("name", nargs="?", help="family name (see --list)")
    p.add_argument("--list", action="store_true", help="list the families and exit")
    p.add_argument("--k", default=None, help="width k: an integer, or a rational such as 13/2")
    p.add_argument("--dps", type=int, default=50, help="decimal digits (default 50)")
    p.add_argument("--order", type=int, default=6, help="order of the power series in k^(-1/2) (default 6)")
    p.add_argument("--no-certify", action="store_true", help="skip the Krawczyk test and the arb minimality decision")
    p.set_defaults(run=_run_family)


def _run_family(args):
    import mpmath

    from .symmetry import (
        FAMILIES,
        certify_critical_point,
        critical_point,
        family_series,
        get_family,
        hessian_spectrum,
        is_local_minimum,
    )

    if args.list:
        for fam in FAMILIES.values():
            blocks = ", ".join(("k" if a else "") + (f"{b:+d}" if a and b else "" if a else str(b)) for a, b in fam.blocks)
            print(f"{fam.name:3s} {fam.isotropy:18s} composition ({blocks})  {fam.description}")
        return 0
    if args.name is None or args.k is None:
        raise ReluscapeError("give a family name and --k (or --list)")
    fam = get_family(args.name)
    point = critical_point(fam.name, args.k, dps=args.dps, order=max(args.order, 2))
    digits = min(args.dps, 30)
    print(f"family {fam.name} ({fam.isotropy}): {fam.description}")
    print(f"k = {point.k}, composition {point.composition}, {args.dps} digits")
    for name, value in zip(point.names, point.x):
        print(f"  {name:4s} = {mpmath.nstr(value, digits)}")
    print(f"loss L = {mpmath.nstr(point.loss, digits)}")
    print(f"gradient norm = {mpmath.nstr(point.gradient_norm, 3)}")
    ser = family_series(fam.name, args.order)
    with mpmath.workdps(args.dps):
        k_mp = mpmath.mpf(point.k.numerator) / point.k.denominator if hasattr(point.k, "denominator") else point.k
        gap = max(abs(a - b) for a, b in zip(ser.evaluate(k_mp), point.x))
        print(
            f"series to s^{args.order} (s = k^-1/2): L = {mpmath.nstr(ser.loss_at(k_mp), 12)}, "
            f"max |series - point| = {mpmath.nstr(gap, 3)}"
        )
    spec = hessian_spectrum(fam.name, point.k, dps=min(args.dps, 30), rigorous=False)
    lam, irrep = spec.minimum
    print(f"Hessian: {len(spec.distinct())} eigenvalues by isotypic component, multiplicities summing to {spec.size}")
    for block in spec.blocks:
        if block.eigenvalues:
            values = ", ".join(mpmath.nstr(v, 8) for v in block.eigenvalues)
            print(f"  {block.irrep:16s} dim {mpmath.nstr(block.dimension, 8):>8s}: {values}")
    print(f"least eigenvalue {mpmath.nstr(lam, 10)} ({irrep})")
    if args.no_certify:
        return 0
    if not isinstance(point.k, int):
        print("certification: skipped (the Krawczyk test runs at integer k)")
        return 0
    cert = certify_critical_point(fam.name, point.k, dps=args.dps)
    if not cert.verified:
        print("certification: Krawczyk test FAILED (no proof)")
        return 1
    lo, hi = cert.loss
    with mpmath.workdps(30):
        print(
            f"certification: Krawczyk test verified: exactly one critical point in the box of radius "
            f"{mpmath.nstr(mpmath.mpf(cert.radius.numerator) / cert.radius.denominator, 3)} "
            f"(contraction {mpmath.nstr(mpmath.mpf(cert.contraction.numerator) / cert.contraction.denominator, 3)}); "
            f"L in [{mpmath.nstr(mpmath.mpf(lo.numerator) / lo.denominator, 20)}, "
            f"{mpmath.nstr(mpmath.mpf(hi.numerator) / hi.denominator, 20)}]"
        )
    minimum = is_local_minimum(fam.name, point.k, dps=args.dps)
    print(f"local minimum (arb, over the box): {'yes' if minimum else 'no, a saddle'}")
    return 0


# ---------------------------------------------------------------------------------------------
# solve


def _add_solve(sub):
    p = sub.add_parser(
        "solve",
        help="the certified optimum of the convex problem for a data file",
        description="Solve the convex (group-lasso) reformulation over all activation patterns and "
        "prove the optimum: exact rational, exact algebraic, a Krawczyk enclosure, or a rigorous bracket.",
    )
    p.add_argument("data", help="CSV file: features, then the label (see --label-column)")
    p.add_argument("--beta", required=True, help="weight decay beta > 0, exact (e.g. 1/2)")
    p.add_argument("--label-column", type=int, default=-1, help="column of the label (default: last)")
    p.add_argument("--cert", help="write the optimum certificate (JSON) here")
    p.add_argument("--dps", type=int, default=60, help="digits of the high-precision solve")
    p.set_defaults(run=_run_solve)


def _run_solve(args):
    from .certificates import write_json
    from .data import Dataset
    from .optimum import optimal_set

    data = Dataset.from_csv(args.data, args.beta, label_column=args.label_column)
    opt = optimal_set(data, dps=args.dps)
    lo, hi = opt.value_interval
    print(f"n = {data.n}, d = {data.d}, beta = {data.beta}: {len(opt.patterns)} activation patterns")
    print(f"optimum ({opt.kind}): p* = {exact_text(opt.value)}")
    print(f"  in [{decimal(lo)}, {decimal(hi)}]")
    if opt.proof_reason:
        print(f"  (no exact proof: {opt.proof_reason})")
    print("nu* = (" + ", ".join(exact_text(v) for v in opt.nu) + ")")
    print(f"tight directions ({len(opt.directions)}):")
    for D, sign, u in opt.directions:
        print(f"  {'+' if sign > 0 else '-'} pattern {''.join(map(str, D))}: u = (" + ", ".join(exact_text(c) for c in u) + ")")
    if args.cert:
        cert = opt.certificate()
        write_json(args.cert, cert)
        print(f"wrote {args.cert} ({cert['schema']}, method {cert['method']})")
    return 0






# ---------------------------------------------------------------------------------------------
# landscape


def _add_landscape(sub):
    p = sub.add_parser(
        "landscape",
        help="critical widths and the connectivity of the optimal set",
        description="Certify the optimum, enumerate the vertices of the optimal polytope, report the "
        "critical widths m* and M*, and the components of the nonconvex optimal set at width m.",
    )
    p.add_argument("data", help="CSV file: features, then the label (see --label-column)")
    p.add_argument("--beta", required=True, help="weight decay beta > 0, exact (e.g. 1/2)")
    p.add_argument("--m", type=int, action="append", help="width(s) to analyse (repeatable; default: the staircase)")
    p.add_argument("--label-column", type=int, default=-1, help="column of the label (default: last)")
    p.add_argument("--graph", help="write the component graph of the first width as GraphML")
    p.add_argument("--cert", help="write the critical-widths certificate (JSON) here")
    p.add_argument("--no-stationary", action="store_true", help="skip the stationary points (exhaustive search)")
    p.set_defaults(run=_run_landscape)


def _run_landscape(args):
    import networkx as nx

    from .certificates import write_json
    from .data import Dataset
    from .solution_set import critical_widths
    from .topology import optimal_set_graph, staircase

    data = Dataset.from_csv(args.data, args.beta, label_column=args.label_column)
    widths = critical_widths(data)
    P = widths.polytope
    print(f"optimum ({P.optimum.kind}): p* = {exact_text(P.optimum.value)}")
    print(f"tight atoms: {len(P.atoms)}; vertices of the optimal polytope: {len(P.vertices)} (dimension {P.dimension})")
    print(f"unique optimum: as weights {P.unique_weights}, as a function {P.unique_function}")
    print(f"m* = {widths.m_star}, M* = {widths.M_star}")
    rows = staircase(data, args.m, polytope=P)
    print(f"{'m':>4} {'components':>10} {'points':>7} {'non-singleton':>14} {'connected':>10}")
    for r in rows:
        print(f"{r['m']:4d} {r['components']:10d} {r['points']:7d} {str(r['nonsingleton']):>14} {str(r['connected']):>10}")
    if not args.no_stationary:
        from .errors import ResourceLimitError
        from .stationary_set import stationary_points

        m = rows[0]["m"]
        try:
            pts = stationary_points(data, m)
        except ResourceLimitError as err:
            print(f"stationary points at m = {m}: not searched ({err})")
        else:
            print(f"stationary points at m = {m} ({len(pts)} found, {len(pts.undecided)} candidates undecided):")
            for pt in pts:
                print(f"  F = {exact_text(pt.value)}  {pt.kind}")
    if args.graph:
        G = optimal_set_graph(data, rows[0]["m"], polytope=P)
        H = nx.relabel_nodes(G, {v: f"{v[0]}:{v[1]}" for v in G})
        nx.write_graphml(H, args.graph)
        print(f"wrote {args.graph} (width {rows[0]['m']}: {G.number_of_nodes()} nodes)")
    if args.cert:
        cert = widths.certificate()
        write_json(args.cert, cert)
        print(f"wrote {args.cert} ({cert['schema']})")
    return 0


# ---------------------------------------------------------------------------------------------
# relaxation-gap


def _add_relaxation_gap(sub):
    p = sub.add_parser(
        "relaxation-gap",
        help="the Kim-Pilanci relaxation gap p~*/p* over Gaussian data",
        description="Measure the ratio p~*/p* of the convex problem restricted to the patterns of "
        "Gaussian gates to the global optimum, over Gaussian data, for each n, dimension rule, "
        "sample size and seed: certified intervals for n <= --exact-max-n, float brackets above. "
        "Also runs gradient descent from random starts. Results are checkpointed to "
        "OUT/relaxation_gap.jsonl (rerun the same command to resume); the summary goes to "
        "OUT/summary.json and OUT/summary.csv, and a plot to OUT/relaxation_gap.png with matplotlib.",
    )
    p.add_argument("--n", required=True, help="sample counts, comma-separated (e.g. 10,20,40)")
    p.add_argument("--d", default="2", help="dimensions: integers or n/c for d = n/c, comma-separated (default 2)")
    p.add_argument(
        "--samples", default="100", help="numbers of Gaussian gates: integers or <k>log for k*ceil(log 2n) (default 100)"
    )
    p.add_argument("--seeds", type=int, default=5, help="instances per point, seeds 0..SEEDS-1 (default 5)")
    p.add_argument("--labels", default="gaussian", choices=("gaussian", "teacher"), help="label model")
    p.add_argument("--tau", default="1/5", help="beta = tau * beta_max (default 1/5)")
    p.add_argument("--exact-max-n", type=int, default=16, help="certify both optima up to this n (default 16)")
    p.add_argument("--reference-gates", type=int, default=4000, help="gates for p* when the regions are too many")
    p.add_argument("--max-patterns", type=int, default=20000, help="enumerate all regions up to this many (d <= 3)")
    p.add_argument("--gd-runs", type=int, default=16, help="gradient-descent runs per instance (0: none)")
    p.add_argument("--gd-steps", type=int, default=5000, help="steps per gradient-descent run")
    p.add_argument("--gd-alpha", type=float, default=0.01, help="initialization scale of the GD runs")
    p.add_argument("--gd-width", type=int, default=None, help="GD width (default: the number of gates)")
    p.add_argument("--out", required=True, help="output folder (created; an existing checkpoint is resumed)")
    p.add_argument("--workers", type=int, default=None, help="worker processes (default: all cores)")
    p.add_argument("--scheduler", default=None, help="a Dask scheduler address, or 'local'")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(run=_run_relaxation_gap)


def _run_relaxation_gap(args):
    import csv
    import os

    from .certificates import write_json
    from .numeric.relaxation import plot_summary, summarize
    from .numeric.sweep import sweep
    from .relaxation import dimension_for, gap_experiment, gates_for

    ns = int_list(args.n, "--n")
    dims, samples = text_list(args.d, "--d"), text_list(args.samples, "--samples")
    for n in ns:  # validate every rule before starting
        for rule in dims:
            dimension_for(rule, n)
        for rule in samples:
            gates_for(rule, n)
    if args.seeds < 1:
        raise ReluscapeError(f"--seeds {args.seeds} must be >= 1")
    common = {
        "labels": args.labels,
        "tau": args.tau,
        "exact_max_n": args.exact_max_n,
        "reference_gates": args.reference_gates,
        "max_patterns": args.max_patterns,
        "gd_runs": args.gd_runs,
        "gd_steps": args.gd_steps,
        "gd_alpha": args.gd_alpha,
        "gd_width": args.gd_width,
    }
    items = [
        {"n": n, "dims": rule, "samples": k, "seed": seed, **common}
        for rule in dims
        for k in samples
        for n in ns
        for seed in range(args.seeds)
    ]
    out = os.path.join(args.out, "relaxation_gap.jsonl")
    print(f"{len(items)} instances -> {out}", flush=True)
    results = sweep(
        gap_experiment, items, out=out, workers=args.workers, scheduler=args.scheduler, progress=not args.no_progress
    )
    rows = summarize(results)
    write_json(os.path.join(args.out, "summary.json"), rows)
    columns = [k for k in rows[0] if k not in ("d", "gates")] if rows else []
    with open(os.path.join(args.out, "summary.csv"), "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    print(
        f"{'samples':>8s} {'d':>5s} {'n':>6s} {'seeds':>5s} {'ratio median [lo, hi]':>24s} {'hi q10-q90':>17s}"
        f" {'sqrt(log 2n)':>12s} {'c0 sqrt(log 2n)':>15s} {'GD reach':>8s}"
    )
    for r in rows:
        reach = "-" if "gd_reach" not in r else f"{r['gd_reach']:.2f}"
        d = r["dims"] if len(r["d"]) > 1 or r["dims"] != str(r["d"][0]) else str(r["d"][0])
        print(
            f"{r['samples']:>8s} {d:>5s} {r['n']:>6d} {r['seeds']:>5d} "
            f"{'[' + format(r['ratio_lo_median'], '.4f') + ', ' + format(r['ratio_hi_median'], '.4f') + ']':>24s} "
            f"{format(r['ratio_hi_q10'], '.3f') + '-' + format(r['ratio_hi_q90'], '.3f'):>17s} "
            f"{r['sqrt_log_2n']:12.4f} {r['reference']:15.4f} {reach:>8s}"
        )
    picture = plot_summary(rows, os.path.join(args.out, "relaxation_gap.png")) if rows else None
    print(f"wrote {os.path.join(args.out, 'summary.json')}, summary.csv" + (", relaxation_gap.png" if picture else ""))
    return 0






# ---------------------------------------------------------------------------------------------
# train


def _add_train(sub):
    p = sub.add_parser(
        "train",
        help="gradient descent on a data file",
        description="Train the two-layer ReLU network F = 1/2 ||sum_j (X w_j)_+ a_j - y||^2 + beta/2 sum_j "
        "(||w_j||^2 + a_j^2) by gradient descent from a balanced random initialization (w_j ~ N(0, "
        "s^2 I), a_j = +-||w_j||), in floats. Prints the loss as it goes and the final loss; --certify "
        "compares it with the certified global optimum p* (small data).",
    )
    p.add_argument("data", help="CSV file: features, then the label (see --label-column)")
    p.add_argument("--beta", required=True, help="weight decay beta > 0, exact (e.g. 1/2)")
    p.add_argument("--m", type=int, required=True, help="width (number of neurons)")
    p.add_argument("--init-scale", type=float, default=1e-3, help="initialization scale s (default 1e-3)")
    p.add_argument("--steps", type=int, default=10000, help="gradient-descent steps (default 10000)")
    p.add_argument("--lr", type=float, default=None, help="a fixed step size (default: re-estimated every --log-every steps)")
    p.add_argument("--runs", type=int, default=1, help="independent runs (batched); the best is kept")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--device",
        default="cpu",
        help="cpu (numpy, default), torch (torch on the CPU), cuda or cuda:K (torch on a GPU)",
    )
    p.add_argument("--dtype", default="float64", choices=("float64", "float32"))
    p.add_argument("--label-column", type=int, default=-1, help="column of the label (default: last)")
    p.add_argument("--log-every", type=int, default=None, help="print the loss every this many steps (default: 10 times)")
    p.add_argument("--out", help="write the final network (JSON: W, a, loss, settings) here")
    p.add_argument("--certify", action="store_true", help="also certify p* and report F - p*")
    p.set_defaults(run=_run_train)


def _run_train(args):
    import time

    import numpy as np

    from .certificates import write_json
    from .data import Dataset
    from .numeric.backend import get_backend
    from .numeric.nonconvex import init_params, loss
    from .numeric.relaxation import descend

    data = Dataset.from_csv(args.data, args.beta, label_column=args.label_column)
    for name, value, low in (("--m", args.m, 1), ("--steps", args.steps, 0), ("--runs", args.runs, 1)):
        if value < low:
            raise ReluscapeError(f"{name} {value} must be >= {low}")
    if not args.init_scale > 0 or (args.lr is not None and not args.lr > 0):
        raise ReluscapeError("--init-scale and --lr must be > 0")
    device = None if args.device == "cpu" else args.device
    try:
        backend = get_backend(device, dtype=args.dtype)
    except ModuleNotFoundError as err:
        raise ReluscapeError(str(err)) from err
    W, a = init_params(args.m, data.d, batch=args.runs, alpha=args.init_scale, seed=args.seed)
    every = args.log_every or max(1, args.steps // 10)
    chunks = max(1, -(-args.steps // every))
    where = "numpy" if device is None else f"torch {backend.device}"
    lr = "adaptive" if args.lr is None else f"{args.lr:g}"
    print(f"n = {data.n}, d = {data.d}, beta = {data.beta}; width {args.m}, {args.runs} run(s) on {where} ({args.dtype}), step {lr}")
    print(f"  step {0:>8d}: F = {np.min(loss(data, None, None, W, a)):.10g}", flush=True)
    t0 = time.perf_counter()
    res = descend(
        data, None, None, W, a, steps=args.steps, lr=args.lr, chunks=chunks, device=backend, dtype=args.dtype,
        callback=lambda done, F: print(f"  step {done:>8d}: F = {F.min():.10g}", flush=True),
    )
    seconds = time.perf_counter() - t0
    F = res.losses[:, -1]
    best = int(F.argmin())
    print(f"final loss F = {F[best]:.12g} (best of {args.runs}; last step {res.lr:.3g}; {seconds:.2f} s)")
    if args.certify:
        from .optimum import optimal_set

        opt = optimal_set(data)
        lo, hi = opt.value_interval
        excess = F[best] - float(lo)
        print(f"certified p* in [{decimal(lo, 14)}, {decimal(hi, 14)}] ({opt.kind}); F - p* <= {excess:.3e}")
    if args.out:
        write_json(
            args.out,
            {
                "W": res.W[best].tolist(),
                "a": res.a[best].tolist(),
                "loss": float(F[best]),
                "beta": str(data.beta),
                "data": args.data,
                "steps": args.steps,
                "lr": None if args.lr is None else args.lr,
                "init_scale": args.init_scale,
                "seed": args.seed,
                "device": args.device,
                "dtype": args.dtype,
            },
        )
        print(f"wrote {args.out}")
    return 0
