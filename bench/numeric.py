"""Benchmark of the float backend (exact.numeric): batched gradient descent and convex solvers.

    python bench/numeric.py                 # the figures in bench/RESULTS.md
    python bench/numeric.py --quick         # a smaller run, seconds

Part 1 runs gradient descent on ``--networks`` networks of width ``--width`` at once on Gaussian
data (n × d), on numpy, torch CPU and torch CUDA (when present), from the same initialization;
ratios are against numpy in the same run, and every backend must end at the same losses.
Part 2 solves the convex problem on the distinct patterns of ``--gates`` Gaussian gates
1[Xh >= 0] with our working-set ADMM and with cvxpy + Clarabel (when installed); ratios are
against Clarabel, and each row shows the float bracket ``lower_bound <= p* <= value``.
"""

import argparse
import os
import platform
import sys
import time

import numpy as np

from exact.numeric import get_backend, gradient_descent, init_params, solve_convex


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--networks", type=int, default=1000)
    p.add_argument("--width", type=int, default=64)
    p.add_argument("--n", type=int, default=1000)
    p.add_argument("--d", type=int, default=10)
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--convex-n", type=int, default=100)
    p.add_argument("--convex-d", type=int, default=10)
    p.add_argument("--gates", type=int, nargs="+", default=[1000, 2000])
    p.add_argument("--tol", type=float, default=1e-4)
    p.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    args = p.parse_args(argv)
    if args.quick:
        args.networks, args.n, args.steps, args.convex_n, args.gates = 50, 200, 20, 40, [200]
    print(f"# machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}")
    _bench_gd(args)
    _bench_convex(args)


def _devices():
    out = [None]
    try:
        import torch
    except ModuleNotFoundError:
        return out
    out.append("cpu")
    if torch.cuda.is_available():
        out.append("cuda")
    return out


def _bench_gd(args):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((args.n, args.d)) / np.sqrt(args.d)
    y = np.maximum(X @ rng.standard_normal(args.d), 0) + 0.1 * rng.standard_normal(args.n)
    beta = 1e-3 * args.n
    W, a = init_params(args.width, args.d, batch=args.networks, alpha=0.1, seed=0)
    lr = 0.5 / args.n
    print(
        f"\n## batched GD: B={args.networks} networks, m={args.width}, n={args.n}, d={args.d}, steps={args.steps}, lr={lr:g}, beta={beta:g}"
    )
    print(
        f"{'backend':16s} {'dtype':8s} {'mean final F':>14s} {'max |dF| vs numpy':>18s} {'seconds':>9s} {'ratio':>7s}"
    )
    base_t = base_F = None
    for device in _devices():
        for dtype in ("float64", "float32") if device else ("float64",):
            bk = get_backend(device, dtype=dtype)
            gradient_descent(X, y, beta, W[:2], a[:2], lr=lr, steps=2, device=bk)  # warm-up
            t0 = time.perf_counter()
            res = gradient_descent(
                X, y, beta, W, a, lr=lr, steps=args.steps, record_every=args.steps, device=bk
            )
            bk.synchronize()
            t = time.perf_counter() - t0
            F = res.losses[:, -1]
            if base_t is None:
                base_t, base_F = t, F
            name = "numpy" if device is None else f"torch {device}"
            dev = np.max(np.abs(F - base_F) / np.abs(base_F))
            print(f"{name:16s} {dtype:8s} {F.mean():14.6f} {dev:18.2e} {t:9.2f} {base_t / t:7.2f}x")
            sys.stdout.flush()


def _bench_convex(args):
    try:
        import cvxpy  # noqa: F401

        methods = ["cvxpy", "admm"]
    except ModuleNotFoundError:
        methods = ["admm"]
    rng = np.random.default_rng(1)
    n, d = args.convex_n, args.convex_d
    X = rng.standard_normal((n, d))
    y = np.maximum(X @ rng.standard_normal(d), 0) - np.maximum(X @ rng.standard_normal(d), 0)
    y = y + 0.1 * rng.standard_normal(n)
    print(f"\n## convex problem on sampled patterns: n={n}, d={d}, ADMM tol={args.tol:g}, Clarabel tol=1e-8")
    print(
        f"{'gates':>6s} {'P':>6s} {'method':7s} {'value':>14s} {'lower_bound':>14s} {'rel gap':>9s} {'iters':>6s} {'seconds':>9s} {'ratio':>7s}"
    )
    for gates in args.gates:
        D = np.unique((X @ rng.standard_normal((d, gates)) >= 0).T.astype(float), axis=0)
        beta = 0.1 * np.max(np.abs(X.T @ y))
        base = None
        for method in methods:
            t0 = time.perf_counter()
            sol = solve_convex(X, y, beta, D, method=method, tol=args.tol if method == "admm" else 1e-8)
            t = time.perf_counter() - t0
            base = base or t
            print(
                f"{gates:6d} {D.shape[0]:6d} {method:7s} {sol.value:14.8f} {sol.lower_bound:14.8f} "
                f"{sol.gap / sol.value:9.1e} {sol.iterations:6d} {t:9.2f} {base / t:7.2f}x"
            )
            sys.stdout.flush()


if __name__ == "__main__":
    main()
