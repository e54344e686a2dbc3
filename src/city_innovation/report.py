"""Notebook execution: re-running the committed notebooks, and (later) report runs.

``execute_in_place`` is what ``make notebooks`` uses: it runs each notebook top to bottom in its
own folder with the project's kernel and rewrites it only when the run succeeded, so a failing
notebook never replaces a good one. Timing metadata is not recorded, to keep outputs stable.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from .errors import ReportError

KERNEL_NAME = "city-innovation"


def execute_in_place(paths: Iterable[str | os.PathLike[str]], timeout: int = 600) -> list[Path]:
    """Execute notebooks and overwrite each with its executed version (atomically)."""
    done: list[Path] = []
    for raw in paths:
        path = Path(raw).resolve()
        if not path.is_file():
            raise ReportError(f"notebook {raw}: file not found")
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=timeout, kernel_name=KERNEL_NAME,
                                record_timing=False,
                                resources={"metadata": {"path": str(path.parent)}})
        try:
            client.execute()
        except CellExecutionError as exc:
            first = str(exc).strip().splitlines()[-1] if str(exc).strip() else "cell failed"
            raise ReportError(f"notebook {path.name}: a cell failed ({first}); "
                              "the file was left unchanged") from None
        fd, tmp = tempfile.mkstemp(suffix=".ipynb", dir=path.parent)
        os.close(fd)
        nbformat.write(nb, tmp)
        os.replace(tmp, path)
        done.append(path)
    return done
