"""Student versions of the exercise notebooks (``city-innovation teaching --out DIR``).

The teacher versions in ``notebooks/teaching/`` tag their cells ``exercise`` (the prompt),
``solution`` (the teacher's answer) and ``check`` (a cell that compares the student's answer with
the expected one). :func:`write_student_versions` writes the student versions with nbconvert
preprocessors: each solution is replaced by a placeholder cell (``# your code here`` plus
``name = ...`` for every name a check cell reads, or "Your answer here" for a written answer) and
all outputs are cleared.
"""

from __future__ import annotations

import ast
import os
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import nbformat
from nbconvert.exporters import NotebookExporter
from nbconvert.preprocessors import ClearOutputPreprocessor, Preprocessor, TagRemovePreprocessor
from traitlets import Unicode

from .. import files
from ..errors import ParameterError
from ..paths import NOTEBOOKS_DIR

EXERCISE, SOLUTION, CHECK, ANSWER = "exercise", "solution", "check", "answer"
TEACHING_DIR = NOTEBOOKS_DIR / "teaching"
CODE_PLACEHOLDER = "# your code here"
MARKDOWN_PLACEHOLDER = "*Your answer here.* (Double-click this cell to write.)"


def _tags(cell: Any) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except SyntaxError:
        return None


def _assigned(source: str) -> list[str]:
    """Names assigned (or defined) at the top level of a code cell, in order of first use."""
    tree = _parse(source)
    names: list[str] = []
    for node in tree.body if tree else []:
        targets: list[ast.expr] = []
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name not in names:
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            targets = [node.target]
        for target in targets:
            for sub in ast.walk(target):
                if isinstance(sub, ast.Name) and sub.id not in names:
                    names.append(sub.id)
    return names


def _read_names(sources: Iterable[str]) -> set[str]:
    """Every name read (loaded) in some cells."""
    out: set[str] = set()
    for source in sources:
        tree = _parse(source)
        if tree:
            out |= {n.id for n in ast.walk(tree)
                    if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return out


class SolutionPlaceholders(Preprocessor):
    """Insert a placeholder cell before each solution cell (which a later step removes).

    A code placeholder reads ``# your code here`` followed by ``name = ...`` for every name the
    solution assigns and a check cell reads, so an unanswered check reports "not yet" instead of
    failing with a NameError. A markdown placeholder invites a written answer.
    """

    solution_tag = Unicode(SOLUTION, help="tag of the cells to replace").tag(config=True)

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        checked = _read_names(c.source for c in nb.cells
                              if c.cell_type == "code" and CHECK in _tags(c))
        cells = []
        for index, cell in enumerate(nb.cells):
            if self.solution_tag in _tags(cell):
                cells.append(self._placeholder(cell, checked, index))
            cells.append(cell)
        nb.cells = cells
        return nb, resources

    @staticmethod
    def _placeholder(cell: Any, checked: set[str], index: int) -> Any:
        if cell.cell_type == "code":
            stubs = [f"{name} = ..." for name in _assigned(cell.source) if name in checked]
            new = nbformat.v4.new_code_cell("\n".join([CODE_PLACEHOLDER, *stubs]))
        else:
            new = nbformat.v4.new_markdown_cell(MARKDOWN_PLACEHOLDER)
        new.metadata["tags"] = [ANSWER]
        new["id"] = f"{cell.get('id') or f'cell-{index}'}-answer"[-64:]
        return new


def student_exporter() -> NotebookExporter:
    """An nbconvert exporter that turns a teacher notebook into its student version."""
    exporter = NotebookExporter()
    exporter.register_preprocessor(SolutionPlaceholders(), enabled=True)
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={SOLUTION}),
                                   enabled=True)
    exporter.register_preprocessor(ClearOutputPreprocessor(), enabled=True)
    return exporter


def student_version(nb: Any) -> str:
    """The student version of a teacher notebook, as notebook JSON text."""
    body, _ = student_exporter().from_notebook_node(nb)
    return body


HANDOUT_README = """\
# Exercise notebooks

Open each notebook in JupyterLab with the kernel "Python (city-innovation)" and work from the top:

1. Read the learning goals and run the set-up cells.
2. Each exercise says which name to define. Write your code in the cell marked
   `# your code here` (replace the `...`), or your answer in the cell that says
   "Your answer here".
3. Run the check cell under it: `✔ correct` means you are done; `✘ not yet` says what is still
   different and gives a hint. Change your answer and run both cells again.

Every number comes from the project's `data/` folder through the `city_innovation` package.
"""


#: A file that marks a folder as written by this command (so --force may replace it).
HANDOUT_MARKER = ".city-innovation-handout"


def teaching_notebooks() -> list[Path]:
    """The teacher versions shipped in ``notebooks/teaching/``, in order."""
    return sorted(TEACHING_DIR.glob("*.ipynb"))


def write_student_versions(out: str | os.PathLike[str],
                           notebooks: Sequence[str | os.PathLike[str]] | None = None, *,
                           force: bool = False) -> list[Path]:
    """Write the student versions of ``notebooks`` (default: all) into the new folder ``out``.

    The folder is built under a temporary name beside ``out`` and moved into place when
    complete; an existing ``out`` is replaced only with ``force``.
    """
    sources = [Path(p) for p in notebooks] if notebooks else teaching_notebooks()
    for src in sources:
        if src.suffix != ".ipynb" or not src.is_file():
            raise ParameterError(f"notebook {src}: not found (allowed: .ipynb files, e.g. "
                                 f"those in notebooks/teaching/)")
    target = Path(out)
    if target.exists() and not target.is_dir():
        raise ParameterError(f"--out {out}: exists and is not a folder")
    for src in sources:
        if src.resolve().is_relative_to(target.resolve()):
            raise ParameterError(f"--out {out}: holds the teacher notebook {src.name}; choose "
                                 "another folder for the student versions")
    if target.exists() and not force:
        raise ParameterError(f"--out {out}: already exists (use --force to replace it)")
    if target.exists() and any(target.iterdir()) and not (target / HANDOUT_MARKER).is_file():
        raise ParameterError(f"--out {out}: exists and was not written by `city-innovation "
                             "teaching`, so it is not replaced even with --force (choose a new "
                             "folder)")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = files.staging_dir(target.parent, f".{target.name}.tmp-")
    try:
        for src in sources:
            try:
                nb = nbformat.read(src, as_version=4)
            except Exception as exc:  # nbformat raises several kinds for a file that is no notebook
                raise ParameterError(f"notebook {src}: not a readable notebook "
                                     f"({type(exc).__name__})") from None
            (tmp / src.name).write_text(student_version(nb), encoding="utf-8")
        (tmp / "README.md").write_text(HANDOUT_README, encoding="utf-8")
        (tmp / HANDOUT_MARKER).write_text("student versions written by city-innovation teaching\n",
                                          encoding="utf-8")
        if target.exists():
            old = files.staging_dir(target.parent, f".{target.name}.old-")
            target.rename(old / target.name)
            tmp.rename(target)
            shutil.rmtree(old)
        else:
            tmp.rename(target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return [target / src.name for src in sources]
