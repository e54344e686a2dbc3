"""Running a batch: every notebook of every run on an Executor, each run written when complete.

The tasks go to the Executor (:mod:`.pool`, or a Dask client's); their outcomes come back by
value and only this process writes (:mod:`.site`): each run into a temporary folder inside the
output folder, renamed into place when its last notebook is in (``<out>/<slug>/``, or
``<out>/failed/<slug>/``). A failing notebook fails its run only.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from pathlib import Path
from typing import Any

from .. import files
from . import pool, site
from .execute import one_line
from .model import DEFAULT_TIMEOUT, NotebookOutcome, NotebookTask, RunPlan, RunResult

#: What a batch submits per notebook: ``task(notebook_task, timeout)`` returns its outcome.
Task = Callable[[NotebookTask, float | None], NotebookOutcome]


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
        site.save_outcome(outcome, self.folders[slug])
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
        site.finish_run(result, self.folders[slug], self.out, self.force,
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
              quiet: bool = False, timeout: float | None = DEFAULT_TIMEOUT,
              task: Task = pool.run_task) -> list[RunResult]:
    """Execute every notebook of every run on ``executor`` and write each run when complete.

    A failing notebook fails its run only: an error, a dead kernel, ``timeout`` seconds passed
    (per notebook), a worker lost for good. Whatever happens (Ctrl-C and SIGTERM included, see
    :func:`.pool.stop_signals`), no temporary folder is left behind and no report folder is
    half-written. ``task`` is what the executor runs per notebook (a test may pass its own).
    """
    out.mkdir(parents=True, exist_ok=True)
    staging = _Staging(plans, out, force)
    pending: dict[Future[NotebookOutcome], NotebookTask] = {}
    try:
        for plan in plans:
            for notebook in _longest_first(plan.tasks):
                pending[executor.submit(task, notebook, timeout)] = notebook
        with _progress(len(plans), quiet) as bar:
            while pending:
                pool.check_stop()
                done, _ = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
                for future in done:
                    if staging.add(_outcome_of(future, pending.pop(future))):
                        bar.update(1)
                running = [f"{t.run_name}: {t.stem}" for f, t in pending.items() if f.running()]
                bar.set_postfix_str(running[0] if running else "", refresh=True)
    except BaseException:
        pool.stop_executor(executor)
        raise
    finally:
        staging.clean()
        if staging.results:
            site.write_top_index(out)
    order = {plan.slug: i for i, plan in enumerate(plans)}
    return sorted(staging.results, key=lambda r: order[r.slug])


def _outcome_of(future: Future[NotebookOutcome], task: NotebookTask) -> NotebookOutcome:
    """The task's outcome; a worker that broke down (not the notebook) fails the task too."""
    try:
        return future.result()
    except KeyboardInterrupt:
        raise
    except Exception as exc:
        return NotebookOutcome(run=task.run, number=task.number, stem=task.stem,
                               parameters=task.parameters, seconds=0.0,
                               error=_lost(exc))


def _lost(exc: BaseException) -> str:
    """The one-line reason for a task whose worker, not its notebook, gave out."""
    name = type(exc).__name__
    if name == "KilledWorker":  # dask.distributed re-ran it on other workers; they died too
        return ("worker lost: every Dask worker that ran this notebook died "
                f"({one_line(name, str(exc))[:200]})")
    if name == "BrokenProcessPool":
        return "worker lost: a process of the pool ended abruptly (killed, or out of memory)"
    return one_line(name, str(exc))
