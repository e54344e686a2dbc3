"""A generated report opened in the browser (every image loads, every link works) and read as
PDF (every section and headline). One run of the command line makes all three formats."""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def report_site(browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The default report as HTML, notebooks and PDF, written by the command line and served
    on a free loopback port (skipped, like ``browser``, without Chromium)."""
    out = tmp_path_factory.mktemp("site") / "reports"
    proc = subprocess.run([sys.executable, "-m", "city_innovation.cli", "report", "--out",
                           str(out), "--quiet", "--format", "html,ipynb,pdf"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", out
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _links(page) -> list[str]:
    return page.eval_on_selector_all("a[href]", "els => els.map(a => a.getAttribute('href'))")


def _check_links(page, url: str) -> None:
    """Every relative link of the page at ``url`` answers 200, its #fragment names an element.

    The report's own links are all relative (a report folder can be moved); links to the web
    in the notebooks' text are not fetched.
    """
    answers = {}  # each target fetched once: a page's table of contents links to itself
    for href in _links(page):
        if "://" in href or href.startswith("mailto:"):
            continue
        target, _, fragment = urljoin(url, href).partition("#")
        if target not in answers:
            answers[target] = page.request.get(target)
        assert answers[target].status == 200, href
        if fragment:
            assert f'id="{unquote(fragment)}"' in answers[target].text(), href


def _visible(page, selector: str) -> int:
    return page.eval_on_selector_all(
        selector, "els => els.filter(e => e.offsetWidth > 0 && e.offsetHeight > 0).length")


@pytest.mark.notebook
def test_report_links_and_images(browser, report_site, tmp_path):
    base, out = report_site
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    try:
        page.goto(urljoin(base, "index.html"))
        runs = [urljoin(base, h) for h in _links(page)]
        assert runs == [urljoin(base, "helsinki/index.html")]
        page.goto(runs[0])
        page.screenshot(path=str(tmp_path / "run-index.png"), full_page=True)
        _check_links(page, runs[0])
        thumbs = page.eval_on_selector_all(
            "#figures img", "imgs => imgs.map(i => i.complete && i.naturalWidth > 0)")
        assert thumbs == [True] * 5
        record = json.loads((out / "helsinki" / "run.json").read_text(encoding="utf-8"))
        text = page.inner_text("#findings")
        for nb in record["notebooks"]:
            assert nb["findings"]["headlines"], nb["stem"]
            for sentence in nb["findings"]["headlines"]:
                assert sentence in text
        targets = {urljoin(runs[0], h).partition("#")[0] for h in _links(page)}
        readers = sorted(t for t in targets if t.endswith(".html") and
                         not t.endswith((".code.html", "index.html")))
        assert len(readers) == 5 and len([t for t in targets if t.endswith(".ipynb")]) == 5
        for target in readers:
            page.goto(target)
            page.wait_for_load_state("load")
            loaded = page.eval_on_selector_all(
                "img", "imgs => imgs.map(i => i.complete && i.naturalWidth > 0)")
            executed = json.loads((out / "helsinki" / Path(target).with_suffix(".ipynb").name)
                                  .read_text(encoding="utf-8"))
            figures = sum("image/png" in o.get("data", {}) for c in executed["cells"]
                          for o in c.get("outputs", []))
            assert figures > 0 and loaded == [True] * figures, target
            assert _visible(page, ".jp-CodeCell .jp-InputArea-editor") == 0, target
            assert _visible(page, "nav.ci-toc li") >= 3, target
            page.screenshot(path=str(tmp_path / f"{Path(target).stem}.png"))
            _check_links(page, target)
            page.click("a.ci-code")
            page.wait_for_load_state("load")
            assert page.url.endswith(".code.html"), page.url
            assert _visible(page, ".jp-CodeCell .jp-InputArea-editor") > 0, page.url
            _check_links(page, page.url)
    finally:
        page.close()


@pytest.mark.notebook
def test_report_pdf_has_every_section_and_the_headlines(report_site):
    """--format pdf: the landing page as the report, each notebook in the appendix PDF."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext not found: install poppler-utils")
    _, out = report_site
    run = out / "helsinki"
    from pypdf import PdfReader

    pdf = PdfReader(run / "report.pdf")
    record = json.loads((run / "run.json").read_text(encoding="utf-8"))
    sections = sum(1 for nb in record["notebooks"] for s in nb["sections"] if s[0] == "2")
    assert 1 <= len(pdf.pages) <= 30  # the reader's report; the notebooks are the appendix
    assert len(PdfReader(run / "notebooks.pdf").pages) >= sections
    assert 'href="report.pdf"' in (run / "index.html").read_text(encoding="utf-8")
    text = subprocess.run([pdftotext, "-layout", str(run / "report.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    bare = re.sub(r"[\s-]", "", text)  # a sentence may wrap at a space or a hyphen
    for nb in record["notebooks"]:
        for sentence in nb["findings"]["headlines"]:
            assert re.sub(r"[\s-]", "", sentence) in bare, sentence
    assert "page 1 of" in flat and "page 2 of" in flat


def test_report_pdf_without_the_browser_says_so(tmp_path):
    env = {**os.environ, "CITY_INNOVATION_CHROMIUM": str(tmp_path / "no-chromium")}
    proc = subprocess.run([sys.executable, "-m", "city_innovation.cli", "report", "--out",
                           str(tmp_path / "reports"), "--quiet", "--format", "pdf"],
                          capture_output=True, text=True, check=False, env=env)
    assert proc.returncode != 0
    assert proc.stderr.strip().splitlines()[-1].endswith(
        f"--format pdf needs Chromium: {tmp_path / 'no-chromium'} not found (install Debian's "
        "chromium, or set CITY_INNOVATION_CHROMIUM to its path)")
    assert not (tmp_path / "reports").exists()
