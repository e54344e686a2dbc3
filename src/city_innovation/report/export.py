"""A notebook's HTML pages, made in the worker that ran it: the reader's page and the code page.

nbconvert's HTML exporter (one per worker and kind, built once) writes the pages; a navigation
bar is added to each (contents from the headings, links between the two views), and the reader's
page gives the outline the landing page uses: its headings and its key figure.
"""

from __future__ import annotations

import functools
import html
import importlib.resources
import re
import threading
from typing import Any

from .model import NotebookTask

#: Cell tag of the code cell whose figure is the notebook's key figure on the landing page.
KEY_FIGURE_TAG = "key-figure"

_local = threading.local()


def html_exporter(no_input: bool) -> Any:
    """The HTML exporter of this worker (built once: it loads templates and filters)."""
    cache: dict[bool, Any] = _local.__dict__.setdefault("exporters", {})
    if no_input not in cache:
        from nbconvert import HTMLExporter

        cache[no_input] = HTMLExporter(template_name="lab", exclude_input=no_input,
                                       exclude_input_prompt=no_input,
                                       exclude_output_prompt=no_input)
    return cache[no_input]


def pages(ipynb: str, task: NotebookTask) -> tuple[str, str | None]:
    """The reader's page (no code, contents from the headings) and the page with code.

    The page with code is left out when the task says ``no_input`` (``--no-input``).
    """
    import nbformat

    from ..present.reader import reader_cells

    resources = {"metadata": {"name": f"{task.run_name} - {task.stem}"}}
    nb = nbformat.reads(ipynb, as_version=4)
    code = None
    if not task.no_input:
        code, _ = html_exporter(False).from_notebook_node(nb, resources=resources)
        code = code_page(code, f"{task.stem}.html")
    nb.cells = reader_cells(nb.cells)
    reader, _ = html_exporter(True).from_notebook_node(nb, resources=resources)
    return reader_page(reader, None if code is None else f"{task.stem}.code.html"), code


@functools.cache
def page_css() -> str:
    """The style added to both pages (``templates/page.css``, one rule a line, joined)."""
    text = importlib.resources.files(__package__).joinpath("templates", "page.css").read_text(
        encoding="utf-8")
    return "".join(line.strip() for line in text.splitlines())


#: A heading as nbconvert's HTML exporter writes it: level, anchor id, inner HTML.
_HEADING = re.compile(r'<h([1-3]) id="([^"]+)">(.*?)<a class="anchor-link"', re.S)
_TAG = re.compile(r"<[^>]+>")


def _insert_nav(page: str, nav: str) -> str:
    style = f"<style>{page_css()}</style>"
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
