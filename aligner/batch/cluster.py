"""The same job on a Dask distributed cluster: one task per pair, run_one on the workers.

Workers must see the corpus and the output folder at the same paths as the driver (a shared file system);
paths are made absolute before they travel. A worker process keeps its models between tasks (one
aligner.resources.Resources per worker process, batch.job.worker_resources), so models load once per worker process; start workers with ``--nthreads 1`` and as many processes
as cores when the models are multithreaded themselves.
"""
from __future__ import annotations

from typing import Iterator

from aligner.batch.job import JobSettings, run_measured
from aligner.batch.pairing import Pair
from aligner.errors import AlignerError, EXIT_USAGE


class ClusterError(AlignerError):
    exit_code = EXIT_USAGE


def run_dask(todo: list[tuple[Pair, str]], settings: JobSettings, address: str,
             batch: int = 1000) -> Iterator[tuple[dict, int, int]]:
    """Yield ``(record, worker pid, worker peak KiB)`` per pair, in completion order.

    At most ``batch`` tasks are in flight, so the scheduler's memory does not grow with the corpus.
    """
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise ClusterError(None, "--dask needs dask.distributed: pip install 'aligner[dask]'") from None
    if not todo:
        return
    try:
        client = Client(address, timeout="30s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(None, f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        items = iter(todo)
        # pure=False: a rerun must run again, not reuse results the scheduler still holds from an earlier run.
        first = [client.submit(run_measured, pair, settings, key, pure=False)
                 for pair, key in _take(items, batch)]
        queue = as_completed(first)
        for future in queue:
            result = future.result()  # a ModelError or OutputError on a worker stops the batch here
            future.release()
            for pair, key in _take(items, 1):
                queue.add(client.submit(run_measured, pair, settings, key, pure=False))
            yield result
    finally:
        client.close()


def _take(items: Iterator, n: int) -> list:
    out = []
    for item in items:
        out.append(item)
        if len(out) == n:
            break
    return out
