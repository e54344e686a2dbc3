"""Executing notebooks: kernels, time limits, stop signals, worker pools, outcomes.

A report task (:func:`execute_notebook_task`) runs in a worker: it executes one notebook with
papermill, exports it to HTML and returns a :class:`NotebookOutcome` by value, so workers need
no access to the output folder. :func:`open_executor` gives the Executor the tasks run on (a
process pool, or a Dask client's executor). :func:`execute_in_place` is what ``make notebooks``
uses: it rewrites a notebook only when its run succeeded, without timing metadata.

Only the standard library is imported at import time; the notebook tools where they are used.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import inspect
import json
import logging
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import files
from .errors import ReportError

if TYPE_CHECKING:
    from .report import NotebookTask

KERNEL_NAME = "city-innovation"
#: Environment variable naming the file a kernel's :func:`report.record_findings` writes.
FINDINGS_ENV = "CITY_INNOVATION_FINDINGS"
ENGINE = "city-innovation"
#: Default time limit of one notebook in a report run, in seconds (``--timeout``).
DEFAULT_TIMEOUT = 600.0
T = TypeVar("T")


@dataclass
class NotebookOutcome:
    """What a task returns: the executed notebook, its HTML, findings, timing and error."""

    run: str
    number: str
    stem: str
    parameters: dict[str, Any]
    seconds: float
    error: str | None = None
    ipynb: str | None = None
    html: str | None = None
    code_html: str | None = None
    figure: str | None = None  # the key figure (the first PNG of the reader's page), base64
    sections: list[list[str]] = field(default_factory=list)  # [level, anchor, title] per heading
    figure_section: str | None = None  # anchor of the heading the key figure is under
    findings: dict[str, Any] | None = None
    kernel_log: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None


_imports = threading.Lock()


@functools.cache
def _notebook_tools() -> None:
    """Import papermill and nbconvert once per process, and register the report engine.

    Importing nbformat imports jsonschema, which imports ``rfc3987_syntax`` when installed; that
    module compiles a grammar at import time (over a second of CPU here) for IRI string formats
    no notebook schema uses. It is kept out while these imports run, then allowed again.
    """
    with _imports:
        blocked = "rfc3987_syntax" not in sys.modules and "jsonschema" not in sys.modules
        if blocked:
            sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]
        try:
            import nbconvert  # noqa: F401
            import papermill  # noqa: F401
            from papermill.engines import papermill_engines
        finally:
            if blocked and sys.modules.get("rfc3987_syntax", 0) is None:
                del sys.modules["rfc3987_syntax"]
        papermill_engines.register(ENGINE, _engine_class())


@functools.cache
def _kernel_manager_class() -> type:
    """The kernel manager of report runs: CurveZMQ-encrypted kernel traffic when available.

    Kernels on plain TCP log a warning to the launcher's stderr at every start (ipykernel 7);
    with manager-provisioned keys the traffic is encrypted and the kernel has nothing to say.
    """
    import zmq
    from jupyter_client.manager import AsyncKernelManager

    class ReportKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            if zmq.has("curve"):
                self.transport_encryption = "auto"

    return ReportKernelManager


@functools.cache
def _engine_class() -> type:
    """A papermill engine that gives the kernel its own environment, folder and stderr.

    Its ``execution_timeout`` is the time limit of the whole notebook (``--timeout``): each cell
    may use what the cells before it left; a cell still running then raises nbclient's
    ``CellTimeoutError`` and the kernel is shut down at once (killed).

    When the kernel dies or the time is up, papermill (told not to save after each cell)
    writes nothing; the engine then writes the notebook as far as it ran to ``partial_output``,
    the cell that was running marked with the error.

    The stock engine starts the kernel in the caller's current folder (papermill changes the
    process's folder for ``cwd=``, which is not safe with several threads) with the caller's
    environment and stderr; each task needs its own findings file, and the kernel's own log lines
    (not the notebook's outputs) go to a file the task filters (:func:`_kernel_log`).
    """
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine
    from papermill.log import logger

    class ReportEngine(NBClientEngine):
        """``execution_timeout`` limits the whole notebook, not each cell."""

        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, log_output: bool = False,
                                     start_timeout: int = 60, execution_timeout: int | None = None,
                                     kernel_env: Mapping[str, str] | None = None,
                                     kernel_cwd: str | None = None, kernel_stderr: Any = None,
                                     partial_output: str | None = None, **kwargs: Any) -> Any:
            client = PapermillNotebookClient(
                nb_man, kernel_name=kernel_name, kernel_manager_class=_kernel_manager_class(),
                shutdown_kernel="immediate", timeout=execution_timeout,
                timeout_func=_time_left(execution_timeout), startup_timeout=start_timeout,
                log=logger, log_output=log_output, resources={"metadata": {"path": kernel_cwd}})
            try:
                return client.execute(env=dict(kernel_env or os.environ), stderr=kernel_stderr)
            except Exception as exc:  # not a cell's error (papermill keeps those): the kernel's
                if partial_output:
                    _save_partial(nb_man.nb, exc, partial_output)
                raise

    return ReportEngine


def _time_left(limit: float | None) -> Callable[[Any], float] | None:
    """nbclient's per-cell ``timeout_func`` for a limit on all cells of a notebook together.

    The clock starts with the first cell (starting the kernel has its own limit).
    """
    if limit is None:
        return None
    deadline: list[float] = []

    def left(cell: Any) -> float:
        if not deadline:
            deadline.append(time.monotonic() + limit)
        return max(0.01, deadline[0] - time.monotonic())  # 0 would mean "no limit" to nbclient

    return left


def _save_partial(nb: Any, exc: BaseException, path: str) -> None:
    """Write ``nb`` as far as it ran, with ``exc`` as the error output of the cell it stopped in
    (the last code cell papermill started: later ones are still "pending")."""
    import nbformat

    started = [cell for cell in nb.cells if cell.cell_type == "code" and cell.get(
        "metadata", {}).get("papermill", {}).get("status") not in (None, "pending")]
    for cell in started[-1:]:
        cell.outputs.append(nbformat.v4.new_output(
            "error", ename=type(exc).__name__, evalue=str(exc), traceback=[]))
    nbformat.write(nb, path)


def in_own_event_loop(fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Call ``fn`` in an empty ``contextvars`` context on a new event loop, closed afterwards.

    nbclient, jupyter_client and papermill run their coroutines with jupyter_core's
    ``run_sync``, which keeps the event loop it made in a *context variable*, not per thread.
    dask.distributed runs each task in a copy of the context it was submitted from; in an
    in-process cluster that is the caller's main thread, so once any notebook had run there
    (an earlier test, nbval, a teaching check) every worker thread found the caller's loop and
    two notebooks in two threads drove that one loop at once: "This event loop is already
    running". An empty context makes ``run_sync`` create a loop for this call only, whatever
    ran before in the process and whichever thread runs the call; it is closed at the end, so
    a long-lived worker thread does not collect loops.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:  # called from async code: run_sync then uses a thread of its own
        return fn(*args, **kwargs)

    def call() -> T:
        from jupyter_core.utils import ensure_event_loop

        loop = ensure_event_loop()  # new: the context is empty and no loop runs here
        try:
            return fn(*args, **kwargs)
        finally:
            _close_loop(loop)

    return contextvars.Context().run(call)


def _close_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel what is left on ``loop`` (after a failure or Ctrl-C), then close it."""
    try:
        pending = asyncio.all_tasks(loop)
        for task in pending:
            task.cancel()
        if pending:  # bounded: a task that ignores its cancellation is left to the close
            loop.run_until_complete(asyncio.wait(pending, timeout=5))
        loop.run_until_complete(loop.shutdown_asyncgens())
    except Exception:  # the loop goes away either way
        pass
    finally:
        asyncio.set_event_loop(None)
        loop.close()


_local = threading.local()
#: Module the fork server of the process pool imports: workers fork from it with tools loaded.
WORKER_PRELOAD = "city_innovation._report_worker"


def _exporter(no_input: bool) -> Any:
    """The HTML exporter of this worker (built once: it loads templates and filters)."""
    cache: dict[bool, Any] = _local.__dict__.setdefault("exporters", {})
    if no_input not in cache:
        from nbconvert import HTMLExporter

        cache[no_input] = HTMLExporter(template_name="lab", exclude_input=no_input,
                                       exclude_input_prompt=no_input,
                                       exclude_output_prompt=no_input)
    return cache[no_input]


def _export(ipynb: str, task: NotebookTask) -> tuple[str, str | None]:
    """The reader's page (no code, contents from the headings) and the page with code.

    The page with code is left out when the task says ``no_input`` (``--no-input``).
    """
    import nbformat

    from .present.reader import reader_cells
    from .site import code_page, reader_page

    resources = {"metadata": {"name": f"{task.run_name} - {task.stem}"}}
    nb = nbformat.reads(ipynb, as_version=4)
    code = None
    if not task.no_input:
        code, _ = _exporter(False).from_notebook_node(nb, resources=resources)
        code = code_page(code, f"{task.stem}.html")
    nb.cells = reader_cells(nb.cells)
    reader, _ = _exporter(True).from_notebook_node(nb, resources=resources)
    return reader_page(reader, None if code is None else f"{task.stem}.code.html"), code


def warm_tools() -> None:
    """Import the notebook tools and build the default HTML exporter, its templates compiled.

    Run once in the pool's fork server (:data:`WORKER_PRELOAD`), so every worker starts warm.
    """
    _notebook_tools()
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("warm")])
    _exporter(False).from_notebook_node(nb)
    _exporter(True).from_notebook_node(nb)


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
    """Note a stop signal; :func:`run_batch` acts on it between two waits. A second one raises
    at once (an escape from a clean-up that does not end)."""
    _stop_requests.append(signum)
    if len(_stop_requests) > 1:
        raise Stopped(signum)


