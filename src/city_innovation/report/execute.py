"""Executing one notebook: papermill's engine and kernel, time limits, failures, outcomes.

A report task (:func:`execute_notebook_task`) runs in a worker: it executes one notebook with
papermill, exports it to HTML (:mod:`.export`) and returns a :class:`.model.NotebookOutcome` by
value, so workers need no access to the output folder. :func:`execute_in_place` is what ``make
notebooks`` uses: it rewrites a notebook only when its run succeeded, without timing metadata.

Only the standard library is imported at import time; the notebook tools where they are used.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import json
import os
import secrets
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

from .. import files
from ..errors import ReportError
from . import export
from .model import DEFAULT_TIMEOUT, FINDINGS_ENV, KERNEL_NAME, NotebookOutcome, NotebookTask

#: The name the report's papermill engine is registered under.
ENGINE = "city-innovation"
T = TypeVar("T")


_imports = threading.Lock()


@functools.cache
def notebook_tools() -> None:
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


#: The longest Unix socket path the platforms allow, less room for the ``-N`` jupyter_client
#: appends (``sun_path`` holds 108 bytes on Linux, 104 on macOS, both with the final NUL).
_SOCKET_PATH_MAX = 100


def fits_socket_path(stem: str | os.PathLike[str]) -> bool:
    """Whether Unix sockets named ``<stem>-N`` (as jupyter_client names a kernel's) fit the
    platforms' limit on a socket's path, counted in bytes."""
    return len(os.fsencode(stem)) + 3 <= _SOCKET_PATH_MAX


def kernel_endpoint(folder: str | os.PathLike[str] | None = None) -> dict[str, str]:
    """Where a new kernel listens: Unix sockets of its own (POSIX), else TCP on loopback.

    Over TCP jupyter_client picks a kernel's ports by binding port 0 and closing the socket;
    until the kernel binds them, another process may get the same port (jupyter_client issue
    487). The kernel then fails with "Address already in use" and its client waits in vain
    ("Kernel didn't respond in 60 seconds"). Kernels started side by side by report workers,
    or by tests, meet that race; a socket path with a random name cannot be taken by another
    process.

    Returns keyword arguments for a kernel manager: the connection file and, on POSIX, the
    sockets beside it, in ``folder`` when given and short enough for a socket's path, else in
    Jupyter's runtime folder (where Jupyter's own servers keep them; macOS's temporary folder
    is too deep for a socket). Where the runtime folder is too deep as well, and on Windows,
    the kernel uses TCP and only the connection file goes to the first of those folders.
    """
    from jupyter_core.paths import jupyter_runtime_dir

    name = f"kernel-{secrets.token_hex(6)}"
    places = [Path(p).absolute()  # the kernel starts in another folder
              for p in (folder, jupyter_runtime_dir()) if p is not None]
    for place in places if os.name == "posix" else []:
        if fits_socket_path(place / name):
            place.mkdir(mode=0o700, parents=True, exist_ok=True)
            return {"connection_file": str(place / f"{name}.json"), "transport": "ipc",
                    "ip": str(place / name)}
    places[0].mkdir(mode=0o700, parents=True, exist_ok=True)
    return {"connection_file": str(places[0] / f"{name}.json")}


#: The kernel manager's traits :func:`kernel_endpoint` sets, unless the caller or its
#: configuration sets one of them.
_ENDPOINT_TRAITS = frozenset({"transport", "ip", "connection_file"})


class _ReportKernel:
    """Mixin for jupyter_client's kernel managers: the kernel listens where
    :func:`kernel_endpoint` says (unless the caller or the configuration chose a transport,
    address or connection file), and its traffic is CurveZMQ-encrypted when pyzmq can.

    Kernels on plain TCP log a warning to the launcher's stderr at every start (ipykernel 7);
    with manager-provisioned keys the traffic is encrypted and the kernel has nothing to say.
    """

    def __init__(self, **kwargs: Any) -> None:
        import zmq

        configured = [set(section) for section in (kwargs.get("config") or {}).values()
                      if isinstance(section, dict)]
        if not _ENDPOINT_TRAITS & set().union(kwargs, *configured):
            kwargs.update(kernel_endpoint())
        super().__init__(**kwargs)
        if zmq.has("curve"):
            self.transport_encryption = "auto"  # type: ignore[attr-defined]


@functools.cache
def kernel_manager_class() -> type:
    """The asynchronous kernel manager of report runs and ``make notebooks`` (see
    :class:`_ReportKernel`); nbclient and papermill take it as ``kernel_manager_class``."""
    from jupyter_client.manager import AsyncKernelManager

    return type("ReportKernelManager", (_ReportKernel, AsyncKernelManager), {})


@functools.cache
def blocking_kernel_manager_class() -> type:
    """The same kernel manager for callers of jupyter_client's blocking API (such as nbval)."""
    from jupyter_client.manager import KernelManager

    return type("BlockingReportKernelManager", (_ReportKernel, KernelManager), {})


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
    (not the notebook's outputs) go to a file the task filters (:func:`kernel_log`). The
    kernel's connection file and sockets go to the task's scratch folder (``kernel_folder``).
    """
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine
    from papermill.log import logger

    class ReportClient(PapermillNotebookClient):
        """Starts its kernel with the connection file and sockets in ``kernel_folder``."""

        def __init__(self, *args: Any, kernel_folder: str | None = None, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.kernel_folder = kernel_folder

        def create_kernel_manager(self) -> Any:
            self.km = self.kernel_manager_class(kernel_name=self.kernel_name, config=self.config,
                                                **kernel_endpoint(self.kernel_folder))
            return self.km

    class ReportEngine(NBClientEngine):
        """``execution_timeout`` limits the whole notebook, not each cell."""

        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, log_output: bool = False,
                                     start_timeout: int = 60, execution_timeout: int | None = None,
                                     kernel_env: Mapping[str, str] | None = None,
                                     kernel_cwd: str | None = None, kernel_stderr: Any = None,
                                     kernel_folder: str | None = None,
                                     partial_output: str | None = None, **kwargs: Any) -> Any:
            client = ReportClient(
                nb_man, kernel_name=kernel_name, kernel_manager_class=kernel_manager_class(),
                kernel_folder=kernel_folder,
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


def warm_tools() -> None:
    """Import the notebook tools and build the default HTML exporter, its templates compiled.

    Run once in the pool's fork server (:data:`.pool.WORKER_PRELOAD`), so every worker starts
    warm.
    """
    notebook_tools()
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("warm")])
    export.html_exporter(False).from_notebook_node(nb)
    export.html_exporter(True).from_notebook_node(nb)


#: Kernel log lines that are noise, not news: the plain-TCP warning of ipykernel 7 (when transport
#: encryption is unavailable) and the interrupt jupyter_client sends every kernel it shuts down.
KERNEL_NOISE = ("Kernel is running over TCP without encryption",
                "KeyboardInterrupt caught in kernel")


def kernel_log(text: str) -> str:
    """The kernel's stderr without the noise lines (see :data:`KERNEL_NOISE`)."""
    keep = [line for line in text.splitlines()
            if line.strip() and not any(noise in line for noise in KERNEL_NOISE)]
    return "\n".join(keep)


def one_line(ename: str, evalue: str) -> str:
    """An error as one line of at most about 300 characters: ``Name: message``."""
    text = " ".join(str(evalue).split())
    return f"{ename}: {text[:300]}" if text else ename


def _failure(exc: BaseException, timeout: float | None) -> str:
    """The one-line reason a notebook did not run to the end, for the index and run.json."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return one_line(exc.ename, exc.evalue)
    if isinstance(exc, CellTimeoutError):
        return (f"timed out: still running after {timeout:g} s (--timeout); the kernel was "
                "stopped")
    if isinstance(exc, DeadKernelError):
        return "the kernel died (the process running the notebook ended, e.g. os._exit or a crash)"
    return one_line(type(exc).__name__, str(exc))


#: The scratch folders of the tasks running in this process (see :func:`remove_scratch`).
_scratch_folders: set[str] = set()


@contextlib.contextmanager
def _scratch(folder: str) -> Iterator[None]:
    _scratch_folders.add(folder)
    try:
        yield
    finally:
        _scratch_folders.discard(folder)


def remove_scratch() -> None:
    """Remove the scratch folders of the tasks running in this process (the findings file, the
    kernel's log, connection file and sockets): what a worker does before it ends abruptly,
    when the ``with`` blocks that would remove them will not finish."""
    for folder in list(_scratch_folders):
        for _ in range(3):  # a file the kernel writes meanwhile makes the last rmdir fail
            shutil.rmtree(folder, ignore_errors=True)
            if not os.path.exists(folder):
                break
            time.sleep(0.1)


def execute_notebook_task(task: NotebookTask,
                          timeout: float | None = DEFAULT_TIMEOUT) -> NotebookOutcome:
    """Execute one notebook with papermill and export it; runs in a worker, returns by value.

    A failing notebook is an outcome with ``error`` set (and the executed notebook, error cell
    included, when papermill got that far), not an exception: a cell that raises, a kernel that
    dies, a notebook still running after ``timeout`` seconds (its kernel is then killed). The
    execution runs on an event loop of its own (:func:`in_own_event_loop`), so tasks in threads
    of one worker do not share one. In a pool worker it runs through :func:`.pool.run_task`.
    """
    notebook_tools()
    import papermill

    outcome = NotebookOutcome(run=task.run, number=task.number, stem=task.stem,
                              parameters=task.parameters, seconds=0.0)
    with tempfile.TemporaryDirectory(prefix="city-innovation-") as tmp, _scratch(tmp):
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
                    kernel_cwd=str(Path(task.path).parent), kernel_stderr=stderr,
                    kernel_folder=tmp)
        except Exception as exc:  # the notebook's failure, not the worker's
            outcome.error = _failure(exc, timeout)
        outcome.seconds = round(time.perf_counter() - start, 2)
        outcome.kernel_log = kernel_log(log.read_text(encoding="utf-8", errors="replace"))
        if executed.is_file():
            outcome.ipynb = executed.read_text(encoding="utf-8")
        if findings.is_file():
            outcome.findings = json.loads(findings.read_text(encoding="utf-8"))
    if outcome.ipynb is not None and {"html", "pdf"} & set(task.formats):
        outcome.html, outcome.code_html = export.pages(outcome.ipynb, task)
        outcome.sections, outcome.figure, outcome.figure_section = export.page_outline(
            outcome.html)
    if "ipynb" not in task.formats and outcome.ok:
        outcome.ipynb = None
    return outcome


# --- re-executing committed notebooks -------------------------------------------------------

def execute_in_place(paths: Iterable[str | os.PathLike[str]], timeout: int = 600) -> list[Path]:
    """Execute notebooks and overwrite each with its executed version (atomically)."""
    notebook_tools()
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
                                kernel_manager_class=kernel_manager_class(),
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
