"""exact.numeric.sweep: parallel runs, JSON-lines checkpoints, resume without loss or repeats."""

import json
import math
import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from exact.errors import InvalidDataError, ReluscapeError
from exact.numeric.sweep import item_key, read_results, sweep

try:
    import distributed
except ModuleNotFoundError:
    distributed = None


def square_item(item):
    return {"n": item["n"], "square": item["n"] ** 2, "array": np.arange(2) * item["n"]}


def logged_square(item):
    """Append the item to the call log (so tests can count calls), then return its square."""
    with open(item["log"], "a") as fh:
        fh.write(f"{item['n']}\n")
    if item["n"] == item.get("interrupt_at"):
        raise KeyboardInterrupt
    return item["n"] ** 2


def _lines(path):
    with open(path) as fh:
        return [json.loads(line) for line in fh]


@pytest.mark.parametrize("workers", [1, 2])
def test_results_in_order_and_one_line_each(tmp_path, workers):
    out = tmp_path / "sub" / "run.jsonl"
    items = [{"n": n} for n in range(7)]
    results = sweep(square_item, items, out=out, workers=workers, progress=False)
    assert results == [{"n": n, "square": n * n, "array": [0, n]} for n in range(7)]
    lines = _lines(out)
    assert sorted(line["key"] for line in lines) == sorted(item_key(it) for it in items)
    assert read_results(out) == {item_key(it): r for it, r in zip(items, results)}


@pytest.mark.parametrize("workers", [1, 2])
def test_resume_after_interrupt_loses_nothing_and_repeats_nothing(tmp_path, workers):
    out, log = tmp_path / "run.jsonl", tmp_path / "calls.log"
    key = lambda it: str(it["n"])  # noqa: E731  (the interrupt flag is not part of the key)
    items = [{"n": n, "log": str(log), "interrupt_at": 5} for n in range(12)]
    with pytest.raises(KeyboardInterrupt):
        sweep(logged_square, items, out=out, workers=workers, progress=False, key=key)
    before = {line["key"] for line in _lines(out)}
    assert "5" not in before and len(before) < 12
    calls_before = len(log.read_text().split())
    resumed = [dict(it, interrupt_at=None) for it in items]
    assert sweep(logged_square, resumed, out=out, workers=workers, progress=False, key=key) == [
        n * n for n in range(12)
    ]
    keys = [line["key"] for line in _lines(out)]
    assert sorted(keys) == sorted(str(n) for n in range(12))  # nothing lost, no duplicates
    # the resume computed every missing item and none of the finished ones (items that were
    # running when the pool was interrupted may still finish in the background, unrecorded)
    calls_after = set(log.read_text().split()[calls_before:])
    assert not calls_after & before
    assert calls_after >= {str(n) for n in range(12)} - before


def test_half_written_last_line_is_ignored_and_cut(tmp_path):
    out = tmp_path / "run.jsonl"
    sweep(math.factorial, [1, 2, 3], out=out, workers=1, progress=False)
    with open(out, "a") as fh:
        fh.write('{"key":"4","res')  # the process died here
    assert set(read_results(out)) == {"1", "2", "3"}
    assert sweep(math.factorial, [1, 2, 3, 4], out=out, workers=1, progress=False) == [1, 2, 6, 24]
    assert [line["key"] for line in _lines(out)] == ["1", "2", "3", "4"]


def test_corrupt_complete_line_is_an_error(tmp_path):
    out = tmp_path / "run.jsonl"
    out.write_text('{"key":"1","result":1}\nnot json\n')
    with pytest.raises(ReluscapeError, match="line 2"):
        sweep(math.factorial, [1], out=out, workers=1, progress=False)


