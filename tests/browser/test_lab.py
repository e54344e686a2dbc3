"""Each notebook opened in JupyterLab, run through the UI, and checked as a user would see it."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from city_innovation.paths import NOTEBOOKS_DIR

pytestmark = [pytest.mark.browser, pytest.mark.notebook]

NOTEBOOKS = sorted(p.name for p in NOTEBOOKS_DIR.glob("[0-9]*.ipynb"))
RUN_TIMEOUT_MS = 240_000
#: How often the page is checked while waiting (Playwright's default, every animation frame,
#: keeps Chromium busy beside the kernel it is waiting for).
POLL_MS = 100
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
PROMPTS = f"{PANEL} .jp-CodeCell .jp-InputPrompt"  # each code cell's [n], [*] or [ ]


def _stored_images(path: Path) -> int:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return sum("image/png" in o.get("data", {}) for c in nb["cells"]
               for o in c.get("outputs", []))


def _menu(page, menu: str, item: str) -> None:
    page.get_by_role("menuitem", name=menu, exact=True).click()
    page.get_by_role("menuitem", name=item, exact=True).click()


def _fail_with_page(page, name: str, screenshot: Path, what: str) -> None:
    """Fail with the cells' prompts and a screenshot of the page as it is."""
    page.screenshot(path=str(screenshot), full_page=True)
    prompts = page.eval_on_selector_all(PROMPTS, "ps => ps.map(p => p.textContent)")
    pytest.fail(f"{name}: {what}; prompts {prompts}; the page as it was: {screenshot}")


#: A promise raced against a time limit, so that a page that stops answering fails the test
#: instead of hanging it (Playwright's ``evaluate`` has no time limit of its own).
WITHIN = """const within = (promise, seconds, what) => Promise.race([promise, new Promise(
    (_, fail) => setTimeout(() => fail(new Error(what + ' after ' + seconds + ' s')),
                            seconds * 1000))]);"""

#: Open a notebook as the file browser does (``docmanager:open``), in the page's JupyterLab.
OPEN = f"""async name => {{
    {WITHIN}
    await within(window.jupyterapp.commands.execute(
        'docmanager:open', {{path: name, factory: 'Notebook'}}), 60, 'notebook not opened');
}}"""

#: Close every tab of a notebook unsaved, its kernel shut down: the next test starts from a page
#: with no notebook open and no kernel of this one left running.
CLOSE = f"""async name => {{
    {WITHIN}
    const app = window.jupyterapp;
    for (const widget of [...app.shell.widgets('main')]) {{
        if (widget.context?.path !== name) continue;
        await within(widget.sessionContext.shutdown(), 30, 'kernel not shut down');
        widget.context.model.dirty = false;
        widget.dispose();
    }}
}}"""

#: JupyterLab has started and restored its workspace.
STARTED = f"""async () => {{
    {WITHIN}
    await within(window.jupyterapp.restored, 60, 'JupyterLab not started');
}}"""


