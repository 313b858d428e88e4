"""Benchmark: benign-width curves, exact census against theory, and the float reproduction.

Two datasets: orthonormal rows with one-signed labels (necessity, Cor 3.4: the fraction follows
1 - (1 - 2^(-n-1))^m exactly) and Gaussian-like rational data (sufficiency, Thm 2.5). For each
width the census samples regions i.i.d. uniformly (see docs/region_census.md) through
exact.numeric.sweep (checkpointed under --out: a rerun resumes), and prints the sampled fraction,
its interval, the exact inclusion-exclusion fraction, the exact crossing width m_eps and the
scale N_act log(k/eps); then projected GD inside sampled regions against the certified CP(A).

    python bench/census.py                        # 1000 regions per width
    python bench/census.py --samples 200 --plot curves.png
"""

import argparse
import time
from fractions import Fraction


def datasets(n_orth, n_gauss, d_gauss):
    from exact import Dataset
    from exact.relaxation import gaussian_dataset

    orth = Dataset([[int(i == k) for i in range(n_orth)] for k in range(n_orth)], [1] * n_orth, "1/2")
    return {f"orthogonal n={n_orth}, y=1": orth, f"gaussian n={n_gauss} d={d_gauss}": gaussian_dataset(n_gauss, d_gauss, seed=0)}


def main():
    from exact.region_census import descent_agreement, region_landscape, theory_curve, width_curve

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--samples", type=int, default=1000)
    ap.add_argument("--widths", default="2,4,8,16,32,64,128")
    ap.add_argument("--out", default="bench_census")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--descent", type=int, default=10)
    ap.add_argument("--steps", type=int, default=20000, help="gradient steps of the float reproduction")
    ap.add_argument("--plot")
    args = ap.parse_args()
    widths = [int(v) for v in args.widths.split(",")]
    eps = Fraction(1, 10)
    curves = []
    for label, data in datasets(4, 6, 2).items():
        t0 = time.perf_counter()
        L = region_landscape(data)
        theory = theory_curve(L, [], eps)
        rows = width_curve(data, widths, samples=args.samples, seed=0, out=f"{args.out}/{label.replace(' ', '_')}.jsonl",
                           workers=args.workers, progress=False)
        print(f"\n{label}: N_act = {L.n_act}, p* {L.optimum.kind}, k = {theory['k']}; m_eps = {theory['crossing']}, "
              f"N_act log(k/eps) = {theory['scale']}, with k = n+1: {theory['paper_scale']}  ({time.perf_counter() - t0:.1f} s)")
        print("| m | regions | contain | 95% CI | exact | true spurious | undecided | sets decided | seconds |")
        print("|---|---|---|---|---|---|---|---|---|")
        for r in rows:
            lo, hi = (float(Fraction(v)) for v in r["intervals"]["contains_global"])
            print(f"| {r['m']} | {r['regions']} | {float(Fraction(r['fractions']['contains_global'])):.4f} | [{lo:.4f}, {hi:.4f}] | "
                  f"{float(Fraction(r['expected_contains'])):.4f} | {r['true_spurious']} | {r['undecided']} | {r['distinct_sets']} | "
                  f"{r['seconds']:.1f} |")
        for m in (widths[0], widths[len(widths) // 2]):
            t = time.perf_counter()
            out = descent_agreement(data, m, samples=args.descent, seed=0, landscape=L, steps=args.steps)
            print(f"float reproduction m={m}: {out['agree']}/{out['regions']} end at CP(A), max rel. gap "
                  f"{out['max_rel_gap']:.1e}, median {out['median_rel_gap']:.1e} ({time.perf_counter() - t:.1f} s)")
        dense = theory_curve(L, range(1, max(widths) + 1), eps)["theory"]
        curves.append({"label": label, "rows": rows, "theory": dense, "crossing": theory["crossing"], "scale": theory["scale"]})
    if args.plot:
        from exact.numeric.census_plot import plot_width_curves

        plot_width_curves(curves, args.plot, eps=eps, title="benign width: sampled census vs exact fraction")
        print(f"wrote {args.plot}")


if __name__ == "__main__":
    main()
