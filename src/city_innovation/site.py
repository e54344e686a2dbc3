"""Writing a report folder: HTML templates, a run's index page and run.json, the top index.

Everything here runs in the calling process, after the workers returned their outcomes
(:class:`runner.NotebookOutcome`); a run is written into a temporary folder and moved into place.
"""

from __future__ import annotations

import functools
import html
import json
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import files
from .errors import ReportError
from .present.reader import words
from .runner import NotebookOutcome

RUN_FILE = "run.json"
#: A findings key holding the notebook's count of data-quality flags ("Data-quality flags", or
#: the older "data_quality_flags").
FLAG_KEY = re.compile(r"^data[ _-]quality[ _]flags\b", re.IGNORECASE)
#: Cell tag of the code cell whose figure is the notebook's key figure on the landing page.
KEY_FIGURE_TAG = "key-figure"
#: The title of a notebook's Sources section ("Sources", "7 Sources", "7. Sources and notes").
SOURCES_SECTION = r"^(\d+\.?\s*)?sources?\b"
#: Findings keys not shown as key figures (they are the run's parameters).
PARAMETER_KEYS = frozenset({"city", "region", "headlines"})
FAILED = "failed"

RUN_INDEX = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ run.name }} - city-innovation report</title>
<style>{{ css|safe }}</style></head>
<body>
<header>
<p class="nav"><a href="{{ up }}index.html">All reports</a></p>
<h1>{{ page.title }}</h1>
{% if page.region %}<p class="sub">Region: {{ page.region }}</p>{% endif %}
<p class="{{ run.status }}">{% if run.status == "ok" %}All {{ run.notebooks|length }} notebooks
ran{% else %}Failed: {{ run.failed|length }} of {{ run.notebooks|length }} notebooks did not run
to the end{% endif %}; finished {{ run.finished }}; notebook run time
{{ "%.1f"|format(run.seconds) }} s.</p>
{% if pdf %}<p class="nav"><a href="{{ pdf }}">The report as PDF</a>{% if appendix %}
and <a href="{{ appendix }}">the notebooks in full (PDF)</a>{% endif %}</p>{% endif %}
{% for s in run.skipped %}<p class="skipped">Not run: <strong>{{ s.notebook }}</strong>
({{ s.reason }}).</p>
{% endfor %}</header>
<section id="findings"><h2>Findings</h2>
{% for nb in page.notebooks %}<h3>{% if nb.href %}<a href="{{ nb.href }}">{{ nb.title }}</a>{% else
%}{{ nb.title }}{% endif %}</h3>
{% if nb.error %}<p class="failed">This notebook failed: {{ nb.error }}</p>
{% elif nb.headlines %}<ul class="headlines">{% for h in nb.headlines %}<li>{{ h }}</li>
{% endfor %}</ul>{% else %}<p>No headline recorded.</p>{% endif %}
{% if nb.figure %}<figure class="print-only"><img src="{{ nb.figure }}" alt="Key figure of {{
nb.title }}"><figcaption>Key figure{% if nb.flags is not none %}; data-quality flags this notebook
lists: {{ nb.flags }} (see its page){% endif %}.</figcaption></figure>{% endif %}
{% endfor %}</section>
{% if page.figures %}<section id="figures"><h2>Key figures</h2><div class="thumbs">
{% for f in page.figures %}<figure><a href="{{ f.href }}"><img src="{{ f.src }}"
alt="Key figure of {{ f.title }}" loading="lazy"></a><figcaption><a href="{{ f.href }}">{{ f.title
}}</a></figcaption></figure>
{% endfor %}</div></section>{% endif %}
<section id="flags"><h2>Data quality</h2>
<p>Data-quality flags (problems found in the sources and what was decided), as each notebook
lists them; one flag can be listed by several notebooks, so the counts are not added up:
{% for label, href in page.flag_links %}<a href="{{ href }}">{{ label }}</a>{{ "; " if not loop.last
}}{% endfor %}</p></section>
<section id="sources"><h2>Sources</h2><p>Every figure traces to a record of the project's data
with its source: {% for label, href in page.source_links %}<a href="{{ href }}">{{ label
}}</a>{{ "; " if not loop.last }}{% else %}see each notebook{% endfor %}.</p></section>
<section id="parameters"><h2>Parameters</h2><dl>{% for k, v in page.parameters.items() %}
<dt>{{ label(k) }}</dt><dd>{{ show(v) }}</dd>{% endfor %}</dl></section>
<section id="notebooks"><h2>Notebooks</h2><table>
<thead><tr><th>Notebook</th><th>Parameters</th><th>Run time</th><th>Key figures</th></tr></thead>
<tbody>
{% for nb in run.notebooks %}<tr class="{{ 'ok' if not nb.error else 'failed' }}">
<td><strong>{{ nb.stem }}</strong><br>
{% for label, href in nb.links %}<a href="{{ href }}">{{ label }}</a> {% endfor %}
{% if nb.error %}<p class="failed">failed: {{ nb.error }}</p>{% endif %}</td>
<td><dl>{% for k, v in nb.parameters.items() %}<dt>{{ label(k) }}</dt><dd>{{ show(v) }}</dd>
{% endfor %}</dl></td>
<td>{{ "%.1f"|format(nb.seconds) }} s</td>
<td>{% if nb.findings %}<dl>{% for k, v in nb.findings.items() if k not in skip_keys %}<dt>{{
label(k) }}</dt><dd>{{ show(v) }}</dd>{% endfor %}</dl>{% else %}-{% endif %}</td>
</tr>
{% endfor %}</tbody></table></section>
</body></html>
"""

TOP_INDEX = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>city-innovation reports</title>
<style>{{ css|safe }}</style></head>
<body>
<h1>City innovation reports</h1>
<table>
<thead><tr><th>Run</th><th>Status</th><th>Headline findings</th><th>Finished</th></tr>
</thead><tbody>
{% for run in runs %}<tr class="{{ run.status }}">
<td><a href="{{ run.href }}">{{ run.name }}</a></td>
<td>{{ run.status }}{% if run.failed %}: {{ run.failed|join(", ") }}{% endif %}</td>
<td><ul class="headlines">{% for nb in run.notebooks %}{% for h in (nb.findings or {}).get(
"headlines") or [] %}<li>{{ h }}</li>{% endfor %}{% endfor %}</ul></td>
<td>{{ run.finished }}</td></tr>
{% else %}<tr><td colspan="4">No reports yet.</td></tr>
{% endfor %}</tbody></table>
</body></html>
"""

