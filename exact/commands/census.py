r"""``reluscape census``: how much width makes the weight-decay landscape benign on a data file.

For each width :math:`m` it samples constant activation regions the way [BBEL] do (each of
the :math:`m` neurons draws its signed pattern independently and uniformly from the
:math:`N_{\rm act}` signed patterns of the data; see :mod:`exact.region_census`), decides
exactly for each whether its closure contains a global minimum and whether it holds a
spurious true local minimum, and prints exact counts with Clopper–Pearson intervals beside the
exact fraction (inclusion–exclusion over the optimal polytope's atoms), the exact crossing width
:math:`m_\varepsilon` and the sufficiency scale :math:`N_{\rm act}\log(k/\varepsilon)`.
"""

import importlib.util
from fractions import Fraction

from . import decimal, exact_text, int_list
from ..errors import ReluscapeError

__all__ = ["add"]


def add(sub):
    """Register ``census`` with the sub-parsers ``sub``."""
    p = sub.add_parser(
        "census",
        help="fraction of activation regions holding a global minimum, against the width",
        description="Sample constant activation regions uniformly (i.i.d. signed patterns per neuron), "
        "decide exactly whether each contains a global minimum or a spurious local minimum, and "
        "compare the fractions with the exact inclusion-exclusion formula and the N_act log(k/eps) scale.",
    )
    p.add_argument("data", help="CSV file: features, then the label (see --label-column)")
    p.add_argument("--beta", required=True, help="weight decay beta > 0, exact (e.g. 1/2)")
    p.add_argument("--m", default="4,8,16,32", help="widths, comma-separated (default 4,8,16,32)")
    p.add_argument("--samples", type=int, default=2000, help="regions sampled per width (default 2000)")
    p.add_argument("--seed", type=int, default=0, help="seed of the region sampler (default 0)")
    p.add_argument("--exhaustive", action="store_true", help="count all N_act^m regions instead of sampling")
    p.add_argument("--eps", default="1/10", help="level 1 - eps of the crossing width and scale (default 1/10)")
    p.add_argument("--level", default="95/100", help="confidence level of the intervals (default 95/100)")
    p.add_argument("--label-column", type=int, default=-1, help="column of the label (default: last)")
    p.add_argument("--out", help="JSON-lines checkpoint: run the widths through exact.numeric.sweep (resumable)")
    p.add_argument("--workers", type=int, help="processes of the sweep (with --out; default: all cores)")
    p.add_argument("--scheduler", help="Dask scheduler address for the sweep (with --out; the distributed extra)")
    p.add_argument("--descent", type=int, default=0, metavar="K",
                   help="float reproduction: projected gradient descent in the first K sampled regions per width")
    p.add_argument("--json", help="write the census rows and the theory as JSON here")
    p.add_argument("--plot", help="draw the width curve into this image (needs the plots extra)")
    p.set_defaults(run=_run)


