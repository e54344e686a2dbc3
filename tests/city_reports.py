"""What the city-report tests share: which notebooks each city gets, what must never appear in a
report's outputs, and every city's run of some of the notebooks, checked clean.

Every city is planned as ``report --city all`` plans it (:func:`plan_every_city`: the command's
own code decides which notebooks a city gets, with which parameters, and why not). The notebooks
planned are then executed with papermill's parameters, all cities of one notebook in one kernel
cleared between cities (:func:`execute_plans`): a city's outputs are what its own run shows, and
the suite starts six kernels where the command would start sixty. The command's batches, folders
and pages are tested with the stand-in notebooks (``test_report.py``) and with one real report
in the browser tests.

The cities are tested in two files, each for a part of the notebooks, so that the two halves can
run on two workers at once.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from city_innovation import paths
from city_innovation.params import NOTEBOOK_PARAMS
from city_innovation.report import plan
from city_innovation.report.execute import kernel_manager_class
from city_innovation.report.model import FINDINGS_ENV, KERNEL_NAME, RunPlan

#: The notebooks that need a region: not run for a city without region data.
REGION_NOTEBOOKS = {path.stem for number, path in plan.discover(paths.NOTEBOOKS_DIR).items()
                    if "region" in NOTEBOOK_PARAMS[number].model_fields
                    and not getattr(NOTEBOOK_PARAMS[number], "REGION_OPTIONAL", False)}

#: The notebook comparing a city's page versions: run for every city with two or more.
ROUNDS = "06_city_across_rounds"

#: The European cities of data/profiles/: each is listed by a region file, so gets all five.
EUROPEAN = {"Amsterdam": "Noord-Holland", "Helsinki": "Helsinki-Uusimaa",
            "Lisbon": "Área Metropolitana de Lisboa", "Stockholm": "Stockholm", "Vienna": "Wien"}

#: What must never appear in a report's outputs.
DIRTY = re.compile(r"Traceback|Error\b|Warning\b|warnings\.warn|/work/|/home/|/tmp/|/Users/|"
                   r"[A-Z]:\\\\|Empty DataFrame|<tbody>\s*</tbody>", re.IGNORECASE)

#: What a reader's table must not show: pandas' missing-value markers.
READER_DIRTY = re.compile(r">\s*(NaN|&lt;NA&gt;|<NA>|None|nan)\s*<")


def outputs(nb: nbformat.NotebookNode) -> list[str]:
    """Every text a notebook shows: stream text, plain-text and HTML results, errors."""
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.output_type == "stream":
                out.append(o.text)
            elif o.output_type == "error":
                out.append(f"{o.ename}: {o.evalue}")
            else:
                out += [str(o.data.get(k, "")) for k in ("text/plain", "text/html")]
    return out


def reader_html(nb: nbformat.NotebookNode) -> list[str]:
    """The HTML tables the notebook shows."""
    return [str(o.data["text/html"]) for cell in nb.cells for o in cell.get("outputs", [])
            if o.output_type in ("execute_result", "display_data") and "text/html" in o.data]


def plan_every_city(notebooks: str) -> list[RunPlan]:
    """The runs of ``report --city all --notebooks <notebooks>``, as the command plans them
    (no kernel yet): one per city of ``data/``, each with its tasks and its skipped notebooks."""
    chosen = plan.select_notebooks(paths.NOTEBOOKS_DIR, notebooks.split(","))
    sets = plan.parameter_sets([plan.ALL_CITIES], None)
    return plan.plan_runs(sets, chosen, formats=("ipynb",),
                          env={paths.ENV_VAR: str(paths.data_dir())})


@dataclass
class Executed:
    """One notebook executed for one run: the notebook with its outputs, and its findings."""

    nb: nbformat.NotebookNode
    findings: dict


#: The first cell of every execution in a shared kernel: the names the last city's run left are
#: deleted (IPython's ``%reset -f``; imported modules stay loaded), the findings file is the run's
#: own, and the count of figures laid out starts again. The cell leaves no name behind; it is
#: removed before the outputs are checked.
CLEAR = ("get_ipython().run_line_magic('reset', '-f'); get_ipython().figures_laid_out = 0; "
         "__import__('os').environ[{env!r}] = {path!r}")

#: The first cell of a shared kernel. Each figure shown is laid out (``draw_without_rendering``:
#: layout engines run, every text is measured and every artist drawn, so what warns while drawing
#: shows among the outputs) but not rasterised: the notebooks show it as text. Rasterising is most
#: of a city's time, and the images are checked where they are compared (nbval, the notebook
#: tests, the browser tests). The inline backend removes every formatter of figures whenever a
#: notebook sets its backend (``plots.use_theme``), so the one below is registered again before
#: each cell.
LAY_OUT_ONLY = """\
def _lay_out(fig, printer, cycle, shell=get_ipython()):
    fig.draw_without_rendering()
    shell.figures_laid_out += 1
    printer.text(repr(fig))
