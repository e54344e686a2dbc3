"""Notebook execution: re-running the committed notebooks, and report runs.

``execute_in_place`` is what ``make notebooks`` uses: it runs each notebook top to bottom in its
own folder with the project's kernel and rewrites it only when the run succeeded, so a failing
notebook never replaces a good one. Timing metadata is not recorded, to keep outputs stable.

``city-innovation report`` runs the numbered notebooks of a folder (``01_name.ipynb`` ...) for
one or more parameter sets, called runs. Parameters are checked with each notebook's model in
``params.NOTEBOOK_PARAMS`` before any kernel starts. Each notebook of each run is one task on a
``concurrent.futures`` Executor (a process pool, or a Dask client's executor): the task executes
the notebook with papermill, exports it to HTML and returns both by value with the findings the
notebook recorded (:func:`record_findings`), so workers need no access to the output folder. Only
the calling process writes: into a temporary folder inside the output folder, renamed into place
when the run is complete (``<out>/<slug>/``, or ``<out>/failed/<slug>/`` when a notebook failed).

Kernels import this module for :func:`record_findings`, so it imports only the standard library
at import time; everything heavy is imported where it is used.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import datetime as dt
import functools
import inspect
import json
import logging
import math
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from . import files
from .errors import CityInnovationError, NotFoundError, ParameterError, ReportError

KERNEL_NAME = "city-innovation"
#: Environment variable naming the JSON file :func:`record_findings` writes (set per kernel).
FINDINGS_ENV = "CITY_INNOVATION_FINDINGS"
FORMATS = ("html", "ipynb")
FAILED = "failed"
#: Key of a parameter set (in ``--params-file``) that names the run instead of its city.
RUN_NAME = "name"
#: Parameters of every run (--city, --region); notebooks that do not declare them skip them.
RUN_KEYS = ("city", "region")
NOTEBOOK_FILE = re.compile(r"(?P<number>\d{2})_[^/\\]+\.ipynb")
RUN_FILE = "run.json"
ENGINE = "city-innovation"
#: Default time limit of one notebook in a report run, in seconds (``--timeout``).
DEFAULT_TIMEOUT = 600.0
T = TypeVar("T")


# --- findings: the notebooks' side ---------------------------------------------------------

def record_findings(findings: Mapping[str, Any]) -> None:
    """Record a notebook's key figures for the report index; call it in the notebook's last cell.

    The values are checked everywhere (so a mistake shows in JupyterLab too) and written as JSON
    to the file named by ``$CITY_INNOVATION_FINDINGS``, which ``city-innovation report`` sets for
    each kernel. Without it (JupyterLab, nbval, ``make notebooks``) nothing is written. Returns
    None either way, so the cell has no output and stored outputs do not depend on the runner.
    """
    clean = {key: _finding(key, value) for key, value in _finding_items(findings)}
    target = os.environ.get(FINDINGS_ENV)
    if not target:
        return None
    path = Path(target)
    files.write_text(path, json.dumps(clean, ensure_ascii=False, indent=1))
    return None


def _finding_items(findings: Mapping[str, Any]) -> Iterable[tuple[str, Any]]:
    if not isinstance(findings, Mapping):
        raise ParameterError(f"findings: expected a mapping of names to values, "
                             f"got {type(findings).__name__}")
    for key, value in findings.items():
        if not isinstance(key, str) or not key:
            raise ParameterError(f"findings: key {key!r} is not allowed (allowed: a non-empty "
                                 "string)")
        yield key, value


def _finding(key: str, value: Any) -> Any:
    """A JSON-safe copy of one finding (numpy scalars become Python numbers)."""
    if hasattr(value, "item") and callable(value.item) and getattr(value, "ndim", 1) == 0:
        value = value.item()
    if isinstance(value, (list, tuple)):
        return [_finding(key, v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        raise ParameterError(f"findings: {key}: {value!r} is not allowed (allowed: a finite "
                             "number)")
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    raise ParameterError(f"findings: {key}: a {type(value).__name__} is not allowed (allowed: "
                         "str, int, float, bool, None or a list of them)")


# --- notebooks and parameters ---------------------------------------------------------------

def discover(folder: str | os.PathLike[str]) -> dict[str, Path]:
    """The numbered notebooks of ``folder`` (``NN_name.ipynb``), keyed by number, in order."""
    root = Path(folder)
    if not root.is_dir():
        raise NotFoundError(f"notebooks folder {root}: not found")
    found: dict[str, Path] = {}
    for path in sorted(root.glob("*.ipynb")):
        match = NOTEBOOK_FILE.fullmatch(path.name)
        if match is None:
            continue
        number = match["number"]
        if number in found:
            raise ReportError(f"notebooks folder {root}: {found[number].name} and {path.name} "
                              "have the same number (allowed: one notebook per number)")
        found[number] = path
    return found


def select_notebooks(folder: str | os.PathLike[str],
                     wanted: Sequence[str] | None = None) -> dict[str, Path]:
    """The notebooks to run: all numbered ones, or those listed (``"1"`` and ``"01"`` alike)."""
    from .params import NOTEBOOK_PARAMS

    available = discover(folder)
    if not available:
        raise NotFoundError(f"notebooks folder {Path(folder)}: no numbered notebooks "
                            "(allowed: files named NN_name.ipynb)")
    known = ", ".join(available)
    chosen: dict[str, Path] = {}
    for raw in wanted or list(available):
        number = raw.strip().zfill(2)
        if number not in available:
            raise NotFoundError(f"notebook {raw.strip()!r}: not found in {Path(folder).name}/ "
                                f"(available: {known})")
        chosen[number] = available[number]
    for number, path in chosen.items():
        if number not in NOTEBOOK_PARAMS:
            raise ReportError(f"notebook {path.name}: no parameter model for number {number} "
                              f"(known: {', '.join(NOTEBOOK_PARAMS)}; see params.py)")
    return dict(sorted(chosen.items()))


def cli_value(raw: str, key: str = "value") -> Any:
    """A ``-p KEY VALUE`` value: a YAML flow list for ``[a, b]``, otherwise the string itself.

    Everything else stays text: the notebook's model converts ``"0.3"`` or ``"false"`` and
    names the parameter when it cannot (``#D55E00`` must not become a YAML comment).
    """
    text = raw.strip()
    if not text.startswith("["):
        return raw
    import yaml

    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        raise ParameterError(f"-p {key} {raw!r}: not a list (allowed: [a, b, ...])") from None
    return value


def read_params_file(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The parameter sets of a YAML file: a list of mappings of parameter names to values."""
    import yaml

    file = Path(path)
    if not file.is_file():
        raise NotFoundError(f"--params-file {file}: file not found")
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise ParameterError(f"--params-file {file.name}: {where}not valid YAML") from None
    if not isinstance(raw, list) or not raw:
        raise ParameterError(f"--params-file {file.name}: expected a non-empty list of "
                             "parameter sets (mappings such as '- city: Helsinki')")
    for i, entry in enumerate(raw, 1):
        if not isinstance(entry, dict) or not all(isinstance(k, str) for k in entry):
            raise ParameterError(f"--params-file {file.name}: entry {i}: expected a mapping of "
                                 "parameter names to values")
    return [dict(entry) for entry in raw]


def parameter_sets(cities: Sequence[str] | None, region: str | None,
                   pairs: Sequence[tuple[str, str]] = (),
                   entries: Sequence[Mapping[str, Any]] | None = None) -> list[dict[str, Any]]:
    """One parameter set per run: per ``--city``, or per entry of a params file.

    ``--region`` and ``-p`` values apply to every run; an entry of a params file overrides them.
    The city defaults to the notebooks' default (that of ``params.py``); the region is only
    set where given: :func:`plan_runs` pairs a city with a region only where the data say so.
    """
    from .params import FundingParams

    for key, _ in pairs:
        if key in (*RUN_KEYS, RUN_NAME):
            raise ParameterError(f"-p {key}: give the {key} with --{key}" if key != RUN_NAME
                                 else f"-p {key}: '{RUN_NAME}' is not a notebook parameter "
                                      "(it names a run in --params-file)")
    common: dict[str, Any] = {
        "city": FundingParams.model_fields["city"].default,
        **({"region": region} if region else {}),
        **{key: cli_value(value, key) for key, value in pairs},
    }
    if entries is not None:
        if cities:
            raise ParameterError("--city and --params-file: give one or the other (a params "
                                 "file sets the city of each run)")
        return [{**common, **entry} for entry in entries]
    return [{**common, "city": city} for city in every_city(cities or [common["city"]])]


#: ``--city all``: every city with a profile in the data folder.
ALL_CITIES = "all"


def every_city(cities: Sequence[str]) -> list[str]:
    """The cities given, ``all`` replaced by every city of ``data/profiles/`` (each once)."""
    from . import data

    out: list[str] = []
    for city in cities:
        out += data.available_cities() if city.strip().casefold() == ALL_CITIES else [city]
    return list(dict.fromkeys(out))


def run_slug(name: str) -> str:
    """The folder name of a run: a slug that cannot leave the output folder."""
    from slugify import slugify

    slug = slugify(str(name), max_length=80)
    if not slug or slug == FAILED:
        raise ParameterError(f"run name {name!r}: gives no usable folder name (allowed: a name "
                             f"with letters or digits, other than {FAILED!r})")
    return slug


@dataclass(frozen=True)
class NotebookTask:
    """One notebook of one run: everything a worker needs, picklable."""

    run: str
    run_name: str
    number: str
    path: str
    parameters: dict[str, Any]
    env: dict[str, str]
    formats: tuple[str, ...] = FORMATS
    no_input: bool = False

    @property
    def stem(self) -> str:
        return Path(self.path).stem


@dataclass(frozen=True)
class RunPlan:
    """One run: a name, its folder slug, the parameters given, and its notebook tasks."""

    name: str
    slug: str
    parameters: dict[str, Any]
    tasks: tuple[NotebookTask, ...]
    skipped: tuple[tuple[str, str], ...] = ()


def plan_runs(sets: Sequence[Mapping[str, Any]], notebooks: Mapping[str, Path], *,
              formats: Sequence[str] = FORMATS, no_input: bool = False,
              env: Mapping[str, str] | None = None) -> list[RunPlan]:
    """Check every parameter set with the notebooks' models and plan the runs (no kernel yet).

    A parameter no selected notebook declares is an error (city and region excepted), and so
    is a value a model refuses. Each notebook receives every parameter its model declares, as
    the model checked it (given values converted, defaults filled in, e.g. a region's periods),
    so it runs with exactly what was checked. ``output_dir`` is taken relative to the current
    folder (not the notebooks'), with one subfolder per run in a batch.

    A notebook whose model has a ``region`` parameter needs a region: the one given, else the
    one the data pair the city with (:func:`.data.paired_region`). Without one it is not run,
    and the plan says why (``skipped``); a run left with no notebook is an error.
    """
    from .params import NOTEBOOK_PARAMS

    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ParameterError(f"--format {','.join(formats)}: unknown format "
                             f"(allowed: {', '.join(FORMATS)}, comma-separated)")
    models = {number: NOTEBOOK_PARAMS[number] for number in notebooks}
    declared = sorted(set().union(*(m.model_fields for m in models.values())))
    plans: list[RunPlan] = []
    seen: dict[str, str] = {}
    for given in sets:
        name = str(given.get(RUN_NAME) or given.get("city"))
        values = {k: v for k, v in given.items() if k != RUN_NAME}
        if values.get("output_dir") is not None:
            folder = Path(str(values["output_dir"])).resolve()
            values["output_dir"] = str(folder / run_slug(name) if len(sets) > 1 else folder)
        unknown = [k for k in values if k not in declared and k not in RUN_KEYS]
        if unknown:
            raise ParameterError(f"parameter {unknown[0]}: not a parameter of notebook(s) "
                                 f"{', '.join(notebooks)} (allowed: {', '.join(declared)})")
        slug = run_slug(name)
        if slug in seen:
            raise ParameterError(f"runs {seen[slug]!r} and {name!r} would share the folder "
                                 f"{slug}/ (allowed: distinct names; a params-file entry can "
                                 f"set '{RUN_NAME}')")
        seen[slug] = name
        where = f"run {name!r}: " if len(sets) > 1 else ""
        region = values.get("region") or _paired_region(values.get("city"), env)
        why = (f"needs a region; the data pair {values.get('city')} with none (its profile names "
               "no region and no file in data/regions/ lists it); pass --region to choose one")
        skipped = tuple((p.stem, why) for n, p in notebooks.items()
                        if not region and "region" in models[n].model_fields)
        if len(skipped) == len(models):
            raise ParameterError(f"{where}notebook(s) {', '.join(notebooks)}: each {why}")
        tasks = []
        for number, model in models.items():
            if not region and "region" in model.model_fields:
                continue
            mine = {k: v for k, v in values.items() if k in model.model_fields}
            if region and "region" in model.model_fields:
                mine["region"] = region
            try:
                checked = model.parse(**mine)
            except ParameterError as exc:
                raise ParameterError(f"{where}notebook {notebooks[number].name}: {exc}") from None
            tasks.append(NotebookTask(
                run=slug, run_name=name, number=number, path=str(notebooks[number].resolve()),
                parameters=checked.model_dump(), env=dict(env or {}),
                formats=tuple(formats), no_input=no_input))
        plans.append(RunPlan(name=name, slug=slug, parameters=values, tasks=tuple(tasks),
                             skipped=skipped))
    return plans


def _paired_region(city: Any, env: Mapping[str, str] | None) -> str | None:
    """The region the data pair the city with; None also for an unknown city (the notebooks'
    parameter check names that problem)."""
    from . import data
    from .paths import ENV_VAR

    try:
        return data.paired_region(str(city), (env or {}).get(ENV_VAR))
    except CityInnovationError:
        return None


def check_output_folder(out: Path) -> None:
    """Refuse an ``--out`` that cannot be written, before any kernel starts (one line).

    The folder itself, or the nearest folder above it that exists when it does not, must
    take a new entry: a probe folder is made there and removed at once.
    """
    where = out
    while not where.exists() and where != where.parent:
        where = where.parent
    if not where.is_dir():
        raise ReportError(f"--out {out}: {where} is a file, not a folder (allowed: a folder, "
                          "or a path of folders that do not exist yet)")
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".tmp-check-", dir=where))
    except OSError as exc:
        raise ReportError(f"--out {out}: cannot write in {where} "
                          f"({exc.strerror or type(exc).__name__})") from None


