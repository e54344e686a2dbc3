"""The Executor of a report batch: a process pool of warm workers, stop signals, Dask.

:func:`open_executor` gives the Executor the tasks run on: a :class:`NotebookPool` (a process
pool whose workers fork from a server that preloaded the notebook tools, :mod:`._worker`), or a
Dask client's executor. A worker runs each notebook through :func:`run_task`. Ctrl-C and
SIGTERM stop a batch at a safe point: the command notes them (:func:`stop_signals`), the batch
loop raises :class:`Stopped`, and :func:`stop_executor` stops the notebooks in flight.
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from ..errors import ReportError
from . import execute
from .model import DEFAULT_TIMEOUT, NotebookOutcome, NotebookTask

#: Module the fork server of the process pool imports: workers fork from it with tools loaded.
WORKER_PRELOAD = "city_innovation.report._worker"


def _pool_context() -> Any:
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # The server imports the tools once, not the caller's __main__ (the CLI, with pandas).
    context.set_forkserver_preload([WORKER_PRELOAD])
    return context


def start_workers_early() -> None:
    """Start the pool's fork server now: it imports the tools while the caller validates.

    It starts no kernel; if validation fails, it ends with the calling process.
    """
    if _pool_context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


#: Signals that stop a report run as Ctrl-C does (SIGTERM: ``kill``, a service manager, CI).
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Stopped(KeyboardInterrupt):
    """Ctrl-C or SIGTERM to the command: the run stops (kernels shut down, no staging folder
    left), and the command exits with 128 + the signal's number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


_stop_requests: list[int] = []  # stop signals received while the command runs a batch


def _request_stop(signum: int, frame: Any) -> None:
    """Note a stop signal; :func:`.batch.run_batch` acts on it between two waits. A second one
    raises at once (an escape from a clean-up that does not end)."""
    _stop_requests.append(signum)
    if len(_stop_requests) > 1:
        raise Stopped(signum)


def check_stop() -> None:
    """Raise :class:`Stopped` if a stop signal arrived (see :func:`stop_signals`)."""
    if _stop_requests:
        raise Stopped(_stop_requests[0])


@contextlib.contextmanager
def stop_signals() -> Iterator[None]:
    """While the command runs a batch, Ctrl-C and SIGTERM stop it at the next safe point.

    The handler only takes note; the batch loop raises :class:`Stopped` between two waits, so
    the signal never lands inside a lock of the executor or half-way through writing a file.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _stop_requests.clear()
    previous = {stop: signal.signal(stop, _request_stop) for stop in STOP_SIGNALS}
    try:
        yield
        check_stop()  # e.g. during the executor's shut-down, after the last notebook
    finally:
        for stop, handler in previous.items():
            signal.signal(stop, handler)
        _stop_requests.clear()


def _raise_interrupt(signum: int, frame: Any) -> None:
    """First stop signal in a task: stop it (the kernel is shut down); ignore repeats meanwhile."""
    for stop in STOP_SIGNALS:
        signal.signal(stop, signal.SIG_IGN)
    # nbclient's pending asyncio tasks then find the kernel gone and would log tracebacks.
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    raise KeyboardInterrupt


@contextlib.contextmanager
def _interruptible() -> Iterator[None]:
    """In a pool worker's main thread, let Ctrl-C or SIGTERM stop the running task only."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {stop: signal.signal(stop, _raise_interrupt) for stop in STOP_SIGNALS}
    try:
        yield
    finally:
        for stop, handler in previous.items():
            signal.signal(stop, handler)


_halt: Any = None  # a pool's stop event, in its workers


def init_worker(halt: Any = None, command: int | None = None) -> None:
    """Initializer of pool workers: idle workers ignore stop signals; tools are imported once.

    The command stops its workers itself (:class:`NotebookPool`), also when a signal reached
    the whole process group (a terminal's Ctrl-C, ``kill -TERM -PGID``); a worker whose
    command was killed outright ends itself (:func:`_end_with`).

    Workers use absolute paths only; they move to the temporary folder so that the folder the
    fork server happened to start in may be removed meanwhile.
    """
    global _halt
    _halt = halt
    for stop in STOP_SIGNALS:
        signal.signal(stop, signal.SIG_IGN)
    if command is not None:
        _end_with(command)
    os.chdir(tempfile.gettempdir())
    execute.notebook_tools()


