"""What a report run is made of: its tasks, outcomes and results, and the names they share.

A run (:class:`RunPlan`) is one parameter set; each of its notebooks is a :class:`NotebookTask`
handed to a worker, which returns a :class:`NotebookOutcome` by value; the calling process
collects a run's outcomes into a :class:`RunResult` and writes it. Every module of the report
package, and the kernels (through :mod:`.findings`), import these from here, so this module
imports only the standard library.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: What a run can write per notebook (``--format``).
FORMATS = ("html", "ipynb", "pdf")
#: The folder, inside the output folder, that failed runs are written to.
FAILED = "failed"
#: The file of a run folder that records the run (read back for the top index).
RUN_FILE = "run.json"
#: Environment variable naming the file a kernel's :func:`.findings.record_findings` writes.
FINDINGS_ENV = "CITY_INNOVATION_FINDINGS"
#: Key of the recorded findings that holds the notebook's headline sentences.
HEADLINES = "headlines"
#: The Jupyter kernel report runs (and ``make notebooks``) execute notebooks with.
KERNEL_NAME = "city-innovation"
#: Default time limit of one notebook in a report run, in seconds (``--timeout``).
DEFAULT_TIMEOUT = 600.0


@dataclass(frozen=True)
class NotebookTask:
    """One notebook of one run: everything a worker needs, picklable."""

    run: str
    run_name: str
    number: str
    path: str
    parameters: dict[str, Any]
    env: dict[str, str]
    formats: tuple[str, ...] = FORMATS
    no_input: bool = False

    @property
    def stem(self) -> str:
        return Path(self.path).stem


@dataclass(frozen=True)
class RunPlan:
    """One run: a name, its folder slug, the parameters given, and its notebook tasks."""

    name: str
    slug: str
    parameters: dict[str, Any]
    tasks: tuple[NotebookTask, ...]
    skipped: tuple[tuple[str, str], ...] = ()


@dataclass
class NotebookOutcome:
    """What a task returns: the executed notebook, its HTML, findings, timing and error."""

    run: str
    number: str
    stem: str
    parameters: dict[str, Any]
    seconds: float
    error: str | None = None
    ipynb: str | None = None
    html: str | None = None
    code_html: str | None = None
    figure: str | None = None  # the key figure (the first PNG of the reader's page), base64
    sections: list[list[str]] = field(default_factory=list)  # [level, anchor, title] per heading
    figure_section: str | None = None  # anchor of the heading the key figure is under
    findings: dict[str, Any] | None = None
    kernel_log: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None


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