def check_targets(plans: Sequence[RunPlan], out: Path, force: bool) -> None:
    """Refuse to start when a run's report folder exists and ``force`` is not given."""
    if force:
        return
    for plan in plans:
        target = out / plan.slug
        if target.exists():
            raise ReportError(f"report folder {target} exists (use --force to replace it)")


# --- execution: the workers' side -----------------------------------------------------------

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


def warm_tools() -> None:
    """Import the notebook tools and build the default HTML exporter, its templates compiled.

    Run once in the pool's fork server (:data:`WORKER_PRELOAD`), so every worker starts warm.
    """
    _notebook_tools()
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("warm")])
    _exporter(False).from_notebook_node(nb)


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
        import nbformat
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
        if outcome.ipynb is not None and "html" in task.formats:
            nb = nbformat.reads(outcome.ipynb, as_version=4)
            outcome.html, _ = _exporter(task.no_input).from_notebook_node(
                nb, resources={"metadata": {"name": f"{task.run_name} - {task.stem}"}})
        if "ipynb" not in task.formats and outcome.ok:
            outcome.ipynb = None
        return outcome


# --- writing: the caller's side -------------------------------------------------------------

RUN_INDEX = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{{ run.name }} - city-innovation report</title>
<style>{{ css }}</style></head>
<body>
<h1>{{ run.name }}</h1>
<p class="{{ run.status }}">{% if run.status == "ok" %}All {{ run.notebooks|length }} notebooks
ran{% else %}Failed: {{ run.failed|length }} of {{ run.notebooks|length }} notebooks did not run
to the end{% endif %}; notebook run time {{ "%.1f"|format(run.seconds) }} s; finished
{{ run.finished }}.
<a href="{{ up }}index.html">All reports</a></p>
{% for s in run.skipped %}<p class="skipped">Not run: <strong>{{ s.notebook }}</strong>
({{ s.reason }}).</p>
{% endfor %}<table>
<thead><tr><th>Notebook</th><th>Parameters</th><th>Run time</th><th>Findings</th></tr></thead>
<tbody>
{% for nb in run.notebooks %}<tr class="{{ 'ok' if not nb.error else 'failed' }}">
<td><strong>{{ nb.stem }}</strong><br>
{% for label, href in nb.links %}<a href="{{ href }}">{{ label }}</a> {% endfor %}
{% if nb.error %}<p class="failed">failed: {{ nb.error }}</p>{% endif %}</td>
<td><dl>{% for k, v in nb.parameters.items() %}<dt>{{ k }}</dt><dd>{{ show(v) }}</dd>
{% endfor %}</dl></td>
<td>{{ "%.1f"|format(nb.seconds) }} s</td>
<td>{% if nb.findings %}<dl>{% for k, v in nb.findings.items() %}<dt>{{ k }}</dt>
<dd>{{ show(v) }}</dd>{% endfor %}</dl>{% else %}-{% endif %}</td>
</tr>
{% endfor %}</tbody></table>
</body></html>
"""

TOP_INDEX = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>city-innovation reports</title>
<style>{{ css }}</style></head>
<body>
<h1>City innovation reports</h1>
<table>
<thead><tr><th>Run</th><th>Status</th><th>Notebooks</th><th>Run time</th><th>Finished</th></tr>
</thead><tbody>
{% for run in runs %}<tr class="{{ run.status }}">
<td><a href="{{ run.href }}">{{ run.name }}</a></td>
<td>{{ run.status }}{% if run.failed %}: {{ run.failed|join(", ") }}{% endif %}</td>
<td>{{ run.notebooks|map(attribute="stem")|join(", ") }}</td>
<td>{{ "%.1f"|format(run.seconds) }} s</td><td>{{ run.finished }}</td></tr>
{% else %}<tr><td colspan="5">No reports yet.</td></tr>
{% endfor %}</tbody></table>
</body></html>
"""