def _check_stop() -> None:
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
        _check_stop()  # e.g. during the executor's shut-down, after the last notebook
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
    _notebook_tools()


def _end_with(pid: int, every: float = 1.0) -> None:
    """End this worker (and so its kernel, which follows its parent) once process ``pid`` is
    gone, e.g. killed with SIGKILL or by the out-of-memory killer.

    A pool worker cannot notice otherwise: it holds both ends of the pool's queues itself and
    waits on them for ever, and it keeps the fork server alive with it.
    """

    def watch() -> None:
        while not _gone(pid):
            time.sleep(every)
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


#: Kernel log lines that are noise, not news: the plain-TCP warning of ipykernel 7 (when transport
#: encryption is unavailable) and the interrupt jupyter_client sends every kernel it shuts down.
KERNEL_NOISE = ("Kernel is running over TCP without encryption",
                "KeyboardInterrupt caught in kernel")


def _kernel_log(text: str) -> str:
    """The kernel's stderr without the noise lines (see :data:`KERNEL_NOISE`)."""
    keep = [line for line in text.splitlines()
            if line.strip() and not any(noise in line for noise in KERNEL_NOISE)]
    return "\n".join(keep)


def _one_line(ename: str, evalue: str) -> str:
    text = " ".join(str(evalue).split())
    return f"{ename}: {text[:300]}" if text else ename


