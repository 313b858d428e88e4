"""Benchmark: the certified convex optimum vs float solvers on the same instances.

For generic integer data (n samples, d = 3, labels in [-5, 5], beta = 1/2) it times, in one
run: pattern enumeration, the exact certified optimum (``optimal_set``: kind and width of the
certified value interval), the stdlib checker on its certificate, our Clarabel SOCP proposal,
and cvxpy + Clarabel over all patterns when cvxpy is installed (the ``cvx`` extra). Memory is the
process's peak resident size after the exact phase (with its checker) and after cvxpy, in
that order (sizes run in increasing order, so each peak covers the smaller runs too).

    python bench/convex.py              # n = 10, 20, 40
    python bench/convex.py --n 10,100   # other sizes
    python bench/convex.py --n 100 --seeds 0-9   # one size, several instances
    python bench/convex.py --regions 1000        # the region structures alone at large n

``--regions`` times what every size needs before any solve: the regions (sweep), their walls
(facets of the arrangement), the spanning tree of the region graph, and one pricing sum
:math:`X^\top D_s\nu` for all regions along the tree against the chunked product ``D @ (nu X)``.
"""

import argparse
import json
import random
import resource
import time


def instance(n, d=3, seed=0):
    from exact import Dataset

    rng = random.Random(seed)
    X = [[rng.randint(-10, 10) for _ in range(d)] for _ in range(n)]
    y = [rng.randint(-5, 5) for _ in range(n)]
    return Dataset(X, y, "1/2")


def run(n, seed=0, baseline=True, check=True):
    from exact import enumerate_patterns
    from exact.checker import check_certificate
    from exact.numeric.socp import STALL, solve_socp
    from exact.optimum import optimal_set

    data = instance(n, seed=seed)
    row = {"n": n, "seed": seed}
    t = time.perf_counter()
    pats = enumerate_patterns(data.X)
    pats.walls, pats.tree
    row["patterns"] = len(pats)
    row["enumerate_s"] = time.perf_counter() - t
    Xf = [[float(a) for a in r] for r in data.X]
    yf = [float(a) for a in data.y]
    t = time.perf_counter()
    sol = solve_socp(Xf, yf, 0.5, pats.D, walls=pats.walls, tree=pats.tree, stop=STALL)
    row["clarabel_s"] = time.perf_counter() - t
    row["clarabel_value"] = sol.value
    t = time.perf_counter()
    opt = optimal_set(data, patterns=pats, proposal=sol)
    row["exact_s"] = time.perf_counter() - t
    lo, hi = opt.value_interval
    row["kind"] = opt.kind
    row["width"] = float(hi - lo)
    row["value"] = float((lo + hi) / 2)
    text = json.dumps(opt.certificate())
    row["checked"] = row["check_s"] = None
    if check:
        t = time.perf_counter()
        row["checked"] = check_certificate(json.loads(text)).ok
        row["check_s"] = time.perf_counter() - t
    row["mb_exact"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    row["cvxpy_s"] = None
    if baseline:
        from exact.numeric.convex import solve_convex

        try:
            t = time.perf_counter()
            ref = solve_convex(Xf, yf, 0.5, pats.D, method="cvxpy", tol=1e-9)
            row["cvxpy_s"] = time.perf_counter() - t
            row["cvxpy_value"] = ref.value
        except ModuleNotFoundError:  # cvxpy is the optional "cvx" extra
            pass
    row["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return row


def regions(n):
    """Region structures at size ``n`` (no solve): seconds for each, and the pricing sums' ratio."""
    import numpy as np

    from exact import enumerate_patterns
    from exact.numeric.convex import pattern_sums

    data = instance(n)
    row = {"n": n}
    t = time.perf_counter()
    pats = enumerate_patterns(data.X)
    row["patterns"], row["enumerate_s"] = len(pats), time.perf_counter() - t
    t = time.perf_counter()
    pats.walls
    row["walls_s"] = time.perf_counter() - t
    t = time.perf_counter()
    tree = pats.tree
    row["tree_s"], row["depth"] = time.perf_counter() - t, len(tree.levels)
    D = pats.D
    V = np.array([[float(a) for a in r] for r in data.X]) * np.array([float(v) for v in data.y])[:, None]
    t = time.perf_counter()
    fast = pattern_sums(D, V, tree)
    row["tree_sum_s"] = time.perf_counter() - t
    t = time.perf_counter()
    slow = pattern_sums(D, V)
    row["product_sum_s"] = time.perf_counter() - t
    row["max_diff"] = float(np.abs(fast - slow).max())
    row["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return row


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--n", default="10,20,40")
    p.add_argument("--seeds", default="0", help="instances per size: '0', '0,3' or '0-9'")
    p.add_argument("--regions", default=None, help="sizes for the region structures alone (no solve)")
    p.add_argument("--no-cvxpy", action="store_true", help="skip the cvxpy + Clarabel baseline")
    p.add_argument("--no-check", action="store_true", help="build and serialize the certificate but skip the stdlib checker (hours at n = 1000)")
    args = p.parse_args()
    if args.regions:
        print(f"{'n':>5} {'P':>8} {'enum s':>7} {'walls s':>8} {'tree s':>7} {'depth':>6} {'tree sum s':>10} "
              f"{'D@V s':>7} {'ratio':>6} {'max diff':>9} {'MB':>6}")
        for n in (int(v) for v in args.regions.split(",")):
            r = regions(n)
            print(f"{r['n']:5d} {r['patterns']:8d} {r['enumerate_s']:7.2f} {r['walls_s']:8.2f} {r['tree_s']:7.2f} {r['depth']:6d} "
                  f"{r['tree_sum_s']:10.3f} {r['product_sum_s']:7.3f} {r['product_sum_s'] / r['tree_sum_s']:6.0f} "
                  f"{r['max_diff']:9.1e} {r['peak_mb']:6.0f}", flush=True)
        return
    lo, _, hi = args.seeds.partition("-")
    seeds = range(int(lo), int(hi) + 1) if hi else [int(v) for v in args.seeds.split(",")]
    print(f"{'n':>4} {'seed':>4} {'P':>6} {'enum s':>7} {'Clarabel s':>10} {'exact s':>8} {'kind':>10} {'width':>9} "
          f"{'check s':>8} {'ok':>3} {'cvxpy s':>8} {'exact/Clarabel':>14} {'MB exact':>9} {'MB cvxpy':>9}")
    for n in (int(v) for v in args.n.split(",")):
        for seed in seeds:
            r = run(n, seed, baseline=not args.no_cvxpy, check=not args.no_check)
            cv = "-" if r["cvxpy_s"] is None else f"{r['cvxpy_s']:.2f}"
            chk = "-" if r["check_s"] is None else f"{r['check_s']:.2f}"
            ok = "-" if r["checked"] is None else "yes" if r["checked"] else "NO"
            print(
                f"{r['n']:4d} {r['seed']:4d} {r['patterns']:6d} {r['enumerate_s']:7.2f} {r['clarabel_s']:10.2f} {r['exact_s']:8.2f} "
                f"{r['kind']:>10} {r['width']:9.1e} {chk:>8} {ok:>3} {cv:>8} "
                f"{r['exact_s'] / r['clarabel_s']:14.1f} {r['mb_exact']:9.0f} {r['peak_mb']:9.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