CSS = ("body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem;color:#222}"
       "table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;"
       "padding:.5rem;text-align:left;vertical-align:top}dl{margin:0;display:grid;"
       "grid-template-columns:max-content auto;gap:0 .75rem}dt{color:#555}dd{margin:0}"
       ".failed{color:#b00020}")


def _show(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_show(v) for v in value)
    return "-" if value is None else str(value)


@functools.cache
def _templates() -> Any:
    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.globals.update(css=CSS, show=_show)
    return env


_write_text = files.write_text


@dataclass
class RunResult:
    """A finished run: where it was written and what each notebook did."""

    name: str
    slug: str
    seconds: float
    finished: str
    notebooks: list[NotebookOutcome] = field(default_factory=list)
    folder: Path | None = None
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def failed(self) -> list[str]:
        return [nb.stem for nb in self.notebooks if not nb.ok]

    @property
    def status(self) -> str:
        return "failed" if self.failed else "ok"


def _save_outcome(outcome: NotebookOutcome, folder: Path) -> None:
    if outcome.ipynb is not None:
        (folder / f"{outcome.stem}.ipynb").write_text(outcome.ipynb, encoding="utf-8")
    if outcome.html is not None:
        (folder / f"{outcome.stem}.html").write_text(outcome.html, encoding="utf-8")
    if outcome.kernel_log:
        (folder / f"{outcome.stem}.kernel.log").write_text(outcome.kernel_log + "\n",
                                                            encoding="utf-8")