def _run(args):
    from ..certificates import write_json
    from ..data import Dataset, as_rational
    from ..region_census import descent_agreement, region_landscape, theory_curve, width_curve

    widths = int_list(args.m, "--m")
    if args.plot and importlib.util.find_spec("matplotlib") is None:
        raise ReluscapeError("--plot needs matplotlib; install the plots extra: pip install 'reluscape[plots]'")
    if (args.workers is not None or args.scheduler) and not args.out:
        raise ReluscapeError("--workers and --scheduler run the sweep; give its checkpoint file with --out")
    if args.descent < 0:
        raise ReluscapeError(f"--descent {args.descent}: expected an integer >= 0")
    eps = as_rational(args.eps, "--eps")
    level = as_rational(args.level, "--level")
    data = Dataset.from_csv(args.data, args.beta, label_column=args.label_column)
    L = region_landscape(data)
    opt = L.optimum
    print(f"n = {data.n}, d = {data.d}, beta = {data.beta}: N_act = {L.n_act} signed patterns "
          f"({L.n_act // 2} activation patterns, both output signs)")
    print(f"optimum ({opt.kind}): p* = {exact_text(opt.value)}; {len(L.holders)} tight atoms, "
          f"{len(L.vertices)} vertices of the optimal polytope")
    mode = "all regions (exhaustive)" if args.exhaustive else f"{args.samples} regions per width, i.i.d. uniform signed patterns, seed {args.seed}"
    print(f"census: {mode}")
    try:
        if args.out:
            rows = width_curve(data, widths, samples=args.samples, seed=args.seed, exhaustive=args.exhaustive,
                               level=level, out=args.out, workers=args.workers, scheduler=args.scheduler, progress=False)
        else:
            rows = width_curve(data, widths, samples=args.samples, seed=args.seed, exhaustive=args.exhaustive,
                               level=level, landscape=L)
    except ModuleNotFoundError as err:
        raise ReluscapeError(str(err)) from err
    theory = theory_curve(L, _dense(widths), eps)
    ci = f"{level * 100}% CI"
    print(f"{'m':>5} {'regions':>9} {'contain global':>15} {ci:>19} {'exact':>8} {'true spurious':>14} {ci:>19} {'undecided':>9}")
    for r in rows:
        c, s = r["intervals"]["contains_global"], r["intervals"]["true_spurious"]
        print(f"{r['m']:5d} {r['regions']:9d} {_frac(r['fractions']['contains_global']):>15} {_pair(c):>19} "
              f"{_frac(r['expected_contains']):>8} {_frac(r['fractions']['true_spurious']):>14} {_pair(s):>19} {r['undecided']:9d}")
    if min(widths) < theory["k"]:
        print(f"note: below m* = {theory['k']} no region reaches p* (its minima are counted as spurious against p*)")
    print(f"exact crossing: the fraction reaches 1 - eps = {1 - eps} at m = {theory['crossing']}")
    print(f"sufficiency scale (Thm 2.5): N_act log(k/eps) = {theory['scale']} with k = {theory['k']} atoms; "
          f"with k = n + 1: {theory['paper_scale']}")
    descent = []
    if args.descent:
        for m in widths:
            out = descent_agreement(data, m, samples=args.descent, seed=args.seed, landscape=L)
            out = {k: v for k, v in out.items() if k not in ("values", "references")} | {"m": m}
            descent.append(out)
            print(f"float reproduction, m = {m}: {out['agree']}/{out['regions']} descents end at CP(A) "
                  f"(max rel. gap {out['max_rel_gap']:.2e}, median {out['median_rel_gap']:.2e})")
    if args.json:
        write_json(args.json, {
            "data": args.data,
            "beta": str(data.beta),
            "n_act": L.n_act,
            "eps": str(eps),
            "rows": rows,
            "theory": [[m, str(v)] for m, v in theory["theory"]],
            "crossing": theory["crossing"],
            "scale": theory["scale"],
            "k": theory["k"],
            "paper_scale": theory["paper_scale"],
            "descent": descent,
        })
        print(f"wrote {args.json}")
    if args.plot:
        from ..numeric.census_plot import plot_width_curves

        curve = {"label": args.data, "rows": rows, "theory": theory["theory"], "crossing": theory["crossing"], "scale": theory["scale"]}
        plot_width_curves([curve], args.plot, eps=eps, title=f"{args.data}, beta = {data.beta}")
        print(f"wrote {args.plot}")
    return 0


def _dense(widths):
    """Widths 1..max(widths) thinned geometrically, plus the requested ones (for the exact curve)."""
    top, out, m = max(widths), set(widths), 1
    while m <= top:
        out.add(m)
        m = max(m + 1, int(m * 1.15))
    return sorted(out)


def _frac(text):
    """A ``"p/q"`` fraction as a 4-digit decimal."""
    return decimal(Fraction(text), 4)


def _pair(pair):
    return f"[{_frac(pair[0])}, {_frac(pair[1])}]"
