"""Benchmark: the certified convex optimum vs float solvers on the same instances.

For generic integer data (n samples, d = 3, labels in [-5, 5], beta = 1/2) it times, in one
run: pattern enumeration, the exact certified optimum (``optimal_set``: kind and width of the
certified value interval), the stdlib checker on its certificate, our Clarabel SOCP proposal,
and cvxpy + Clarabel over all patterns when cvxpy is installed (the ``cvx`` extra). Memory is the
process's peak resident size after the exact phase (with its checker) and after cvxpy, in
that order (sizes run in increasing order, so each peak covers the smaller runs too).

    python bench/convex.py              # n = 10, 20, 40
    python bench/convex.py --n 10,100   # other sizes
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


def run(n):
    from exact import enumerate_patterns
    from exact.checker import check_certificate
    from exact.numeric.socp import solve_socp
    from exact.optimum import optimal_set

    data = instance(n)
    row = {"n": n}
    t = time.perf_counter()
    pats = enumerate_patterns(data.X)
    row["patterns"] = len(pats)
    row["enumerate_s"] = time.perf_counter() - t
    Xf = [[float(a) for a in r] for r in data.X]
    yf = [float(a) for a in data.y]
    t = time.perf_counter()
    sol = solve_socp(Xf, yf, 0.5, pats.D, walls=pats.walls)
    row["clarabel_s"] = time.perf_counter() - t
    row["clarabel_value"] = sol.value
    t = time.perf_counter()
    opt = optimal_set(data, patterns=pats, proposal=sol)
    row["exact_s"] = time.perf_counter() - t
    lo, hi = opt.value_interval
    row["kind"] = opt.kind
    row["width"] = float(hi - lo)
    row["value"] = float((lo + hi) / 2)
    cert = opt.certificate()
    t = time.perf_counter()
    row["checked"] = check_certificate(json.loads(json.dumps(cert))).ok
    row["check_s"] = time.perf_counter() - t
    row["mb_exact"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        from exact.numeric.convex import solve_convex

        t = time.perf_counter()
        ref = solve_convex(Xf, yf, 0.5, pats.D, method="cvxpy", tol=1e-9)
        row["cvxpy_s"] = time.perf_counter() - t
        row["cvxpy_value"] = ref.value
    except ModuleNotFoundError:
        row["cvxpy_s"] = None
    row["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return row


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--n", default="10,20,40")
    args = p.parse_args()
    print(f"{'n':>4} {'P':>6} {'enum s':>7} {'Clarabel s':>10} {'exact s':>8} {'kind':>10} {'width':>9} "
          f"{'check s':>8} {'ok':>3} {'cvxpy s':>8} {'exact/Clarabel':>14} {'MB exact':>9} {'MB cvxpy':>9}")
    for n in (int(v) for v in args.n.split(",")):
        r = run(n)
        cv = "-" if r["cvxpy_s"] is None else f"{r['cvxpy_s']:.2f}"
        print(
            f"{r['n']:4d} {r['patterns']:6d} {r['enumerate_s']:7.2f} {r['clarabel_s']:10.2f} {r['exact_s']:8.2f} "
            f"{r['kind']:>10} {r['width']:9.1e} {r['check_s']:8.2f} {'yes' if r['checked'] else 'NO':>3} {cv:>8} {r['exact_s'] / r['clarabel_s']:14.1f} "
            f"{r['mb_exact']:9.0f} {r['peak_mb']:9.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
