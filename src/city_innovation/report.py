"""Report runs: planning them, and the public entry points of ``city-innovation report``.

``city-innovation report`` runs the numbered notebooks of a folder (``01_name.ipynb`` ...) for
one or more parameter sets, called runs. Parameters are checked with each notebook's model in
``params.NOTEBOOK_PARAMS`` before any kernel starts. Each notebook of each run is one task on a
``concurrent.futures`` Executor (see :mod:`runner`): the task executes the notebook, exports it
and returns it by value with the findings the notebook recorded (:func:`record_findings`). Only
the calling process writes (see :mod:`site`): into a temporary folder inside the output folder,
renamed into place when the run is complete (``<out>/<slug>/``, or ``<out>/failed/<slug>/``).

Kernels import this module for :func:`record_findings`, so it imports only the standard library
at import time; everything heavy is imported where it is used.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import files
from .errors import CityInnovationError, NotFoundError, ParameterError, ReportError
from .runner import (  # noqa: F401  (public names of the report command, re-exported)
    DEFAULT_TIMEOUT,
    ENGINE,
    FINDINGS_ENV,
    KERNEL_NAME,
    NotebookOutcome,
    Stopped,
    _check_stop,
    _kernel_log,
    _outcome_of,
    _stop,
    execute_in_place,
    execute_notebook_task,
    in_own_event_loop,
    open_executor,
    start_workers_early,
    stop_signals,
    warm_tools,
)
from .site import (  # noqa: F401
    FAILED,
    RUN_FILE,
    RunResult,
    _finish_run,
    _save_outcome,
    write_top_index,
)

FORMATS = ("html", "ipynb", "pdf")
#: Key of the recorded findings that holds the notebook's headline sentences.
HEADLINES = "headlines"
#: Key of a parameter set (in ``--params-file``) that names the run instead of its city.
RUN_NAME = "name"
#: Parameters of every run (--city, --region); notebooks that do not declare them skip them.
RUN_KEYS = ("city", "region")
NOTEBOOK_FILE = re.compile(r"(?P<number>\d{2})_[^/\\]+\.ipynb")


# --- findings: the notebooks' side ---------------------------------------------------------

def record_findings(findings: Mapping[str, Any], headlines: Sequence[str] = ()) -> None:
    """Record a notebook's key figures and headline sentences; call it in the last cell.

    ``headlines`` are the notebook's findings said in sentences, built from computed values
    (the run's landing page shows them first, and the PDF). The values are checked everywhere
    (so a mistake shows in JupyterLab too) and written as JSON to the file named by
    ``$CITY_INNOVATION_FINDINGS``, which ``city-innovation report`` sets for each kernel (the
    sentences under the key ``headlines``). Without it (JupyterLab, nbval, ``make notebooks``)
    nothing is written. Returns None either way, so the cell has no output.
    """
    clean = {key: _finding(key, value) for key, value in _finding_items(findings)}
    if HEADLINES in clean:
        raise ParameterError(f"findings: key {HEADLINES!r} is not allowed (pass the sentences "
                             "as headlines=[...])")
    if isinstance(headlines, str) or not all(isinstance(h, str) and h.strip()
                                             for h in headlines):
        raise ParameterError("headlines: expected a list of non-empty sentences (str)")
    if headlines:
        clean[HEADLINES] = [h.strip() for h in headlines]
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
    if "pdf" in formats:
        from .pdf import browser

        browser()  # before any kernel starts
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
                        if not region and _needs_region(models[n]))
        skipped += tuple((notebooks[n].stem, reason) for n, m in models.items()
                         if (reason := m.skip_reason(values)))
        if len(skipped) == len(models):
            raise ParameterError(f"{where}notebook(s) {', '.join(notebooks)}: each "
                                 + "; ".join(dict.fromkeys(w for _s, w in skipped)))
        tasks = []
        for number, model in models.items():
            if notebooks[number].stem in dict(skipped):
                continue
            mine = {k: v for k, v in values.items() if k in model.model_fields}
            if "region" in model.model_fields:
                mine["region"] = region or None  # optional there: runs without one
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


def _needs_region(model: Any) -> bool:
    """A notebook needs a region where its model has one and does not mark it optional."""
    return "region" in model.model_fields and not getattr(model, "REGION_OPTIONAL", False)


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


# --- batches ---

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
        _finish_run(result, self.folders[slug], self.out, self.force,
                    pdf=any("pdf" in task.formats for task in plan.tasks))
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


