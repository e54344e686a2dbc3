"""Writing a report folder: a run's landing page and run.json, the top index of every run.

Everything here runs in the calling process, after the workers returned their outcomes
(:class:`.model.NotebookOutcome`, their pages made by :mod:`.export`); a run is written into a
temporary folder and moved into place. The pages are the Jinja templates and style sheet of
``templates/``.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .. import files
from ..errors import ReportError
from ..present.reader import words
from .model import FAILED, HEADLINES, RUN_FILE, NotebookOutcome, RunResult

#: A findings key holding the notebook's count of data-quality flags ("Data-quality flags", or
#: the older "data_quality_flags").
FLAG_KEY = re.compile(r"^data[ _-]quality[ _]flags\b", re.IGNORECASE)
#: The title of a notebook's Sources section ("Sources", "7 Sources", "7. Sources and notes").
SOURCES_SECTION = r"^(\d+\.?\s*)?sources?\b"
#: Findings keys not shown as key figures (they are the run's parameters).
PARAMETER_KEYS = frozenset({"city", "region", HEADLINES})


def _show(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "; ".join(_show(v) for v in value)
    return "-" if value is None else str(value)


@functools.cache
def _templates() -> Any:
    """The Jinja environment of ``templates/``; ``css`` is ``report.css``, one rule a line."""
    import jinja2

    css = importlib.resources.files(__package__).joinpath("templates", "report.css").read_text(
        encoding="utf-8")
    env = jinja2.Environment(loader=jinja2.PackageLoader(__package__, "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    env.globals.update(css="".join(line.strip() for line in css.splitlines()), show=_show,
                       label=words, skip_keys=PARAMETER_KEYS)
    return env


def save_outcome(outcome: NotebookOutcome, folder: Path) -> None:
    """Write one notebook's files (executed notebook, pages, key figure, log) in ``folder``."""
    if outcome.ipynb is not None:
        (folder / f"{outcome.stem}.ipynb").write_text(outcome.ipynb, encoding="utf-8")
    if outcome.html is not None:
        (folder / f"{outcome.stem}.html").write_text(outcome.html, encoding="utf-8")
    if outcome.code_html is not None:
        (folder / f"{outcome.stem}.code.html").write_text(outcome.code_html, encoding="utf-8")
    if outcome.figure is not None:
        import base64

        (folder / f"{outcome.stem}.figure.png").write_bytes(base64.b64decode(outcome.figure))
    if outcome.kernel_log:
        (folder / f"{outcome.stem}.kernel.log").write_text(outcome.kernel_log + "\n",
                                                            encoding="utf-8")


def _links(outcome: NotebookOutcome) -> list[tuple[str, str]]:
    from urllib.parse import quote

    links = [("read", f"{outcome.stem}.html")] if outcome.html is not None else []
    if outcome.code_html is not None:
        links.append(("with code", f"{outcome.stem}.code.html"))
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
                              if k not in ("ipynb", "html", "code_html", "figure", "kernel_log")},
                           "links": _links(nb),
                           "figure_file": f"{nb.stem}.figure.png" if nb.figure else None}
                          for nb in result.notebooks]}


def _href(stem: str, anchor: str | None = None) -> str:
    from urllib.parse import quote

    return quote(f"{stem}.html") + (f"#{quote(anchor, safe='')}" if anchor else "")


def _section(nb: Mapping[str, Any], pattern: str) -> str | None:
    for _level, anchor, title in nb.get("sections") or []:
        if re.search(pattern, title, re.I):
            return anchor
    return None


def _landing(record: Mapping[str, Any]) -> dict[str, Any]:
    """What a run's landing page shows, from its record: findings first, then the way in."""
    from urllib.parse import quote

    parameters: dict[str, Any] = {}
    for nb in record["notebooks"]:
        parameters.update({k: v for k, v in nb["parameters"].items() if v is not None})
    notebooks, figures, flag_links, source_links = [], [], [], []
    for nb in record["notebooks"]:
        titles = [title for level, _a, title in nb.get("sections") or [] if level == "1"]
        title = titles[0] if titles else nb["stem"]
        has_page = any(href == quote(f"{nb['stem']}.html") for _l, href in nb["links"])
        findings = nb.get("findings") or {}
        count = next((v for k, v in findings.items() if FLAG_KEY.search(k)), None)
        notebooks.append({"title": title, "error": nb.get("error"),
                          "href": _href(nb["stem"]) if has_page else None,
                          "headlines": findings.get(HEADLINES) or [],
                          "figure": quote(nb["figure_file"]) if nb.get("figure_file")
                          and has_page else None,
                          "flags": count if isinstance(count, int) else None})
        if nb.get("figure_file") and has_page:
            figures.append({"title": title, "src": quote(nb["figure_file"]),
                            "href": _href(nb["stem"], nb.get("figure_section"))})
        if isinstance(count, int) and not isinstance(count, bool) and has_page:
            flag_links.append((f"{title}: {count}",
                               _href(nb["stem"], _section(nb, r"flag|data-quality"))))
        source = _section(nb, SOURCES_SECTION)
        if source and has_page:
            source_links.append((title, _href(nb["stem"], source)))
    city, region = parameters.get("city"), parameters.get("region")
    return {"title": city or record["name"], "region": region, "parameters": parameters,
            "notebooks": notebooks, "figures": figures,
            "flag_links": flag_links, "source_links": source_links}


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


def finish_run(result: RunResult, staging: Path, out: Path, force: bool,
               pdf: bool = False) -> None:
    """Write the run's index (and PDF) and move the folder into place (or under ``failed/``)."""
    record = _run_record(result)
    ok = result.status == "ok"
    files.write_text(staging / RUN_FILE, json.dumps(record, indent=1, ensure_ascii=False))
    from .pdf import APPENDIX_FILE, PDF_FILE

    html = _templates().get_template("run_index.html.j2").render(
        run=record, page=_landing(record), up="../" if ok else "../../",
        pdf=PDF_FILE if pdf else None, appendix=APPENDIX_FILE if pdf else None)
    files.write_text(staging / "index.html", html)
    if pdf:
        from .pdf import print_pages

        print_pages([staging / "index.html"], staging / PDF_FILE)
        pages = [staging / f"{nb.stem}.html" for nb in result.notebooks if nb.html is not None]
        if pages:
            print_pages(pages, staging / APPENDIX_FILE)
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
    files.write_text(path, _templates().get_template("top_index.html.j2").render(runs=runs))
    return path
