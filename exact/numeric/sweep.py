"""Run one function over many items, in parallel, with every finished result checkpointed to disk.

:func:`sweep` is how reluscape runs benchmarks, relaxation-gap curves and random searches: a
process pool on one machine (``concurrent.futures``), or a Dask cluster when given a
``scheduler`` (the ``distributed`` extra, imported only then), with the same results either way.

**Checkpoint file.** Each finished item is appended to ``out`` as one JSON line
``{"key": ..., "result": ...}``, flushed and ``fsync``-ed before the next one, by the calling
process only (one writer, so lines never interleave). Items are identified by a stable key
(:func:`item_key`, or ``key=``), so a rerun after an interrupt (``KeyboardInterrupt``, SIGINT,
a crash) skips the finished items and never writes one twice. A last line without its newline
(the process died while writing it) is cut off on resume; any other unreadable line is an error.

Results must be JSON-serializable (numpy scalars and arrays are converted); :func:`sweep` returns
them as read back from JSON, so a resumed run returns exactly what a fresh one does.
"""

import importlib
import json
import os
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

import numpy as np

from ..errors import InvalidDataError, ReluscapeError

__all__ = ["sweep", "item_key", "read_results"]


def sweep(fn, items, *, out, workers=None, scheduler=None, progress=True, key=None):
    """Return ``[fn(item) for item in items]``, computed in parallel and checkpointed to ``out``.

    Parameters
    ----------
    fn : callable
        A picklable function of one item (a module-level function, not a lambda, for a pool).
    items : iterable
        The inputs, each identified by ``key(item)``; keys must be distinct.
    out : str or os.PathLike
        The JSON-lines checkpoint file; created (with its folder) if missing, resumed if present.
    workers : int, optional
        Processes of the local pool (default: ``os.cpu_count()``); ``1`` runs in this process.
        With ``scheduler="local"``, the number of Dask workers.
    scheduler : str, optional
        ``None``: the local process pool. ``"local"``: a ``distributed.LocalCluster`` started
        (and closed) here. Any other string: the address of a running Dask scheduler,
        e.g. ``"tcp://10.0.0.5:8786"``.
    progress : bool
        Draw a plain-text progress bar on stderr.
    key : callable, optional
        ``key(item) -> str``, stable across runs; default :func:`item_key` (canonical JSON).

    Returns
    -------
    list
        The results in the order of ``items``, as JSON values.

    Raises
    ------
    InvalidDataError
        If two items have the same key, an item has no JSON key and ``key`` is not given, or
        ``workers < 1``.
    ReluscapeError
        If ``out`` has an unreadable line other than a half-written last one, or a result is not
        JSON-serializable.
    KeyboardInterrupt
        Re-raised after cancelling the pending items; finished ones are on disk. Items already
        running in a pool worker may still finish in the background; they are not recorded.
    ModuleNotFoundError
        With a ``scheduler`` and without dask's ``distributed`` installed.

    Notes
    -----
    An exception raised by ``fn`` cancels the pending items and propagates; the finished ones
    stay on disk, so fixing the cause and rerunning continues where the sweep stopped.
    Two sweeps must not write the same ``out`` at once.

    Examples
    --------
    >>> import math, os, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "factorials.jsonl")
    ...     first = sweep(math.factorial, [3, 4, 5], out=path, workers=1, progress=False)
    ...     again = sweep(math.factorial, [3, 4, 5, 6], out=path, workers=1, progress=False)
    ...     lines = len(open(path).readlines())
    >>> first, again, lines  # the second run computed only 6!
    ([6, 24, 120], [6, 24, 120, 720], 4)
    >>> sweep(math.factorial, [3, 3], out="unused.jsonl", workers=1, progress=False)
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: items[0] and items[1] have the same key '3'
    """
    items = list(items)
    key = item_key if key is None else key
    keys = []
    first = {}
    for i, item in enumerate(items):
        k = key(item)
        if not isinstance(k, str):
            raise InvalidDataError(f"key(items[{i}]) = {k!r} is not a string")
        if k in first:
            raise InvalidDataError(f"items[{first[k]}] and items[{i}] have the same key {k!r}")
        first[k] = i
        keys.append(k)
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise InvalidDataError(f"workers = {workers!r} must be an integer >= 1")
    folder = os.path.dirname(os.fspath(out))
    if folder:
        os.makedirs(folder, exist_ok=True)
    done = read_results(out, repair=True)
    todo = [(k, item) for k, item in zip(keys, items) if k not in done]
    bar = _Progress(len(items), len(items) - len(todo), enabled=progress)
    with open(out, "a", encoding="utf-8") as fh:

        def record(k, result):
            line = _dumps({"key": k, "result": result}, k)
            fh.write(line + "\n")
            fh.flush()
            os.fsync(fh.fileno())
            done[k] = json.loads(line)["result"]
            bar.advance()

        try:
            if scheduler is not None:
                _run_dask(fn, todo, record, scheduler, workers)
            elif workers == 1:
                for k, item in todo:
                    record(k, fn(item))
            else:
                _run_pool(fn, todo, record, workers)
        finally:
            bar.close()
    return [done[k] for k in keys]


