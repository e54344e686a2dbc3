"""Planning report runs: which notebooks, with which parameters, into which folders.

``city-innovation report`` runs the numbered notebooks of a folder (``01_name.ipynb`` ...) for
one or more parameter sets, called runs. Everything here happens before any kernel starts:
the notebooks are found, each parameter set is checked with each notebook's model in
``params.NOTEBOOK_PARAMS``, and each run becomes a :class:`.model.RunPlan` of
:class:`.model.NotebookTask` s; the output folder is checked too. :mod:`.batch` then runs them.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import CityInnovationError, NotFoundError, ParameterError, ReportError
from .model import FAILED, FORMATS, NotebookTask, RunPlan

#: Key of a parameter set (in ``--params-file``) that names the run instead of its city.
RUN_NAME = "name"
#: Parameters of every run (--city, --region); notebooks that do not declare them skip them.
RUN_KEYS = ("city", "region")
NOTEBOOK_FILE = re.compile(r"(?P<number>\d{2})_[^/\\]+\.ipynb")


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
    from ..params import NOTEBOOK_PARAMS

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
    from ..params import FundingParams

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
    from .. import data

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
    from ..params import NOTEBOOK_PARAMS

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
    from .. import data
    from ..paths import ENV_VAR

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