@pytest.fixture(scope="module")
def lab_page(browser, lab) -> Iterator[object]:
    """One JupyterLab page for the tests of this file: loading Lab takes a few seconds of CPU,
    and each test opens and closes its notebook in it."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(lab.app_url())
        page.wait_for_function("() => window.jupyterapp !== undefined", timeout=60_000)
        page.evaluate(STARTED)
        yield page
    finally:
        page.close()


def run_in_lab(page, lab, name: str, screenshot: Path) -> dict[str, object]:
    """Open a notebook, clear it, run all cells from the Run menu, wait for the kernel to be
    idle, screenshot the page; return what a user sees: error outputs and rendered images.
    The notebook is closed, unsaved and its kernel shut down, at the end."""
    try:
        page.evaluate(OPEN, name)
        panel = page.locator(PANEL)
        panel.wait_for(timeout=60_000)
        idle = page.locator(f'{PANEL} .jp-Notebook-ExecutionIndicator[data-status="idle"]')
        idle.wait_for(timeout=60_000)
        lab.wait_for_idle_kernel(name)
        # Focus the notebook so the menus act on it, then start from a clean page (no outputs,
        # no execution counts), so every figure seen below comes from this run.
        panel.locator(".jp-Cell").first.click()
        _menu(page, "Edit", "Clear Outputs of All Cells")
        page.wait_for_function(
            f"""() => document.querySelectorAll('{PANEL} .jp-OutputArea-output').length === 0
                && [...document.querySelectorAll('{PROMPTS}')]
                   .every(p => !/\\d/.test(p.textContent))""",
            timeout=30_000, polling=POLL_MS)
        _menu(page, "Run", "Run All Cells")
        try:  # the run has started: a cell is queued, running or done
            page.wait_for_function(
                f"""() => [...document.querySelectorAll('{PROMPTS}')]
                    .some(p => /\\[[*\\d]/.test(p.textContent))""", timeout=60_000,
                polling=POLL_MS)
        except PlaywrightTimeout:
            _fail_with_page(page, name, screenshot, "no cell started within 60 s of Run All Cells")
        # Wait until every code cell shows an execution count (a failing cell stops the
        # queue: the cells after it go back to an empty prompt), then until the kernel is idle.
        try:
            page.wait_for_function(
                f"""() => {{
                    const prompts = [...document.querySelectorAll('{PROMPTS}')]
                        .map(p => p.textContent);
                    const done = prompts.filter(t => /\\[\\d+\\]/.test(t)).length;
                    const busy = prompts.some(t => t.includes('*'));
                    const errors = document.querySelectorAll('{PANEL} {STDERR}');
                    return !busy && (done === prompts.length || (errors.length > 0 && done > 0));
                }}""",
                timeout=RUN_TIMEOUT_MS, polling=POLL_MS)
        except PlaywrightTimeout:
            _fail_with_page(page, name, screenshot,
                            f"cells not done after {RUN_TIMEOUT_MS // 1000} s")
        idle.wait_for(timeout=60_000)
        page.screenshot(path=str(screenshot), full_page=True)
        errors = panel.locator(STDERR)
        images = page.evaluate(
            f"""() => [...document.querySelectorAll('{PANEL} .jp-OutputArea-output img')]
                .map(img => img.complete && img.naturalWidth > 0)""")
        seen = {"errors": [errors.nth(i).inner_text()[:2000] for i in range(errors.count())],
                "images": len(images), "broken_images": images.count(False)}
    except BaseException:
        with contextlib.suppress(PlaywrightError):  # the failure above is the one to report
            page.evaluate(CLOSE, name)
        raise
    page.evaluate(CLOSE, name)
    return seen


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_in_lab(lab_page, lab, name, tmp_path):
    expected = _stored_images(NOTEBOOKS_DIR / name)
    assert expected > 0, f"{name} has no stored figures to compare with"
    seen = run_in_lab(lab_page, lab, name, tmp_path / f"{name}.png")
    assert seen["errors"] == []
    assert seen["images"] == expected
    assert seen["broken_images"] == 0
    assert (tmp_path / f"{name}.png").stat().st_size > 0


def test_a_failing_cell_is_seen(lab_page, lab, tmp_path):
    """The check itself can fail: a notebook whose second cell raises is reported."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "city-innovation", "language": "python",
                                 "display_name": "Python (city-innovation)"}
    nb.cells = [nbformat.v4.new_code_cell("x = 1"),
                nbformat.v4.new_code_cell("raise ValueError('shown to the user')")]
    nbformat.write(nb, lab.root / "zz_failing.ipynb")
    seen = run_in_lab(lab_page, lab, "zz_failing.ipynb", tmp_path / "failing.png")
    assert len(seen["errors"]) == 1 and "shown to the user" in seen["errors"][0]
    assert seen["images"] == 0
