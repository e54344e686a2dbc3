"""The ``city-innovation`` command.

Every error of the package is printed as one line on stderr (no traceback) and the command
exits non-zero: 2 for bad parameters or input, 1 for data that fails validation.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .errors import CityInnovationError, DataError, ParameterError
from .paths import ENV_VAR, NOTEBOOKS_DIR, REPO_ROOT
from .report.model import DEFAULT_TIMEOUT

Handler = Callable[[argparse.Namespace], int]


def _summary(args: argparse.Namespace) -> int:
    """Print the profile and the region at a glance, from data/."""
    from . import data
    from .analysis.profile import summary_card

    p = data.load_profile(args.city)
    region = args.region or data.paired_region(p.city)
    out = [f"# {p.city} ({p.country or 'country not stated'}): innovation-capacity profile", ""]
    card = summary_card(p)
    width = int(card["item"].str.len().max()) if not card.empty else 0
    out += [f"  {row.item:<{width}}  {row.value}   [{row.source}]" for row in card.itertuples()]
    if region is None:
        out += ["", f"{p.city} has no region in data/ (its profile names none and no region "
                    f"file lists it); {len(p.flags)} data-quality flags recorded in the profile."]
        print("\n".join(out))
        return 0
    r = data.load_region(region)
    out += ["", f"# {r.region}: smart-specialisation strategy", ""]
    for per in data.periods(r).itertuples():
        names = data.themes(r).query("period == @per.period")["theme"].tolist()
        approved = f", approved {per.approved_year}" if per.approved_year else ""
        out.append(f"  {per.period} ({per.n_themes} {per.theme_word}s{approved}): "
                   + "; ".join(names))
    t = data.targets(r)
    out += ["", "  2030 targets: " + "; ".join(t["wording"].tolist())]
    nflags = len(p.flags) + len(r.flags)
    out += ["", f"{nflags} data-quality flags recorded ({len(p.flags)} profile, "
                f"{len(r.flags)} region); see data/README.md."]
    print("\n".join(out))
    return 0


def _validate(args: argparse.Namespace) -> int:
    """Validate every data file (or one) and print each problem on its own line."""
    from . import data
    from .errors import ParameterError

    if args.path and not Path(args.path).exists():
        raise ParameterError(f"validate: {args.path}: no such file or folder (allowed: a data "
                             "folder or one of its files)")
    problems = data.validate(args.path)
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print(f"ok: {args.path or data.data_dir()} is valid")
    return 0


def _execute(args: argparse.Namespace) -> int:
    """Re-execute notebooks in place with the project's kernel."""
    from .report.execute import execute_in_place

    for path in execute_in_place(args.notebooks):
        print(f"executed {path.name}")
    return 0


