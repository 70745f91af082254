"""Worker pools: run a function over many inputs serially, in local processes or on Dask.

``open_pool`` starts the workers once (a Dask cluster or a process pool costs seconds to
start) and yields a ``map`` function that can be called many times, e.g. once per batch of
calibration trials. ``map(fn, items)`` yields ``(index, result)`` pairs as they finish,
where ``result`` is the function's return value or the exception it raised; callers that
need a fixed order put the results back in input order.
"""

from __future__ import annotations

import logging
import signal
import threading
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

    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_ignore_sigint,
    )

    def mapper(fn: Callable, items: Sequence, keys: Sequence[str] | None = None) -> Iterator:
        # the workers are spawned by submit: they start with SIGINT ignored (inherited, so no
        # KeyboardInterrupt even while they boot), and the initializer keeps it ignored
        with _sigint_ignored():
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


def check_scheduler(address: str, timeout: float = 10.0) -> None:
    """Ask ``address`` who it is; anything but a Dask scheduler's answer within ``timeout``
    seconds raises :class:`ExperimentError` (a bad address, nothing listening, another
    kind of server such as the scheduler's dashboard)."""
    import asyncio

    from distributed.core import rpc

    async def identity() -> dict:
        remote = rpc(address, timeout=5)
        try:
            return await remote.identity()
        finally:
            await remote.close_rpc()

    try:
        info = asyncio.run(asyncio.wait_for(identity(), timeout))
    except ValueError as exc:
        raise ExperimentError(f"--scheduler {address!r}: not an address ({exc})") from None
    except (OSError, TimeoutError) as exc:
        reason = str(exc) or f"no Dask reply within {timeout:g} s"
        raise ExperimentError(f"--scheduler {address}: cannot connect ({reason})") from None
    except Exception as exc:  # a server speaking another protocol: garbage frames
        raise ExperimentError(
            f"--scheduler {address}: not a Dask scheduler ({type(exc).__name__})"
        ) from None
    if not isinstance(info, dict) or info.get("type") != "Scheduler":
        kind = info.get("type") if isinstance(info, dict) else type(info).__name__
        raise ExperimentError(f"--scheduler {address}: not a Dask scheduler (a {kind})")


def _ignore_sigint() -> None:
    """Worker initializer: a terminal's Ctrl-C (SIGINT to the process group) is the main
    process's to handle; workers never raise KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Ignore SIGINT while worker processes start, so that they inherit the disposition.

    A terminal's Ctrl-C goes to the whole process group. Python started with SIGINT
    ignored never raises KeyboardInterrupt, so the workers print no tracebacks; the main
    process, whose handler is restored at once, stops them and reports the interrupt.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def _dask_pool(workers: int, scheduler: str | None) -> Iterator[MapFn]:
    from dask.distributed import Client, LocalCluster, as_completed

    for name in ("distributed", "distributed.worker", "distributed.nanny", "bokeh"):
        logging.getLogger(name).setLevel(logging.ERROR)
    cluster = None
    if scheduler:
        check_scheduler(scheduler)
        try:
            client = Client(scheduler, timeout="5s")
        except (OSError, TimeoutError) as exc:
            raise ExperimentError(f"--scheduler {scheduler}: cannot connect ({exc})") from None
    else:
        with _sigint_ignored():  # the workers inherit it: Ctrl-C stops only the main process
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