def _failure(exc: BaseException, timeout: float | None) -> str:
    """The one-line reason a notebook did not run to the end, for the index and run.json."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return _one_line(exc.ename, exc.evalue)
    if isinstance(exc, CellTimeoutError):
        return (f"timed out: still running after {timeout:g} s (--timeout); the kernel was "
                "stopped")
    if isinstance(exc, DeadKernelError):
        return "the kernel died (the process running the notebook ended, e.g. os._exit or a crash)"
    return _one_line(type(exc).__name__, str(exc))


def execute_notebook_task(task: NotebookTask,
                          timeout: float | None = DEFAULT_TIMEOUT) -> NotebookOutcome:
    """Execute one notebook with papermill and export it; runs in a worker, returns by value.

    A failing notebook is an outcome with ``error`` set (and the executed notebook, error cell
    included, when papermill got that far), not an exception: a cell that raises, a kernel that
    dies, a notebook still running after ``timeout`` seconds (its kernel is then killed). The
    execution runs on an event loop of its own (:func:`in_own_event_loop`), so tasks in threads
    of one worker do not share one.
    """
    if _halt is not None and _halt.is_set():
        raise KeyboardInterrupt  # queued before the batch was stopped: do not start a kernel
    with _interruptible():
        _notebook_tools()
        import papermill

        outcome = NotebookOutcome(run=task.run, number=task.number, stem=task.stem,
                                  parameters=task.parameters, seconds=0.0)
        with tempfile.TemporaryDirectory(prefix="city-innovation-") as tmp:
            executed = Path(tmp) / Path(task.path).name
            findings = Path(tmp) / "findings.json"
            log = Path(tmp) / "kernel.log"
            env = {**os.environ, **task.env, FINDINGS_ENV: str(findings)}
            start = time.perf_counter()
            try:
                with log.open("w", encoding="utf-8") as stderr:
                    in_own_event_loop(
                        papermill.execute_notebook,
                        task.path, str(executed), parameters=task.parameters,
                        engine_name=ENGINE, kernel_name=KERNEL_NAME, progress_bar=False,
                        log_output=False, request_save_on_cell_execute=False,
                        execution_timeout=timeout, partial_output=str(executed), kernel_env=env,
                        kernel_cwd=str(Path(task.path).parent), kernel_stderr=stderr)
            except Exception as exc:  # the notebook's failure, not the worker's
                outcome.error = _failure(exc, timeout)
            outcome.seconds = round(time.perf_counter() - start, 2)
            outcome.kernel_log = _kernel_log(log.read_text(encoding="utf-8", errors="replace"))
            if executed.is_file():
                outcome.ipynb = executed.read_text(encoding="utf-8")
            if findings.is_file():
                outcome.findings = json.loads(findings.read_text(encoding="utf-8"))
        if outcome.ipynb is not None and {"html", "pdf"} & set(task.formats):
            from .site import page_outline

            outcome.html, outcome.code_html = _export(outcome.ipynb, task)
            outcome.sections, outcome.figure, outcome.figure_section = page_outline(outcome.html)
        if "ipynb" not in task.formats and outcome.ok:
            outcome.ipynb = None
        return outcome


def _stop(executor: Executor) -> None:
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


def _outcome_of(future: Future[NotebookOutcome], task: NotebookTask) -> NotebookOutcome:
    """The task's outcome; a worker that broke down (not the notebook) fails the task too."""
    try:
        return future.result()
    except KeyboardInterrupt:
        raise
    except Exception as exc:
        return NotebookOutcome(run=task.run, number=task.number, stem=task.stem,
                               parameters=task.parameters, seconds=0.0,
                               error=_lost(exc))