def _links(outcome: NotebookOutcome) -> list[tuple[str, str]]:
    from urllib.parse import quote

    links = [("HTML", f"{outcome.stem}.html")] if outcome.html is not None else []
    if outcome.ipynb is not None:
        links.append(("notebook", f"{outcome.stem}.ipynb"))
    if outcome.kernel_log:
        links.append(("kernel log", f"{outcome.stem}.kernel.log"))
    return [(label, quote(href)) for label, href in links]


def _run_record(result: RunResult) -> dict[str, Any]:
    return {"name": result.name, "slug": result.slug, "status": result.status,
            "seconds": result.seconds, "finished": result.finished, "failed": result.failed,
            "skipped": [{"notebook": stem, "reason": why} for stem, why in result.skipped],
            "notebooks": [{**{k: v for k, v in asdict(nb).items()
                              if k not in ("ipynb", "html", "kernel_log")},
                           "links": _links(nb)} for nb in result.notebooks]}


def _replace_dir(staging: Path, target: Path) -> None:
    """Move a complete folder to ``target``; an existing one is moved aside first, then removed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    aside = None
    if target.exists():
        aside = Path(tempfile.mkdtemp(prefix=f".old-{target.name}-", dir=target.parent))
        os.replace(target, aside / target.name)
    try:
        os.replace(staging, target)
    finally:
        if aside is not None:
            shutil.rmtree(aside, ignore_errors=True)


def _finish_run(result: RunResult, staging: Path, out: Path, force: bool) -> None:
    """Write the run's index and move the folder into place (or under ``failed/``)."""
    record = _run_record(result)
    ok = result.status == "ok"
    _write_text(staging / RUN_FILE, json.dumps(record, indent=1, ensure_ascii=False))
    html = _templates().from_string(RUN_INDEX).render(run=record, up="../" if ok else "../../")
    _write_text(staging / "index.html", html)
    target = out / result.slug if ok else out / FAILED / result.slug
    if ok and target.exists() and not force:
        raise ReportError(f"report folder {target} exists (use --force to replace it)")
    _replace_dir(staging, target)
    result.folder = target
    if ok:
        shutil.rmtree(out / FAILED / result.slug, ignore_errors=True)


