"""The ``city-innovation`` command.

Every error of the package is printed as one line on stderr (no traceback) and the command
exits non-zero: 2 for bad parameters or input, 1 for data that fails validation.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__, data
from .errors import CityInnovationError, DataError
from .profile import summary_card

Handler = Callable[[argparse.Namespace], int]


def _summary(args: argparse.Namespace) -> int:
    """Print the profile and the region at a glance, from data/."""
    p = data.load_profile(args.city)
    r = data.load_region(args.region)
    out = [f"# {p.city} ({p.country}): innovation-capacity profile", ""]
    card = summary_card(p)
    width = int(card["item"].str.len().max())
    out += [f"  {row.item:<{width}}  {row.value}   [{row.source}]" for row in card.itertuples()]
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
    from .report import execute_in_place

    for path in execute_in_place(args.notebooks):
        print(f"executed {path.name}")
    return 0


def _parse_profile(args: argparse.Namespace) -> int:
    """Read a published profile text into a profile data file; print what needs review."""
    from . import parse

    result = parse.parse_file(args.profile, city=args.city, country=args.country,
                              source=args.source)
    target = Path(args.output) if args.output else parse.default_output(result.profile.city)
    written = parse.write_profile(result.profile, target, force=args.force)
    root = written.parent.parent if written.parent.name == data.PROFILES else None
    for warning in result.warnings + parse.source_warnings(result.profile, root):
        print(f"warning: {warning}", file=sys.stderr)
    shown = os.path.relpath(written) if not os.path.relpath(written).startswith("..") \
        else written.name
    print(f"wrote {shown}: {result.profile.city}, {len(result.profile.flags)} flag(s) to review")
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
    s.add_argument("--region", default="Helsinki-Uusimaa",
                   help="a region with a file in data/regions/")
    s.set_defaults(handler=_summary)

    v = sub.add_parser("validate", help="check the data files and print every problem")
    v.add_argument("path", nargs="?", default=None,
                   help="a data folder or one data file (default: the project's data/)")
    v.set_defaults(handler=_validate)

    e = sub.add_parser("execute", help="re-execute notebooks in place (used by make notebooks)")
    e.add_argument("notebooks", nargs="+", help="notebook files to run and rewrite")
    e.set_defaults(handler=_execute)

    pp = sub.add_parser("parse-profile",
                        help="read a profile page copied from the survey site into data/profiles/")
    pp.add_argument("profile", metavar="PROFILE.txt", help="the profile page saved as UTF-8 text")
    pp.add_argument("-o", "--output", default=None,
                    help="the YAML file to write (default: data/profiles/<city slug>.yaml)")
    pp.add_argument("--city", default=None,
                    help="the city's name (default: read from the headings)")
    pp.add_argument("--country", default=None,
                    help="the city's country (the profile text does not state it)")
    pp.add_argument("--source", default=None,
                    help="the id in data/sources.yaml that every record cites "
                         "(default: oecd-map-<city slug>)")
    pp.add_argument("--force", action="store_true", help="overwrite an existing output file")
    pp.set_defaults(handler=_parse_profile)

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
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