CSS = ("body{font-family:system-ui,sans-serif;margin:1rem auto;max-width:60rem;padding:0 1rem;"
       "color:#222;line-height:1.45}table{border-collapse:collapse;width:100%}"
       "#notebooks table{table-layout:fixed}#notebooks th:nth-child(1){width:28%}"
       "#notebooks th:nth-child(2){width:30%}#notebooks th:nth-child(3){width:10%}"
       "td{overflow-wrap:break-word}tr{break-inside:avoid}#notebooks dl{display:block}"
       "#notebooks dd{margin:0 0 .3rem .6rem}th,td{"
       "border-bottom:1px solid #ddd;padding:.5rem;text-align:left;vertical-align:top}"
       "dl{margin:0;display:grid;grid-template-columns:max-content auto;gap:0 .75rem}"
       "dt{color:#555}dd{margin:0}.failed{color:#b00020}.sub{font-size:1.15rem;margin-top:0}"
       "ul.headlines li{margin:.3rem 0}.thumbs{display:grid;gap:1rem;"
       "grid-template-columns:repeat(auto-fill,minmax(14rem,1fr))}figure{margin:0}"
       "figure img{width:100%;height:auto;border:1px solid #ddd}"
       "@media (max-width:40rem){table,thead,tbody,tr,td,th{display:block}thead{display:none}}"
       ".print-only{display:none}figure.print-only img{max-width:100%;max-height:60vh;"
       "width:auto}@media print{.nav,#figures{display:none}.print-only{display:block}"
       "body{max-width:none}a{color:inherit}"
       "figure,ul.headlines li{break-inside:avoid}h2,h3{break-after:avoid}}"
       "@page{margin:15mm 12mm;@bottom-right{"
       "content:'page ' counter(page) ' of ' counter(pages);font:9pt sans-serif;color:#555}}")