def _end_with(pid: int, every: float = 1.0) -> None:
    """End this worker (and so its kernel, which follows its parent) once process ``pid`` is
    gone, e.g. killed with SIGKILL or by the out-of-memory killer; its tasks' scratch folders
    are removed first.

    A pool worker cannot notice otherwise: it holds both ends of the pool's queues itself and
    waits on them for ever, and it keeps the fork server alive with it.
    """

    def watch() -> None:
        while not _gone(pid):
            time.sleep(every)
        execute.remove_scratch()
        os._exit(1)

    threading.Thread(target=watch, name="end-with-command", daemon=True).start()


def _gone(pid: int) -> bool:
    """Whether process ``pid`` has ended (a zombie, dead but not yet reaped, has ended too)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, but not ours to signal
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:  # no /proc: a zombie counts as running until it is reaped
        return False
    return stat.rsplit(")", 1)[-1].split()[:1] in (["Z"], ["X"])


def run_task(task: NotebookTask, timeout: float | None = DEFAULT_TIMEOUT) -> NotebookOutcome:
    """:func:`.execute.execute_notebook_task` as a worker runs it: not started once the pool was
    stopped, and stopped itself (its kernel shut down) by Ctrl-C or SIGTERM to the worker."""
    if _halt is not None and _halt.is_set():
        raise KeyboardInterrupt  # queued before the batch was stopped: do not start a kernel
    with _interruptible():
        return execute.execute_notebook_task(task, timeout)


def stop_executor(executor: Executor) -> None:
    """Cancel what has not started and stop what runs (see :class:`NotebookPool`)."""
    if "cancel_futures" in inspect.signature(executor.shutdown).parameters:
        executor.shutdown(wait=True, cancel_futures=True)
    else:  # dask.distributed's executor cancels its futures when not waiting
        executor.shutdown(wait=False)


class NotebookPool(ProcessPoolExecutor):
    """A process pool whose ``shutdown(cancel_futures=True)`` also stops notebooks in flight.

    The stock pool cancels only what it has not yet handed to its workers, and lets running
    calls finish. Here workers share a stop event: tasks already queued return at once, and
    running ones get Ctrl-C, so their kernels are shut down (see :func:`_interruptible`).
    """

    def __init__(self, max_workers: int, mp_context: Any) -> None:
        self._halt_event = mp_context.Event()
        super().__init__(max_workers=max_workers, mp_context=mp_context,
                         initializer=init_worker, initargs=(self._halt_event, os.getpid()))

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if cancel_futures:
            self._halt_event.set()
            for process in list((getattr(self, "_processes", None) or {}).values()):
                with contextlib.suppress(OSError, ValueError):
                    if process.is_alive():
                        os.kill(process.pid, signal.SIGINT)
        super().shutdown(wait=wait, cancel_futures=cancel_futures)


@contextlib.contextmanager
def open_executor(jobs: int | None = None, scheduler: str | None = None,
                  tasks: int | None = None) -> Iterator[Executor]:
    """A process pool of ``jobs`` workers, or the executor of a Dask scheduler's client."""
    if scheduler:
        try:
            from distributed import Client
        except ImportError:
            raise ReportError("--scheduler needs dask.distributed (install the 'distributed' "
                              "extra: pip install 'city-innovation[distributed]')") from None
        try:
            client = Client(scheduler, timeout=10)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ReportError(f"--scheduler {scheduler}: cannot connect "
                              f"({execute.one_line(type(exc).__name__, str(exc))})") from None
        try:
            yield client.get_executor(pure=False)
        finally:
            client.close()
        return
    workers = max(1, min(jobs or os.cpu_count() or 1, tasks or sys.maxsize))
    pool = NotebookPool(workers, _pool_context())
    try:
        yield pool
    finally:
        pool.shutdown(wait=True)