def _recorded_runs(out: Path) -> list[dict[str, Any]]:
    runs = []
    for path in [*sorted(out.glob(f"*/{RUN_FILE}")), *sorted(out.glob(f"{FAILED}/*/{RUN_FILE}"))]:
        if path.parent.name.startswith("."):
            continue
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        record["href"] = path.parent.relative_to(out).as_posix() + "/index.html"
        runs.append(record)
    return runs


def write_top_index(out: Path) -> Path:
    """Write ``<out>/index.html`` linking every run folder found in ``out``."""
    runs = _recorded_runs(out)
    path = out / "index.html"
    _write_text(path, _templates().from_string(TOP_INDEX).render(runs=runs))
    return path


# --- orchestration ----------------------------------------------------------------------------

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


def _progress(total: int, quiet: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, unit="run", desc="report", disable=quiet, file=sys.stderr,
                dynamic_ncols=True, leave=False)


class _Staging:
    """The runs of a batch being collected: one temporary folder each, inside ``out``."""

    def __init__(self, plans: Sequence[RunPlan], out: Path, force: bool) -> None:
        self.plans = {plan.slug: plan for plan in plans}
        self.out, self.force = out, force
        self.folders: dict[str, Path] = {}
        self.outcomes: dict[str, list[NotebookOutcome]] = {plan.slug: [] for plan in plans}
        self.results: list[RunResult] = []

    def add(self, outcome: NotebookOutcome) -> bool:
        """Keep one notebook's outcome; when its run is complete, write it. True if written."""
        slug = outcome.run
        if slug not in self.folders:
            self.folders[slug] = files.staging_dir(self.out, f".tmp-{slug}-")
        _save_outcome(outcome, self.folders[slug])
        done = self.outcomes[slug]
        done.append(outcome)
        plan = self.plans[slug]
        if len(done) < len(plan.tasks):
            return False
        now = dt.datetime.now().astimezone()
        result = RunResult(name=plan.name, slug=slug,
                           seconds=round(sum(o.seconds for o in done), 1),
                           finished=now.strftime("%Y-%m-%d %H:%M:%S %Z"),
                           notebooks=sorted(done, key=lambda o: o.number),
                           skipped=list(plan.skipped))
        _finish_run(result, self.folders[slug], self.out, self.force)
        del self.folders[slug]  # moved into place
        self.results.append(result)
        return True

    def clean(self) -> None:
        """Remove the folders of runs that did not complete (after Ctrl-C or an error)."""
        for folder in self.folders.values():
            shutil.rmtree(folder, ignore_errors=True)
        self.folders.clear()