def _show(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "; ".join(_show(v) for v in value)
    return "-" if value is None else str(value)


@functools.cache
def _templates() -> Any:
    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.globals.update(css=CSS, show=_show, label=words, skip_keys=PARAMETER_KEYS)
    return env


_write_text = files.write_text

#: A heading as nbconvert's HTML exporter writes it: level, anchor id, inner HTML.
_HEADING = re.compile(r'<h([1-3]) id="([^"]+)">(.*?)<a class="anchor-link"', re.S)
_TAG = re.compile(r"<[^>]+>")
PAGE_CSS = (".jp-RenderedHTMLCommon table.reader td,.jp-RenderedHTMLCommon table.reader th{"
            "text-align:left;vertical-align:top}.jp-OutputArea-output pre{white-space:pre-wrap;"
            "word-break:normal;overflow-wrap:break-word}"
            "nav.ci-toc{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;"
            "padding:.5rem 1rem;border:1px solid #ddd;border-radius:.4rem;background:#fafafa}"
            "nav.ci-toc ul{margin:.25rem 0;padding-left:0;list-style:none}nav.ci-toc .h3{"
            "margin-left:1rem}nav.ci-toc a{color:#0645ad;text-decoration:underline}"
            "nav.ci-toc p{margin:.25rem 0}@media print{nav.ci-toc .ci-views{display:none}}"
            "@page{margin:15mm 12mm;@bottom-right{content:'page ' counter(page) ' of ' "
            "counter(pages);font:9pt sans-serif;color:#555}}")


def _insert_nav(page: str, nav: str) -> str:
    style = f"<style>{PAGE_CSS}</style>"
    page = page.replace("</head>", style + "</head>", 1)
    return page.replace("<main>", "<main>" + nav, 1)


_FIGURE = re.compile(r'<img[^>]*src="data:image/png;base64,([^"]+)"')


def _headings(page: str) -> list[list[str]]:
    return [[level, anchor, html.unescape(_TAG.sub("", inner)).strip()]
            for level, anchor, inner in _HEADING.findall(page)]


def page_outline(page: str) -> tuple[list[list[str]], str | None, str | None]:
    """A reader's page's headings, its key figure and the heading it is under.

    The key figure is the first PNG of the cell tagged ``key-figure``, else the page's first.
    """
    sections = _headings(page)
    tagged = page.find(f"celltag_{KEY_FIGURE_TAG}")
    figure = (_FIGURE.search(page, tagged) if tagged >= 0 else None) or _FIGURE.search(page)
    if figure is None:
        return sections, None, None
    above = _headings(page[:figure.start()])
    return sections, figure.group(1), above[-1][1] if above else None


def reader_page(page: str, code_href: str | None) -> str:
    """A notebook's reader page: a table of contents from its headings, a link to the code."""
    items = "".join(f'<li class="h{level}"><a href="#{anchor}">{_TAG.sub("", inner).strip()}'
                    "</a></li>" for level, anchor, inner in _HEADING.findall(page)
                    if level != "1")
    views = ('<p class="ci-views"><a href="index.html">Report</a> · '
             + (f'<a class="ci-code" href="{html.escape(code_href)}">With code</a>'
                if code_href else "Code not included") + "</p>")
    nav = (f'<nav class="ci-toc" aria-label="Contents">{views}'
           f"<strong>Contents</strong><ul>{items}</ul></nav>")
    return _insert_nav(page, nav)


def code_page(page: str, reader_href: str) -> str:
    """A notebook's page with its code: a link back to the reader's page."""
    nav = ('<nav class="ci-toc" aria-label="Views"><p class="ci-views">'
           f'<a href="index.html">Report</a> · <a class="ci-reader" '
           f'href="{html.escape(reader_href)}">Without code</a></p></nav>')
    return _insert_nav(page, nav)


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
                          "headlines": findings.get("headlines") or [],
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


def _finish_run(result: RunResult, staging: Path, out: Path, force: bool,
                pdf: bool = False) -> None:
    """Write the run's index (and PDF) and move the folder into place (or under ``failed/``)."""
    record = _run_record(result)
    ok = result.status == "ok"
    _write_text(staging / RUN_FILE, json.dumps(record, indent=1, ensure_ascii=False))
    from .pdf import APPENDIX_FILE, PDF_FILE

    html = _templates().from_string(RUN_INDEX).render(
        run=record, page=_landing(record), up="../" if ok else "../../",
        pdf=PDF_FILE if pdf else None, appendix=APPENDIX_FILE if pdf else None)
    _write_text(staging / "index.html", html)
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
    _write_text(path, _templates().from_string(TOP_INDEX).render(runs=runs))
    return path