def _lost(exc: BaseException) -> str:
    """The one-line reason for a task whose worker, not its notebook, gave out."""
    name = type(exc).__name__
    if name == "KilledWorker":  # dask.distributed re-ran it on other workers; they died too
        return ("worker lost: every Dask worker that ran this notebook died "
                f"({_one_line(name, str(exc))[:200]})")
    if name == "BrokenProcessPool":
        return "worker lost: a process of the pool ended abruptly (killed, or out of memory)"
    return _one_line(name, str(exc))


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
                              f"({_one_line(type(exc).__name__, str(exc))})") from None
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

# --- re-executing committed notebooks -------------------------------------------------------

def execute_in_place(paths: Iterable[str | os.PathLike[str]], timeout: int = 600) -> list[Path]:
    """Execute notebooks and overwrite each with its executed version (atomically)."""
    _notebook_tools()
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    done: list[Path] = []
    for raw in paths:
        path = Path(raw).resolve()
        if not path.is_file():
            raise ReportError(f"notebook {raw}: file not found")
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception as exc:  # nbformat raises several kinds for a file that is no notebook
            raise ReportError(f"notebook {raw}: not a readable notebook "
                              f"({type(exc).__name__})") from None
        client = NotebookClient(nb, timeout=timeout, kernel_name=KERNEL_NAME,
                                kernel_manager_class=_kernel_manager_class(),
                                record_timing=False,
                                resources={"metadata": {"path": str(path.parent)}})
        try:
            in_own_event_loop(client.execute)
        except CellExecutionError as exc:
            first = str(exc).strip().splitlines()[-1] if str(exc).strip() else "cell failed"
            raise ReportError(f"notebook {path.name}: a cell failed ({first}); "
                              "the file was left unchanged") from None
        files.write_text(path, nbformat.writes(nb) + "\n")
        done.append(path)
    return done
