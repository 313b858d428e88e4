"""Benchmark the symmetry-family pipeline: exact series, certified points, spectra, thresholds.

Prints one row per measurement: what, parameters, result, seconds. Every timing starts with
the caches as the previous rows left them; the series rows run first, each on a family not yet
seen, so they include the leading balance.

    python bench/symmetry.py                 # the figures in bench/RESULTS.md
    python bench/symmetry.py --kmax 20 --quick
"""

import argparse
import platform
import time

import mpmath

from exact.symmetry import (
    FAMILIES,
    certify_critical_point,
    critical_point,
    family_series,
    hessian_spectrum,
    is_local_minimum,
    threshold,
)


def timed(fn, *args, **kw):
    t0 = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kmax", type=int, default=50, help="certify k = 3..kmax (default 50)")
    ap.add_argument("--order", type=int, default=10, help="series order for family A (default 10)")
    ap.add_argument("--quick", action="store_true", help="skip the thresholds and the other families' series")
    args = ap.parse_args()
    print(f"# python {platform.python_version()}, mpmath {mpmath.__version__}, {platform.machine()}")

    print("\n## exact power series (coefficients in Q(pi), Q(pi)(sqrt 2))")
    ser, sec = timed(family_series, "A", args.order)
    print(f"series A order {args.order}: L = ({ser.loss[2]}) s^2 + ({ser.loss[3]}) s^3 + ...; {sec:.2f} s")
    if not args.quick:
        for name in ("Fk", "F1", "A2", "F2"):
            ser, sec = timed(family_series, name, 8)
            print(f"series {name} order 8: {sec:.2f} s")
        ser, sec = timed(family_series, "A", 14)
        print(f"series A order 14: {sec:.2f} s")

    print(f"\n## Krawczyk certificates, k = 3..{args.kmax} (dps 40, box radius 1e-20)")
    for name in FAMILIES:
        t0 = time.perf_counter()
        verified, reached = [], []
        for k in range(3, args.kmax + 1):
            try:
                cert = certify_critical_point(name, k, dps=40)
            except ValueError:
                continue
            reached.append(k)
            verified.append(cert.verified)
        sec = time.perf_counter() - t0
        span = f"{reached[0]}..{reached[-1]}" if reached else "-"
        print(f"certify {name}: k = {span}, {sum(verified)}/{len(reached)} verified; {sec:.1f} s ({sec / max(len(reached), 1):.2f} s per k)")

    print("\n## Hessian spectrum at k = 100 (isotypic decomposition, dps 30; then the arb decision)")
    for name in FAMILIES:
        critical_point(name, 100, dps=30)  # the point, so that the row times the spectrum
        spec, sec = timed(hessian_spectrum, name, 100, dps=30, rigorous=False)
        lam, irrep = spec.minimum
        minimum, sec2 = timed(is_local_minimum, name, 100)
        print(
            f"spectrum {name} k = 100: {len(spec.distinct())} eigenvalues, multiplicities {spec.size}, "
            f"least {mpmath.nstr(lam, 10)} ({irrep}); {sec:.2f} s; local minimum (arb) {minimum}: {sec2:.2f} s"
        )

    if not args.quick:
        print("\n## thresholds k* (continuation in real k, dps 30)")
        for name in FAMILIES:
            (kstar, irrep), sec = timed(threshold, name, dps=30)
            print(f"threshold {name}: k* = {mpmath.nstr(kstar, 20)} ({irrep}); {sec:.1f} s")


if __name__ == "__main__":
    main()