def _csv(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def _report(args: argparse.Namespace) -> int:
    """Run the notebooks for each parameter set; write HTML, notebooks and indexes."""
    from .report import batch, plan, pool

    if not args.scheduler:
        pool.start_workers_early()  # the pool's server warms up while parameters are checked
    from .paths import data_dir

    if args.jobs is not None and args.jobs < 1:
        raise ParameterError(f"--jobs {args.jobs}: must be at least 1")
    if not args.timeout > 0:
        raise ParameterError(f"--timeout {args.timeout:g}: must be more than 0 seconds")
    notebooks = plan.select_notebooks(args.notebooks_dir,
                                      _csv(args.notebooks) if args.notebooks else None)
    entries = plan.read_params_file(args.params_file) if args.params_file else None
    sets = plan.parameter_sets(args.city, args.region, args.param or (), entries)
    plans = plan.plan_runs(sets, notebooks, formats=_csv(args.format), no_input=args.no_input,
                           env={ENV_VAR: str(data_dir())})
    for run in plans:
        for stem, why in run.skipped:
            print(f"not run for {run.name}: {stem} ({why})")
    out = Path(args.out)
    plan.check_output_folder(out)
    plan.check_targets(plans, out, args.force)
    tasks = sum(len(run.tasks) for run in plans)
    with pool.stop_signals(), \
            pool.open_executor(args.jobs, args.scheduler, tasks) as executor:
        results = batch.run_batch(plans, executor, out, force=args.force, quiet=args.quiet,
                                  timeout=args.timeout)
    for result in results:
        where = result.folder / "index.html" if result.folder else out
        if result.status == "ok":
            print(f"report: {where}")
        else:
            print(f"failed: {where} ({', '.join(result.failed)})", file=sys.stderr)
    print(f"index: {out / 'index.html'}")
    failed = [r for r in results if r.status != "ok"]
    if failed:
        print(f"{len(failed)} of {len(results)} run(s) failed", file=sys.stderr)
        return 1
    return 0


def _parse_profile(args: argparse.Namespace) -> int:
    """Read a published profile text into a profile data file; print what needs review."""
    from . import data
    from .ingest import bibliography, page_versions, profile_page

    result = profile_page.parse_file(args.profile, city=args.city, country=args.country,
                                     source=args.source)
    known = page_versions.known_city(result.profile)
    if not args.output and not args.force and known:   # a page of a city with a profile
        _added, lines = page_versions.add_file(args.profile, url=args.url,
                                               city=args.city or known, country=args.country,
                                               source=args.source)
        for line in lines:
            print(line, file=sys.stderr if line.startswith("warning: ") else sys.stdout)
        return 0
    if args.url:
        bibliography.source_entry(result.profile, args.url)   # a bad address stops before writing
    target = Path(args.output) if args.output else profile_page.default_output(result.profile.city)
    written = profile_page.write_profile(result.profile, target, force=args.force)
    root = written.parent.parent if written.parent.name == data.PROFILES else None
    added = bibliography.add_source(result.profile, args.url, root) if args.url else None
    for warning in result.warnings + bibliography.source_warnings(result.profile, root):
        print(f"warning: {warning}", file=sys.stderr)
    if added:
        print(f"added source {bibliography.profile_source(result.profile)!r} to "
              f"{added.parent.name}/{added.name}")
    shown = os.path.relpath(written) if not os.path.relpath(written).startswith("..") \
        else written.name
    print(f"wrote {shown}: {result.profile.city}, {len(result.profile.flags)} flag(s) to review")
    return 0


def _new_region(args: argparse.Namespace) -> int:
    """Write a region file ready to fill for a NUTS 2 code."""
    from . import data
    from .ingest.new_region import new_region

    path = new_region(args.code)
    print(f"wrote {data.REGIONS}/{path.name}: fill it in, then run `city-innovation validate`")
    return 0


def _build_indicators(args: argparse.Namespace) -> int:
    """Rebuild indicators/eurostat_regions.csv from the shared research folder's extract."""
    from . import data
    from .ingest import eurostat

    root = data.data_dir()
    target = Path(args.out) if args.out else root / data.EUROSTAT
    frame = eurostat.build(args.research, root / data.NUTS_NAMES)
    eurostat.write(frame, target)
    shown = os.path.relpath(target)
    shown = target.name if shown.startswith("..") else shown
    print(f"wrote {shown}: {len(frame)} values of {frame['indicator'].nunique()} series for "
          f"{frame['region_code'].nunique()} regions")
    return 0


def _teaching(args: argparse.Namespace) -> int:
    """Write the student versions of the exercise notebooks into a new folder."""
    from .teaching import write_student_versions

    for path in write_student_versions(args.out, args.notebooks, force=args.force):
        print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command."""
    parser = argparse.ArgumentParser(
        prog="city-innovation",
        description="Analyse a city's innovation capacity and its region's "
                    "smart-specialisation strategy.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("summary", help="print the profile and region at a glance")
    s.add_argument("--city", default="Helsinki", help="a city with a profile in data/profiles/")
    s.add_argument("--region", default=None,
                   help="a region with a file in data/regions/ (default: the city's region, "
                        "where the data pair it with one)")
    s.set_defaults(handler=_summary)

    v = sub.add_parser("validate", help="check the data files and print every problem")
    v.add_argument("path", nargs="?", default=None,
                   help="a data folder or one data file (default: the project's data/)")
    v.set_defaults(handler=_validate)

    e = sub.add_parser("execute", help="re-execute notebooks in place (used by make notebooks)")
    e.add_argument("notebooks", nargs="+", help="notebook files to run and rewrite")
    e.set_defaults(handler=_execute)

    r = sub.add_parser(
        "report", help="run the notebooks and write HTML reports (one run per city or "
                       "parameter set)",
        description="Run the numbered notebooks with papermill for one or more parameter sets "
                    "and write, per run, OUT/<city>/ with the executed notebooks, their HTML and "
                    "an index.html; OUT/index.html links every run. Parameters are checked "
                    "before any kernel starts.")
    r.add_argument("--city", action="append", metavar="NAME",
                   help="a city with a profile in data/profiles/; repeat for a batch, or "
                        "'all' for every city of data/profiles/ (default: Helsinki)")
    r.add_argument("--region", metavar="NAME",
                   help="a region with a file in data/regions/ (default: Helsinki-Uusimaa)")
    r.add_argument("--notebooks", metavar="01,02,03",
                   help="notebook numbers to run, comma-separated (default: all)")
    r.add_argument("-p", "--param", nargs=2, action="append", metavar=("KEY", "VALUE"),
                   help="another notebook parameter, e.g. -p survey_round 2020; lists as "
                        "'[a, b]'; given to the notebooks that declare it")
    r.add_argument("--params-file", metavar="RUNS.yaml",
                   help="a YAML list of parameter sets, one run each (instead of --city); "
                        "an entry may set 'name' to name its run")
    r.add_argument("--out", default="reports", metavar="DIR",
                   help="output folder (default: reports)")
    r.add_argument("--format", default="html,ipynb", metavar="html,ipynb",
                   help="what to write per notebook (default: html,ipynb)")
    r.add_argument("--no-input", action="store_true",
                   help="write only the reader's pages (notebook pages never show code; "
                        "without this option each also gets a 'with code' page)")
    r.add_argument("--jobs", type=int, metavar="N",
                   help="notebooks run in parallel (default: the number of cores)")
    r.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help="time limit of each notebook's cells; a notebook still running then "
                        f"is stopped and marked failed (default: {DEFAULT_TIMEOUT:g})")
    r.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on a Dask cluster, e.g. tcp://host:8786 (needs the distributed "
                        "extra; workers need this project installed and the notebooks and data "
                        "at the same paths)")
    r.add_argument("--force", action="store_true", help="replace existing report folders")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.add_argument("--notebooks-dir", default=str(NOTEBOOKS_DIR), metavar="DIR",
                   help="folder of the numbered notebooks (default: the project's notebooks/)")
    r.set_defaults(handler=_report)

    pp = sub.add_parser("parse-profile",
                        help="read a profile page copied from the survey site into data/profiles/")
    pp.add_argument("profile", metavar="PROFILE.txt", help="the profile page saved as UTF-8 text")
    pp.add_argument("-o", "--output", default=None,
                    help="the YAML file to write (default: data/profiles/<city slug>.yaml)")
    pp.add_argument("--city", default=None,
                    help="the city's name (default: read from the headings)")
    pp.add_argument("--country", default=None,
                    help="the city's country, where the page does not name it")
    pp.add_argument("--source", default=None,
                    help="the id in data/sources.yaml that every record cites "
                         "(default: oecd-map-<city slug>)")
    pp.add_argument("--url", default=None,
                    help="the page's address: adds its entry to data/sources.yaml unless the "
                         "source id is there")
    pp.add_argument("--force", action="store_true", help="overwrite an existing output file")
    pp.set_defaults(handler=_parse_profile)

    nr = sub.add_parser("new-region", help="write a region file ready to fill for a NUTS 2 code "
                                           "(name, country and Eurostat series filled in)")
    nr.add_argument("code", metavar="NUTS", help="a NUTS 2 code of data/indicators/, e.g. AT13")
    nr.set_defaults(handler=_new_region)

    b = sub.add_parser("build-indicators",
                       help="rebuild data/indicators/eurostat_regions.csv from the Eurostat "
                            "extract in the shared research folder")
    b.add_argument("--research", default=str(REPO_ROOT.parent / "shared" / "research"),
                   help="the research folder holding eurostat/ (default: ../shared/research)")
    b.add_argument("-o", "--out", default=None,
                   help="the CSV to write (default: the data folder's "
                        "indicators/eurostat_regions.csv)")
    b.set_defaults(handler=_build_indicators)

    t = sub.add_parser("teaching", help="write the student versions of the exercise notebooks "
                                        "(solutions replaced by placeholders, outputs cleared)")
    t.add_argument("--out", required=True, help="folder to create, e.g. handout/")
    t.add_argument("--force", action="store_true", help="replace --out if it already exists")
    t.add_argument("notebooks", nargs="*",
                   help="teacher notebooks to convert (default: notebooks/teaching/*.ipynb)")
    t.set_defaults(handler=_teaching)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except DataError as exc:
        for p in exc.problems:
            print(f"error: {p}", file=sys.stderr)
        return 1
    except CityInnovationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # e.g. an output folder that cannot be created or written
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM during a report (pool.Stopped)
        signum = getattr(exc, "signum", signal.SIGINT)
        print("interrupted" if signum == signal.SIGINT else "terminated", file=sys.stderr)
        return 128 + signum


if __name__ == "__main__":
    raise SystemExit(main())