def item_key(item):
    """Return the canonical JSON of ``item`` (sorted keys, no spaces): its stable key.

    Raises
    ------
    InvalidDataError
        If ``item`` is not JSON-serializable (pass ``key=`` to :func:`sweep` then).

    Examples
    --------
    >>> item_key({"n": 10, "seed": 3})
    '{"n":10,"seed":3}'
    >>> item_key({1, 2})
    Traceback (most recent call last):
    ...
    exact.errors.InvalidDataError: item {1, 2} has no JSON key; pass key= to sweep
    """
    try:
        return json.dumps(item, sort_keys=True, separators=(",", ":"), default=_to_json)
    except (TypeError, ValueError) as err:
        raise InvalidDataError(f"item {item!r} has no JSON key; pass key= to sweep") from err


def read_results(out, *, repair=False, what="sweep result"):
    """Return ``{key: result}`` from a checkpoint file written by :func:`sweep` (``{}`` if missing).

    Parameters
    ----------
    out : str or os.PathLike
    repair : bool
        Cut off a half-written last line (no trailing newline) in the file itself.
    what : str
        What a line holds, for the error message (``reluscape verify --resume`` names its file).

    Raises
    ------
    ReluscapeError
        If a complete line is not a JSON object with ``"key"`` and ``"result"``.

    Examples
    --------
    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "verdicts.jsonl")
    ...     with open(path, "w") as fh:
    ...         _ = fh.write('{"key": "a", "result": 1}\\ngarbage\\n')
    ...     read_results(path, what="verify --resume record")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    exact.errors.ReluscapeError: ...verdicts.jsonl, line 2: not a verify --resume record (Expecting value: line 1 column 1 (char 0))
    """
    if not os.path.exists(out):
        return {}
    with open(out, "rb") as fh:
        data = fh.read()
    end = data.rfind(b"\n") + 1
    if end < len(data) and repair:
        with open(out, "r+b") as fh:
            fh.truncate(end)
            fh.flush()
            os.fsync(fh.fileno())
    results = {}
    for number, line in enumerate(data[:end].splitlines(), start=1):
        try:
            entry = json.loads(line)
            k, result = entry["key"], entry["result"]
        except (ValueError, TypeError, KeyError) as err:
            raise ReluscapeError(f"{os.fspath(out)}, line {number}: not a {what} ({err})") from err
        results.setdefault(k, result)
    return results


def _run_pool(fn, todo, record, workers):
    """Run the items on a local process pool, recording results as they finish."""
    pool = ProcessPoolExecutor(max_workers=workers or os.cpu_count())
    finished = False
    try:
        pending = {pool.submit(fn, item): k for k, item in todo}
        while pending:
            ready, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in ready:
                record(pending.pop(future), future.result())
        finished = True
    finally:
        pool.shutdown(wait=finished, cancel_futures=not finished)


def _run_dask(fn, todo, record, scheduler, workers):
    """Run the items on a Dask cluster (an address, or "local" for a LocalCluster here)."""
    try:
        distributed = importlib.import_module("distributed")
    except ModuleNotFoundError as err:
        raise ModuleNotFoundError(
            "sweep(scheduler=...) needs dask's distributed; install the distributed extra: "
            "pip install 'reluscape[distributed]'"
        ) from err
    cluster = None
    if scheduler == "local":
        cluster = distributed.LocalCluster(
            n_workers=workers or os.cpu_count(), threads_per_worker=1, dashboard_address=None
        )
        client = distributed.Client(cluster)
    else:
        client = distributed.Client(scheduler)
    futures = {}
    try:
        futures = {client.submit(fn, item, pure=False): k for k, item in todo}
        for future in distributed.as_completed(list(futures)):
            record(futures[future], future.result())
    finally:
        client.cancel(list(futures))
        client.close()
        if cluster is not None:
            cluster.close()


def _to_json(obj):
    """JSON for numpy scalars and arrays (``json.dumps`` default hook)."""
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    raise TypeError(f"{type(obj).__name__} is not JSON-serializable")


def _dumps(entry, k):
    try:
        return json.dumps(entry, separators=(",", ":"), default=_to_json, allow_nan=True)
    except (TypeError, ValueError) as err:
        raise ReluscapeError(f"the result of item {k} is not JSON-serializable: {err}") from err


class _Progress:
    """A plain-text progress bar on stderr: count, percent, bar, rate and time left."""

    def __init__(self, total, done, *, enabled):
        self.total, self.done, self.start_done = total, done, done
        self.enabled = enabled and total > 0
        self.tty = hasattr(sys.stderr, "isatty") and sys.stderr.isatty()
        self.t0 = self.last = time.monotonic()
        if self.enabled:
            self._draw()

    def advance(self):
        self.done += 1
        now = time.monotonic()
        if self.enabled and (now - self.last >= (0.1 if self.tty else 5.0) or self.done == self.total):
            self.last = now
            self._draw()

    def close(self):
        if self.enabled and self.tty:
            sys.stderr.write("\n")
            sys.stderr.flush()

    def _draw(self):
        frac = self.done / self.total
        width = 30
        bar = "#" * int(frac * width) + "." * (width - int(frac * width))
        elapsed = time.monotonic() - self.t0
        new = self.done - self.start_done
        rate = new / elapsed if elapsed > 0 and new else 0.0
        eta = f"{(self.total - self.done) / rate:.0f}s" if rate else "?"
        line = f"sweep {self.done}/{self.total} [{bar}] {100 * frac:3.0f}% {rate:.2f} items/s, eta {eta}"
        sys.stderr.write(("\r" if self.tty else "") + line + ("" if self.tty else "\n"))
        sys.stderr.flush()
