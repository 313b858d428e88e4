"""``reluscape hunt``: search small exact instances for a certified counterexample to a claim.

``reluscape hunt NAME`` hunts a conjecture of :mod:`counterexamples.conjectures`
(``reluscape hunt --list`` lists them with their status); ``reluscape hunt path/claim.py:predicate``
hunts a predicate of your own (``predicate(data)`` or ``predicate(data, m)`` returning a bool or
an :class:`exact.hunt.Evidence`). With ``--out DIR`` the result (``hunt.json``), the
counterexample's certificate (``certificate.json``, replay it with ``reluscape check``) and the
hypothesis example database (``DIR/hypothesis``, so a re-run starts from the known failures)
are kept there. Exit status: 0 not refuted, 1 refuted.
"""

import sys
import time

from ..errors import ReluscapeError

__all__ = ["add"]


def add(sub):
    """Register ``reluscape hunt``."""
    p = sub.add_parser(
        "hunt",
        help="search small exact instances for a certified counterexample to a claim",
        description=__doc__.split("\n\n")[1].replace("\n", " "),
    )
    p.add_argument("claim", nargs="?", help="a conjecture NAME or path/to/claim.py:predicate")
    p.add_argument("--list", action="store_true", help="list the conjectures and exit")
    p.add_argument("--n", default=None, help="sample counts, e.g. 2..6 (default 1..3)")
    p.add_argument("--d", default=None, help="feature counts, e.g. 1..3 (default 1..2)")
    p.add_argument("--budget", default="60s", help="search time: 60, 60s, 2m, 1h (default 60s)")
    p.add_argument("--max-examples", type=int, default=None, help="stop after this many drawn instances")
    p.add_argument("--seed", type=int, default=0, help="seed of the (derandomized) search")
    p.add_argument("--out", default=None, help="folder for the result, certificate and example database")
    p.add_argument("--shards", type=int, default=None, help="split the hunt into this many seeds (a sweep)")
    p.add_argument("--workers", type=int, default=None, help="processes for --shards")
    p.add_argument("--scheduler", default=None, help="Dask scheduler address for --shards ('local' starts one)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(run=run)


def run(args):
    """Run the hunt and print its report; 1 when refuted, 0 otherwise."""
    import os

    from ..hunt import hunt, load_claim

    if args.list:
        from counterexamples.conjectures import CONJECTURES

        for c in CONJECTURES.values():
            print(f"{c.name:28s} [{c.status}] {c.reference}\n    {c.statement}")
        return 0
    if not args.claim:
        raise ReluscapeError("name a claim (see `reluscape hunt --list`) or give path/to/claim.py:predicate")
    claim = load_claim(args.claim)
    database = checkpoint = None
    if args.out:
        database = os.path.join(args.out, "hypothesis")
        checkpoint = os.path.join(args.out, "shards.jsonl")
    bar = None if args.no_progress else _Bar(getattr(claim, "name", args.claim))
    res = hunt(
        args.claim if args.shards and args.shards > 1 else claim,
        budget=args.budget, n=_span(args.n, "--n"), d=_span(args.d, "--d"), max_examples=args.max_examples,
        seed=args.seed, database=database, shards=args.shards, workers=args.workers,
        scheduler=args.scheduler, checkpoint=checkpoint, progress=bar,
    )
    if bar is not None:
        bar.close()
    print(res.report())
    if res.refuted:
        conj = getattr(claim, "known", None)
        if conj is not None:
            from counterexamples.conjectures import compare_with_known

            print("  " + compare_with_known(claim, res.counterexample))
    if args.out:
        for path in res.save(args.out):
            print(f"wrote {path}")
    return 1 if res.refuted else 0


def _span(text, name):
    """``"2..6"`` or ``"3"`` as ``(2, 6)`` / ``(3, 3)``; ``None`` stays ``None``."""
    if text is None:
        return None
    parts = text.split("..")
    if len(parts) > 2 or not all(p.strip().isdigit() for p in parts):
        raise ReluscapeError(f"{name} {text!r}: expected a range such as 2..6")
    return int(parts[0]), int(parts[-1])


class _Bar:
    """A one-line progress report on stderr: time used, instances decided, undecided."""

    def __init__(self, label):
        self.label, self.t0, self.last = label, time.monotonic(), 0.0
        self.tty = sys.stderr.isatty()

    def __call__(self, coverage, left):
        now = time.monotonic()
        if now - self.last < (0.2 if self.tty else 5.0):
            return
        self.last = now
        used = now - self.t0
        total = used + max(left, 0.0)
        k = int(30 * used / total) if total > 0 else 30
        line = f"hunt {self.label} [{'#' * k}{'.' * (30 - k)}] {used:.0f}s, {coverage.evaluated} decided, {coverage.undecided} undecided"
        sys.stderr.write(("\r" if self.tty else "") + line + ("" if self.tty else "\n"))
        sys.stderr.flush()

    def close(self):
        if self.tty:
            sys.stderr.write("\n")
            sys.stderr.flush()
