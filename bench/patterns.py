"""Benchmark: exact activation patterns vs sampled gates.

Each case runs in a fresh process so that peak memory (ru_maxrss) is the case's own. Prints,
per case: the exact count and its time, the sweep enumeration with exactly verified witnesses
(time, peak memory), an independent re-verification of every witness, and the Gaussian
gate sampler given the same wall time (fraction of the exact patterns it finds).
The baseline for ratios is measured in the same run.

    python bench/patterns.py            # all cases
    python bench/patterns.py --quick    # small cases only
"""

import argparse
import json
import resource
import subprocess
import sys
import time

CASES = {  # name: (n, d, entry bound, seed)
    "n1000_d3": (1000, 3, 1000, 0),
    "n200_d4": (200, 4, 10**4, 0),
    "n100_d3": (100, 3, 1000, 1),
    "n60_d3_methods": (60, 3, 1000, 2),
}
QUICK = ("n100_d3", "n60_d3_methods")


def data(n, d, bound, seed):
    import numpy as np

    return np.random.default_rng(seed).integers(-bound, bound + 1, (n, d)).tolist()


def run_case(name):
    from exact import count_patterns, cover_count, enumerate_patterns
    from exact.numeric.sampling import sampling_coverage

    n, d, bound, seed = CASES[name]
    X = data(n, d, bound, seed)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = {"case": name, "n": n, "d": d, "cover": cover_count(n, d)}
    t = time.perf_counter()
    out["count"] = count_patterns(X)
    out["count_s"] = time.perf_counter() - t
    t = time.perf_counter()
    pats = enumerate_patterns(X)
    out["enumerate_s"] = time.perf_counter() - t
    out["patterns"] = len(pats)
    out["peak_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
    t = time.perf_counter()
    pats.verify()
    out["verify_s"] = time.perf_counter() - t
    if name.endswith("methods"):
        t = time.perf_counter()
        other = enumerate_patterns(X, method="deletion_restriction")
        out["deletion_restriction_s"] = time.perf_counter() - t
        assert other == pats
    rep = sampling_coverage(pats, seconds=out["enumerate_s"], seed=seed)
    out["sampled_directions"] = rep.drawn
    out["sampled_fraction"] = rep.fraction
    out["sampled_spurious"] = rep.spurious
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true")
    p.add_argument("--case")
    args = p.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case)))
        return
    names = QUICK if args.quick else tuple(CASES)
    print(f"{'case':16s} {'P':>9s} {'=Cover':>6s} {'count s':>8s} {'enum s':>7s} {'peak MB':>8s} "
          f"{'verify s':>8s} {'sampler (same time)':>24s}  other")
    for name in names:
        proc = subprocess.run([sys.executable, __file__, "--case", name], capture_output=True, text=True, check=True)
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        other = ""
        if "deletion_restriction_s" in r:
            other = f"deletion-restriction {r['deletion_restriction_s']:.2f} s ({r['deletion_restriction_s'] / r['enumerate_s']:.0f}x sweep)"
        print(
            f"{name:16s} {r['patterns']:9d} {str(r['patterns'] == r['cover']):>6s} {r['count_s']:8.2f} "
            f"{r['enumerate_s']:7.2f} {r['peak_mb']:8.0f} {r['verify_s']:8.2f} "
            f"{100 * r['sampled_fraction']:6.1f}% of P, {r['sampled_directions']:>9d} dirs  {other}",
            flush=True,
        )


if __name__ == "__main__":
    main()