def _longest_first(tasks: Sequence[NotebookTask]) -> list[NotebookTask]:
    """A run's tasks, the largest notebook file first.

    A committed notebook's size (mostly its figures) hints at its run time; starting the
    longest first ends the run sooner when there are fewer workers than notebooks.
    """
    return sorted(tasks, key=lambda t: -Path(t.path).stat().st_size)


def run_batch(plans: Sequence[RunPlan], executor: Executor, out: Path, *, force: bool = False,
              quiet: bool = False, timeout: float | None = DEFAULT_TIMEOUT) -> list[RunResult]:
    """Execute every notebook of every run on ``executor`` and write each run when complete.

    A failing notebook fails its run only: an error, a dead kernel, ``timeout`` seconds passed
    (per notebook), a worker lost for good. Whatever happens (Ctrl-C and SIGTERM included, see
    :func:`stop_signals`), no temporary folder is left behind and no report folder is
    half-written.
    """
    out.mkdir(parents=True, exist_ok=True)
    staging = _Staging(plans, out, force)
    pending: dict[Future[NotebookOutcome], NotebookTask] = {}
    try:
        for plan in plans:
            for task in _longest_first(plan.tasks):
                pending[executor.submit(execute_notebook_task, task, timeout)] = task
        with _progress(len(plans), quiet) as bar:
            while pending:
                _check_stop()
                done, _ = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
                for future in done:
                    task = pending.pop(future)
                    if staging.add(_outcome_of(future, task)):
                        bar.update(1)
                running = [f"{t.run_name}: {t.stem}" for f, t in pending.items() if f.running()]
                bar.set_postfix_str(running[0] if running else "", refresh=True)
    except BaseException:
        _stop(executor)
        raise
    finally:
        staging.clean()
        if staging.results:
            write_top_index(out)
    order = {plan.slug: i for i, plan in enumerate(plans)}
    return sorted(staging.results, key=lambda r: order[r.slug])


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
