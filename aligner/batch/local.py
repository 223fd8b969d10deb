"""Local parallelism: a pool of worker processes, each loading the models once and using its share of the cores.

Workers are started with "spawn": the driver may already run threads (numpy, torch, ctranslate2), and forking a
threaded process can deadlock. Each worker sets the thread-count variables before anything imports numpy or torch,
so that N workers × T threads never exceeds the cores (oversubscription makes everything slower, not faster).
This module imports nothing heavy at the top for the same reason: a spawned worker imports it first.
"""
from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import sys
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterable, Iterator

from aligner.batch.job import JobSettings, run_measured
from aligner.batch.pairing import Pair
from aligner.errors import AlignerError

log = logging.getLogger("aligner")

THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS",
                    "VECLIB_MAXIMUM_THREADS", "RAYON_NUM_THREADS")


def available_cores() -> int:
    """Cores this process may use (the affinity mask under Slurm or taskset), not the machine's total."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def threads_per_worker(jobs: int) -> int:
    return max(1, available_cores() // max(1, jobs))


def run_local(todo: list[tuple[Pair, str]], settings: JobSettings, jobs: int,
              log_level: int = logging.WARNING, resources=None) -> Iterator[tuple[dict, int, int]]:
    """Yield ``(record, worker pid, worker peak KiB)`` for each (pair, key) in ``todo``, in completion order.

    With one job the pairs run in this process (no start-up cost, plain tracebacks with --debug), with
    ``resources`` (the driver's models; None: this process's own); each worker process makes its own.
    """
    if not todo:
        return
    if jobs <= 1:
        # Same logging as a worker would have: per-document warnings only when asked for (-v).
        logger = logging.getLogger("aligner")
        saved = logger.level
        logger.setLevel(max(log_level, logger.getEffectiveLevel()))
        try:
            for pair, key in todo:
                yield run_measured(pair, settings, key, resources)
        finally:
            logger.setLevel(saved)
        return
    context = multiprocessing.get_context("spawn")
    threads = threads_per_worker(jobs)
    warm = settings.align_fn is None  # a test stub has no models to load
    # Also in the driver's environment while the pool lives: a spawned worker imports the driver's __main__
    # (and whatever it imports) before the initializer runs, and numpy reads these variables on import.
    with _environment(thread_environment(threads)):
        pool = ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=context, initializer=init_worker,
                                   initargs=(threads, log_level, settings.options if warm else None))
        try:
            yield from _bounded(pool, run_measured, todo, settings, limit=2 * jobs)
        except BrokenProcessPool:
            _terminate(pool)
            raise AlignerError(None, "a worker process died (killed, or out of memory?): rerun the same command "
                                     "to resume; with --jobs 1 the error names the document") from None
        except BaseException:
            # Ctrl-C or a model/output error: stop now. Documents being aligned are lost, never half-written.
            _terminate(pool)
            raise
        else:
            pool.shutdown(wait=True)


def thread_environment(threads: int) -> dict[str, str]:
    env = {name: str(threads) for name in THREAD_VARIABLES}
    env["ALIGNER_MT_THREADS"] = os.environ.get("ALIGNER_MT_THREADS", str(threads))
    env["TOKENIZERS_PARALLELISM"] = "false"
    return env


@contextlib.contextmanager
def _environment(changes: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in changes}
    os.environ.update(changes)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _bounded(pool: ProcessPoolExecutor, fn: Callable, todo: Iterable[tuple[Pair, str]], settings: JobSettings,
             limit: int) -> Iterator:
    """Keep at most ``limit`` tasks queued: the driver's memory must not grow with the corpus."""
    pending: set[Future] = set()
    items = iter(todo)
    exhausted = False
    while pending or not exhausted:
        while not exhausted and len(pending) < limit:
            try:
                pair, key = next(items)
            except StopIteration:
                exhausted = True
                break
            pending.add(pool.submit(fn, pair, settings, key))
        if not pending:
            break
        finished, pending = wait(pending, return_when=FIRST_COMPLETED)
        for future in finished:
            yield future.result()


def _terminate(pool: ProcessPoolExecutor) -> None:
    processes = list(getattr(pool, "_processes", {}).values())  # no public way to stop running tasks
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)


def init_worker(threads: int, log_level: int, warm_options) -> None:
    """Runs first in each worker: thread counts, signals, logging, then the models, loaded once."""
    os.environ.update(thread_environment(threads))
    # Ctrl-C reaches the whole process group; the driver alone decides what to do about it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    logging.basicConfig(level=log_level, stream=sys.stderr, format="aligner[%(process)d]: %(message)s")
    if warm_options is not None:
        warm_up(warm_options)
        try:
            if "torch" in sys.modules:
                sys.modules["torch"].set_num_threads(threads)
        except Exception:  # noqa: BLE001 — only a speed setting
            pass


def _die_with_parent() -> None:
    """On Linux, have the kernel kill this worker when the driver dies (kill -9 must not leave orphans working)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the driver died before prctl took effect
        os._exit(1)


def warm_up(options) -> None:
    """Align a two-sentence pair in memory, so every model the options use is loaded before the first document."""
    from aligner.model import Document, Sentence

    ru = Document("<warm-up>", lang="ru", paragraphs=["Москва приветствует решение. Переговоры продолжатся."],
                  sentences=[Sentence("Москва приветствует решение.", 0, 0), Sentence("Переговоры продолжатся.", 1, 0)])
    en = Document("<warm-up>", lang="en", paragraphs=["Moscow welcomes the decision. Talks will continue."],
                  sentences=[Sentence("Moscow welcomes the decision.", 0, 0), Sentence("Talks will continue.", 1, 0)])
    try:
        from aligner.batch.job import worker_resources
        from aligner.pipeline import align_documents
        align_documents(ru, en, options, name="warm-up", resources=worker_resources())
    except Exception as exc:  # noqa: BLE001 — the first real document reports the problem properly
        log.debug("warm-up failed: %s", exc)