def _before_each_cell(info, shell=get_ipython(), lay_out=_lay_out, sys=__import__("sys")):
    if "matplotlib.figure" in sys.modules:
        figure = sys.modules["matplotlib.figure"].Figure
        shell.display_formatter.formatters["text/plain"].for_type(figure, lay_out)
get_ipython().events.register("pre_run_cell", _before_each_cell)
get_ipython().run_line_magic("config", "InlineBackend.figure_formats = set()")
del _lay_out, _before_each_cell"""

#: The last cell of every execution in a shared kernel: how many figures were laid out.
COUNT = "print(get_ipython().figures_laid_out)"


def _figures_shown(nb: nbformat.NotebookNode) -> int:
    return sum(str(o.get("data", {}).get("text/plain", "")).startswith("<Figure size")
               for cell in nb.cells for o in cell.get("outputs", []))


def execute_plans(plans: list[RunPlan], folder: Path) -> dict[str, dict[str, Executed]]:
    """Execute every task of ``plans`` and check its outputs; returns them by run and stem.

    The tasks of one notebook run one after the other in one kernel (started in the notebooks'
    folder with the tasks' environment, as the command starts its kernels), each with papermill's
    parameter cell, after :data:`CLEAR`, its figures laid out but not rasterised
    (:data:`LAY_OUT_ONLY`). Every notebook must run to its end, lay out every figure it shows,
    and show nothing of :data:`DIRTY` and no missing-value marker in a reader's table.
    """
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    by_notebook: dict[str, list] = {}
    for run in plans:
        for task in run.tasks:
            by_notebook.setdefault(task.path, []).append(task)
    envs = {tuple(sorted(t.env.items())) for tasks in by_notebook.values() for t in tasks}
    assert len(envs) == 1, f"the runs ask for different environments: {envs}"
    env = {**os.environ, **dict(envs.pop())}
    done: dict[str, dict[str, Executed]] = {run.slug: {} for run in plans}

    async def one_kernel(path: str, tasks: list) -> None:
        from nbclient import NotebookClient

        km = kernel_manager_class()(kernel_name=KERNEL_NAME)
        await km.start_kernel(cwd=str(paths.NOTEBOOKS_DIR), env=env)
        try:
            for number, task in enumerate(tasks):
                findings = folder / f"{task.run}-{task.stem}.json"
                nb = parameterize_notebook(load_notebook_node(path), task.parameters)
                first = [LAY_OUT_ONLY] if number == 0 else []
                nb.cells[:0] = [nbformat.v4.new_code_cell(code) for code in (
                    *first, CLEAR.format(env=FINDINGS_ENV, path=str(findings)))]
                nb.cells.append(nbformat.v4.new_code_cell(COUNT))
                client = NotebookClient(nb, km=km, timeout=600, kernel_name=KERNEL_NAME,
                                        resources={"metadata": {"path": str(paths.NOTEBOOKS_DIR)}})
                try:
                    await client.async_execute()
                finally:
                    if client.kc is not None:
                        client.kc.stop_channels()
                what = f"{task.run_name} {task.stem}"
                for _ in range(len(first) + 1):
                    assert nb.cells.pop(0).outputs == [], what
                counted = "".join(o.text for o in nb.cells.pop().outputs)  # maybe in parts
                assert int(counted) == _figures_shown(nb), (what, counted)
                assert [t for t in outputs(nb) if DIRTY.search(t)] == [], what
                assert not [t for t in reader_html(nb) if READER_DIRTY.search(t)], what
                done[task.run][task.stem] = Executed(
                    nb, json.loads(findings.read_text(encoding="utf-8")))
        finally:
            await km.shutdown_kernel(now=True)

    async def every_notebook() -> None:
        for path, tasks in by_notebook.items():
            await one_kernel(path, tasks)

    asyncio.run(every_notebook())
    return done


def findings_of(executed: dict[str, Executed]) -> dict[str, dict]:
    """Each notebook's findings in a run, by notebook stem."""
    return {stem: one.findings for stem, one in executed.items()}
