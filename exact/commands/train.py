r"""``reluscape train``: gradient descent on a data file (numpy, torch CPU or CUDA).

Trains :math:`F_\beta(W,a)=\tfrac12\|\sum_j(Xw_j)_+a_j-y\|^2+\tfrac\beta2\sum_j(\|w_j\|^2+a_j^2)`
with :func:`exact.numeric.relaxation.descend`; prints the loss as it goes, the final loss, and
optionally the gap to the certified optimum and the network as JSON.
"""

from ..errors import ReluscapeError
from . import decimal

__all__ = ["add", "run"]


def add(sub):
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
    p.set_defaults(run=run)


def run(args):
    import time

    import numpy as np

    from ..certificates import write_json
    from ..data import Dataset
    from ..numeric.backend import get_backend
    from ..numeric.nonconvex import init_params, loss
    from ..numeric.relaxation import descend

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
        from ..optimum import optimal_set

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
