"""Worker pools: run a function over many inputs serially, in local processes or on Dask.

``open_pool`` starts the workers once (a Dask cluster or a process pool costs seconds to
start) and yields a ``map`` function that can be called many times, e.g. once per batch of
calibration trials. ``map(fn, items)`` yields ``(index, result)`` pairs as they finish,
where ``result`` is the function's return value or the exception it raised; callers that
need a fixed order put the results back in input order.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Literal

from .spec import ExperimentError

Executor = Literal["serial", "processes", "dask"]
MapFn = Callable[[Callable[[Any], Any], Sequence[Any], Sequence[str] | None], Iterator]
EXECUTORS = ("serial", "processes", "dask")


@contextmanager
def open_pool(
    executor: Executor, workers: int = 1, scheduler: str | None = None
) -> Iterator[MapFn]:
    """Start ``workers`` workers of the given kind and yield ``map(fn, items, keys=None)``.

    ``scheduler`` is the address of an existing Dask scheduler (``executor = "dask"``);
    ``keys`` name the Dask tasks (unique per input, e.g. a run's digest). An unreachable
    scheduler raises :class:`ExperimentError` (a :class:`socialsim.ConfigError`).
    """
    if executor not in EXECUTORS:
        raise ExperimentError(f"executor = {executor!r}: must be one of {', '.join(EXECUTORS)}")
    if executor == "serial":
        yield _serial_map
    elif executor == "processes":
        with _process_pool(workers) as mapper:
            yield mapper
    else:
        with _dask_pool(workers, scheduler) as mapper:
            yield mapper


def _serial_map(fn: Callable, items: Sequence, keys: Sequence[str] | None = None) -> Iterator:
    for i, item in enumerate(items):
        try:
            yield i, fn(item)
        except Exception as exc:
            yield i, exc


@contextmanager
def _process_pool(workers: int) -> Iterator[MapFn]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))

    def mapper(fn: Callable, items: Sequence, keys: Sequence[str] | None = None) -> Iterator:
        futures = {pool.submit(fn, item): i for i, item in enumerate(items)}
        try:
            for fut in as_completed(futures):
                exc = fut.exception()
                yield futures[fut], (exc if exc is not None else fut.result())
        finally:
            for fut in futures:
                fut.cancel()

    try:
        yield mapper
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


@contextmanager
def _dask_pool(workers: int, scheduler: str | None) -> Iterator[MapFn]:
    from dask.distributed import Client, LocalCluster, as_completed

    for name in ("distributed", "distributed.worker", "distributed.nanny", "bokeh"):
        logging.getLogger(name).setLevel(logging.ERROR)
    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout="5s")
        except (OSError, TimeoutError) as exc:
            raise ExperimentError(f"--scheduler {scheduler}: cannot connect ({exc})") from None
    else:
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            # a worker's heartbeat racing the scheduler's shutdown logs a harmless ERROR
            # with a traceback; task errors still reach the client as exceptions
            silence_logs=logging.CRITICAL,
        )
        client = Client(cluster)

    def mapper(fn: Callable, items: Sequence, keys: Sequence[str] | None = None) -> Iterator:
        futures = client.map(fn, items, key=list(keys) if keys else None, retries=2, pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        for fut in as_completed(futures):
            try:
                yield index[fut.key], fut.result()
            except Exception as exc:
                yield index[fut.key], exc
            fut.release()

    try:
        yield mapper
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
