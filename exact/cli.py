"""The ``reluscape`` command.

Subcommands (``reluscape COMMAND --help`` for each):

``verify``   run every registered claim on its built-in instance; one row per claim (``--resume FILE``
             keeps finished verdicts across interrupts, ``--no-timing`` gives byte-identical reports)
``regions``  activation patterns of a data file: count, and patterns with witnesses as JSON
``check``    re-verify a JSON certificate with the trusted checker
``solve``    the certified global optimum of the convex problem for a data file
``landscape`` the optimal polytope, critical widths m*, M*, and the optimal set's components

Further commands are modules of :mod:`exact.commands` (one file per command, discovered).

Errors in the input are printed as one line (``error: ...``) with exit status 2;
``--debug`` shows the traceback instead.
"""

import argparse
import json
import sys
from collections import deque

from .commands import add_all, decimal, exact_text
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
    for add in (_add_verify, _add_regions, _add_check, _add_solve, _add_landscape, _add_family):
        add(sub)
    add_all(sub)
    return p


# ---------------------------------------------------------------------------------------------
# verify


def _add_verify(sub):
    p = sub.add_parser(
        "verify",
        help="run the registered claims on their built-in instances",
        description="Run the registered claims: exact check, trusted checker, float cross-check. "
        "With --resume FILE each finished verdict is appended to FILE at once (a JSON line, flushed "
        "to disk), and a rerun of the same command skips the claims already there: an interrupted "
        "run (Ctrl-C) loses only the claim it was running. FILE records --no-numeric, which changes "
        "verdicts; a rerun with other options is refused.",
    )
    p.add_argument("names", nargs="*", help="claims to run (default: all)")
    p.add_argument("--all", action="store_true", help="include slow claims")
    p.add_argument("--list", action="store_true", help="list the claims and exit")
    p.add_argument("--json", action="store_true", help="print the verdicts as JSON")
    p.add_argument("--no-numeric", action="store_true", help="skip the float cross-checks")
    p.add_argument("--resume", metavar="FILE", help="keep finished verdicts in FILE (JSON lines) and skip those already there")
    p.add_argument("--no-timing", action="store_true", help="leave the seconds out of the report (byte-identical reruns)")
    p.set_defaults(run=_run_verify)


def _run_verify(args):
    from . import report
    from .claims import all_claims, run_claim
    from .numeric.sweep import sweep

    claims = all_claims(include_slow=args.all or bool(args.names))
    if args.list:
        for c in claims:
            print(f"{c.name:40s} {c.reference}\n    {c.statement}")
        return 0
    known = {c.name for c in claims}
    unknown = [n for n in args.names if n not in known]
    if unknown:
        raise ReluscapeError(f"no claim named {', '.join(map(repr, unknown))}; see `reluscape verify --list`")
    names = [c.name for c in claims if not args.names or c.name in args.names]
    timing, table = not args.no_timing, not args.json
    options = sorted(flag for dest, flag in _VERDICT_OPTIONS.items() if getattr(args, dest))
    done = {} if args.resume is None else _resumed_verdicts(args.resume, options)
    resumed = sum(name in done for name in names)
    if resumed:
        print(f"resuming from {args.resume}: {resumed} of {len(names)} claims already finished", file=sys.stderr)
    if table:
        print(report.header(timing=timing))
    unshown = deque(names)  # table rows still to print, in claim order

    def show_finished():
        while unshown and unshown[0] in done:
            print(report.verdict_row(done[unshown.popleft()], timing=timing), flush=True)

    def finish(name):
        if table:
            show_finished()  # resumed claims before this one
        done[name] = v = run_claim(name, crosscheck=not args.no_numeric)
        if table:
            show_finished()
        return dict(report.verdict_json(v), options=options)

    try:
        if args.resume is None:
            records = [finish(name) for name in names]
        else:
            records = sweep(finish, names, out=args.resume, workers=1, progress=False, key=str)
    except KeyboardInterrupt:
        if args.resume is None:
            print("interrupted; with --resume FILE finished claims are kept and a rerun continues", file=sys.stderr)
        else:
            kept = len(_resumed_verdicts(args.resume, options).keys() & set(names))
            print(
                f"interrupted: {kept} of {len(names)} claims finished and kept in {args.resume}; "
                "run the same command again to resume",
                file=sys.stderr,
            )
        return 130
    if table:
        show_finished()  # resumed claims after the last one run
    verdicts = [report.verdict_from_json(r) for r in records]
    if args.json:
        print(json.dumps([report.verdict_json(v, timing=timing) for v in verdicts], indent=2))
    else:
        print(report.summary(verdicts))
    return 0 if all(v.holds for v in verdicts) else 1


# The options of ``verify`` that change verdicts (argparse dest -> flag). A resume file records
# the ones given with each verdict, and a run with other ones refuses it: its verdicts would mix
# claims checked with and without float cross-checks.
_VERDICT_OPTIONS = {"no_numeric": "--no-numeric"}