def test_sigint_then_resume(tmp_path):
    """A real Ctrl-C (SIGINT to the process group) mid-sweep, then a resume in this process."""
    out, log = tmp_path / "run.jsonl", tmp_path / "calls.log"
    module = tmp_path / "slow_items.py"
    module.write_text(
        textwrap.dedent(
            """
            import time
            def slow_square(item):
                time.sleep(0.1)
                with open(item["log"], "a") as fh:
                    fh.write(f"{item['n']}\\n")
                return item["n"] ** 2
            """
        )
    )
    items = [{"n": n, "log": str(log)} for n in range(40)]
    script = (
        f"import sys; sys.path.insert(0, {str(tmp_path)!r})\n"
        "from slow_items import slow_square\n"
        "from exact.numeric.sweep import sweep\n"
        f"sweep(slow_square, {items!r}, out={str(out)!r}, workers=2, progress=True)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], start_new_session=True, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not out.exists() or len(out.read_text().splitlines()) < 4):
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0 and b"KeyboardInterrupt" in err
    assert b"sweep " in err  # the progress bar was drawn
    finished = {line["key"] for line in _lines(out)}
    assert 4 <= len(finished) < 40
    sys.path.insert(0, str(tmp_path))
    try:
        from slow_items import slow_square

        calls_before = len(log.read_text().split())
        assert sweep(slow_square, items, out=out, workers=2, progress=False) == [n * n for n in range(40)]
    finally:
        sys.path.remove(str(tmp_path))
    assert sorted(line["key"] for line in _lines(out)) == sorted(item_key(it) for it in items)
    redone = log.read_text().split()[calls_before:]
    assert len(redone) == 40 - len(finished)


def test_an_error_in_fn_propagates_and_keeps_finished_items(tmp_path):
    out = tmp_path / "run.jsonl"
    with pytest.raises(ValueError, match="factorial"):
        sweep(math.factorial, [3, 4, -1, 5], out=out, workers=1, progress=False)
    assert set(read_results(out)) == {"3", "4"}


def test_bad_arguments_are_named(tmp_path):
    with pytest.raises(InvalidDataError, match=r"items\[0\] and items\[2\] have the same key"):
        sweep(math.factorial, [1, 2, 1], out=tmp_path / "a.jsonl", progress=False)
    with pytest.raises(InvalidDataError, match="workers = 0"):
        sweep(math.factorial, [1], out=tmp_path / "a.jsonl", workers=0, progress=False)
    with pytest.raises(InvalidDataError, match="no JSON key"):
        sweep(math.factorial, [object()], out=tmp_path / "a.jsonl", progress=False)
    with pytest.raises(ReluscapeError, match="not JSON-serializable"):
        sweep(lambda _: object(), [1], out=tmp_path / "b.jsonl", workers=1, progress=False)


def test_item_key_is_canonical():
    assert item_key({"b": 1, "a": [1, 2]}) == item_key({"a": [1, 2], "b": 1}) == '{"a":[1,2],"b":1}'
    assert item_key(np.int64(3)) == "3"


def test_missing_distributed_is_a_clear_error(tmp_path, monkeypatch):
    import importlib

    real = importlib.import_module

    def fake(name, *args):
        if name == "distributed":
            raise ModuleNotFoundError("No module named 'distributed'")
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", fake)
    with pytest.raises(ModuleNotFoundError, match=r"reluscape\[distributed\]"):
        sweep(math.factorial, [1], out=tmp_path / "a.jsonl", scheduler="local", progress=False)


@pytest.mark.skipif(distributed is None, reason="dask distributed not installed")
def test_dask_cluster_gives_the_same_results_and_resumes(tmp_path):
    items = [{"n": n} for n in range(8)]
    local = sweep(square_item, items, out=tmp_path / "pool.jsonl", workers=2, progress=False)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        out = tmp_path / "dask.jsonl"
        first = sweep(square_item, items[:5], out=out, scheduler=cluster.scheduler_address, progress=False)
        both = sweep(square_item, items, out=out, scheduler=cluster.scheduler_address, progress=False)
    assert first == local[:5] and both == local
    assert len(_lines(out)) == 8


@pytest.mark.skipif(distributed is None, reason="dask distributed not installed")
def test_dask_local_scheduler(tmp_path):
    assert sweep(
        math.factorial, [4, 5], out=tmp_path / "l.jsonl", scheduler="local", workers=1, progress=False
    ) == [24, 120]
