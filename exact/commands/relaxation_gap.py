r"""``reluscape relaxation-gap``: the Kim-Pilanci sampled relaxation's gap p~*/p* over Gaussian data.

For each n, dimension rule, number of sampled gates and seed, a resumable sweep
(:func:`exact.numeric.sweep`) runs :func:`exact.relaxation.gap_experiment`: certified intervals
for :math:`p^*` and :math:`\tilde p^*` on small instances, float brackets above, and the final
losses of gradient descent from random starts (``math/benignity_and_relaxation.md`` §5). The
summary is tabulated against :math:`\sqrt{\log 2n}`.
"""

from ..errors import ReluscapeError
from . import int_list, text_list

__all__ = ["add", "run"]


def add(sub):
    p = sub.add_parser(
        "relaxation-gap",
        help="the Kim-Pilanci relaxation gap p~*/p* over Gaussian data",
        description="Measure the ratio p~*/p* of the convex problem restricted to the patterns of "
        "Gaussian gates to the global optimum, over Gaussian data, for each n, dimension rule, "
        "sample size and seed: certified intervals for n <= --exact-max-n, float brackets above. "
        "Also runs gradient descent from random starts ([KP] Thm 2.5): 'GD reach' is the fraction of runs "
        "ending within 1% of p*, 'GD own-opt' the fraction ending optimal on their own neurons' patterns "
        "(F = CP of those patterns, within 1%). Results are checkpointed to "
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
    p.set_defaults(run=run)


def run(args):
    import csv
    import os

    from ..certificates import write_json
    from ..numeric.relaxation import plot_summary, summarize
    from ..numeric.sweep import sweep
    from ..relaxation import dimension_for, gap_experiment, gates_for

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
        f" {'sqrt(log 2n)':>12s} {'c0 sqrt(log 2n)':>15s} {'GD reach':>8s} {'GD own-opt':>10s}"
    )
    for r in rows:
        reach = "-" if "gd_reach" not in r else f"{r['gd_reach']:.2f}"
        own = "-" if "gd_own_optimal" not in r else f"{r['gd_own_optimal']:.2f}"
        d = r["dims"] if len(r["d"]) > 1 or r["dims"] != str(r["d"][0]) else str(r["d"][0])
        print(
            f"{r['samples']:>8s} {d:>5s} {r['n']:>6d} {r['seeds']:>5d} "
            f"{'[' + format(r['ratio_lo_median'], '.4f') + ', ' + format(r['ratio_hi_median'], '.4f') + ']':>24s} "
            f"{format(r['ratio_hi_q10'], '.3f') + '-' + format(r['ratio_hi_q90'], '.3f'):>17s} "
            f"{r['sqrt_log_2n']:12.4f} {r['reference']:15.4f} {reach:>8s} {own:>10s}"
        )
    picture = plot_summary(rows, os.path.join(args.out, "relaxation_gap.png")) if rows else None
    print(f"wrote {os.path.join(args.out, 'summary.json')}, summary.csv" + (", relaxation_gap.png" if picture else ""))
    return 0