def _resumed_verdicts(path, options):
    """``{claim: Verdict}`` of a ``verify --resume`` file (``{}`` if missing), every verdict
    recorded with the verdict-changing flags ``options``, else a one-line ReluscapeError."""
    from . import report
    from .numeric.sweep import read_results

    try:
        records = read_results(path, what="verify --resume record")
    except OSError as err:
        raise ReluscapeError(f"--resume {path}: {err.strerror}") from err
    verdicts = {}
    for name, record in records.items():
        verdicts[name] = report.verdict_from_json(record)
        recorded = record.get("options")
        if not (isinstance(recorded, list) and all(isinstance(flag, str) for flag in recorded)):
            raise ReluscapeError(f"--resume {path}: the verdict of {name} records no options; use another file")
        if sorted(recorded) != options:
            diff = [f"{'with' if flag in recorded else 'without'} {flag}" for flag in sorted(set(recorded) ^ set(options))]
            raise ReluscapeError(
                f"--resume {path}: {name} was verified {' and '.join(diff)}, unlike this run; "
                "rerun with the file's options or use another file"
            )
    return verdicts


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
    p.add_argument("--outputs", type=int, default=1, metavar="C", help="c outputs: the last C columns are the labels (default 1)")
    p.add_argument("--architecture", choices=("two-layer", "parallel3"), default="two-layer", help="network (default two-layer)")
    p.add_argument("--m1", type=int, default=2, help="parallel3: first-layer neurons per branch (default 2)")
    p.add_argument("--dps", type=int, default=60, help="digits of the high-precision solve")
    p.set_defaults(run=_run_solve)


def _run_solve(args):
    from .certificates import write_json
    from .data import Dataset
    from .optimum import optimal_set

    if args.outputs != 1 or args.architecture != "two-layer":
        return _run_extension(args, landscape=False)
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
    p.add_argument("--outputs", type=int, default=1, metavar="C", help="c outputs: the last C columns are the labels (default 1)")
    p.add_argument("--architecture", choices=("two-layer", "parallel3"), default="two-layer", help="network (default two-layer)")
    p.add_argument("--m1", type=int, default=2, help="parallel3: first-layer neurons per branch (default 2)")
    p.add_argument("--no-stationary", action="store_true", help="skip the stationary points (exhaustive search)")
    p.set_defaults(run=_run_landscape)


def _run_landscape(args):
    import networkx as nx

    from .certificates import write_json
    from .data import Dataset
    from .solution_set import critical_widths
    from .topology import optimal_set_graph, staircase

    if args.outputs != 1 or args.architecture != "two-layer":
        return _run_extension(args, landscape=True)
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


def _run_extension(args, *, landscape):
    """``solve`` / ``landscape`` for ``--outputs c`` (math §9.2) or ``--architecture parallel3`` (§9.3)."""
    from .certificates import write_json
    from .data import Dataset, read_csv_table
    from .extensions import parallel3, vector

    if args.outputs < 1:
        raise ReluscapeError(f"--outputs {args.outputs} must be >= 1")
    if args.architecture == "parallel3":
        if args.outputs != 1:
            raise ReluscapeError("--architecture parallel3 has one output; drop --outputs")
        data = Dataset.from_csv(args.data, args.beta, label_column=args.label_column)
        opt = parallel3.optimal_set(data, args.m1)
        lo, hi = opt.value_interval
        print(f"parallel three-layer network, m1 = {args.m1}: n = {data.n}, d = {data.d}, {len(opt.blocks)} blocks")
        print(f"optimum ({opt.kind}): p* = {exact_text(opt.value)}\n  in [{decimal(lo)}, {decimal(hi)}]")
        if opt.kind != "rational":
            print(f"  (no exact proof: {opt.result.reason})")
        else:
            for W1, w2, w3 in opt.network():
                print(f"  branch w3 = {exact_text(w3)}, w2 = {[exact_text(v) for v in w2]}, W1 = {[[exact_text(c) for c in w] for w in W1]}")
        if landscape:
            m, M = parallel3.critical_widths(data, args.m1, optimum=opt)
            print(f"m* = {m}, M* = {M} (branches, modulo rescaling)")
            for width in args.m or range(max(m, 1), M + 2):
                print(f"  {width} branches: {parallel3.optimal_set_components(data, width, args.m1, optimum=opt)} components")
        if args.cert:
            cert = opt.certificate()
            write_json(args.cert, cert)
            print(f"wrote {args.cert} ({cert['schema']}, method {cert['method']})")
        return 0
    rows = [cells for _, cells in read_csv_table(args.data)]
    c = args.outputs
    if c >= len(rows[0]):
        raise ReluscapeError(f"--outputs {c} leaves no feature column in a {len(rows[0])}-column file")
    data = vector.VectorData([r[:-c] for r in rows], [r[-c:] for r in rows], args.beta)
    opt = vector.optimal_set(data)
    lo, hi = opt.value_interval
    print(f"vector outputs: n = {data.n}, d = {data.d}, c = {data.c}, beta = {data.beta}")
    print(f"optimum ({opt.kind}): p* = {exact_text(opt.value)}\n  in [{decimal(lo)}, {decimal(hi)}]")
    if opt.proof_reason:
        print(f"  (no exact proof: {opt.proof_reason})")
    for row in opt.Lam:
        print("Lambda* row (" + ", ".join(exact_text(v) for v in row) + ")")
    for a in opt.atoms:
        print(f"  atom pattern {''.join(map(str, a.D))}: p = (" + ", ".join(exact_text(v) for v in a.p) + f"), kappa = {exact_text(a.kappa)}")
    if landscape:
        widths = vector.critical_widths(data, optimum=opt)
        print(f"m* = {widths.m_star}, M* = {widths.M_star}")
        print(f"{'m':>4} {'components':>10} {'points':>7} {'non-singleton':>14} {'connected':>10}")
        for r in vector.staircase(data, args.m, polytope=widths.polytope):
            print(f"{r['m']:4d} {r['components']:10d} {r['points']:7d} {str(r['nonsingleton']):>14} {str(r['connected']):>10}")
    if args.cert:
        cert = opt.certificate()
        write_json(args.cert, cert)
        print(f"wrote {args.cert} ({cert['schema']}, method {cert['method']})")
    return 0
