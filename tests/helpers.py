"""Helpers the tests import (``from helpers import ...``): the project's folders and checks of an
executed notebook's outputs. Fixtures live in ``conftest.py``."""

from __future__ import annotations

from pathlib import Path

from city_innovation import paths
from city_innovation.report.model import KERNEL_NAME

REPO = paths.REPO_ROOT
DATA = REPO / "data"
FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"
NOTEBOOKS = REPO / "notebooks"
KERNEL = KERNEL_NAME


def papermill_run(path: Path | str, out: Path | str, **kwargs: object):
    """``papermill.execute_notebook`` with the report's kernel (its own Unix sockets, not TCP
    ports that a kernel started beside it can take) and without progress bars or logged outputs;
    ``kwargs`` are papermill's (``parameters``, ``cwd``, ...)."""
    import papermill

    from city_innovation.report.execute import kernel_manager_class

    return papermill.execute_notebook(
        str(path), str(out), kernel_name=KERNEL, kernel_manager_class=kernel_manager_class(),
        progress_bar=False, log_output=False, **kwargs)


def outputs_of(nb, output_type: str | None = None) -> list[dict]:
    """All outputs of an executed notebook's code cells (optionally of one type)."""
    return [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])
            if output_type is None or o["output_type"] == output_type]


def images_of(nb) -> int:
    """Number of PNG images among a notebook's outputs."""
    return sum("image/png" in o.get("data", {}) for o in outputs_of(nb))


def stdout_of(nb) -> str:
    """Everything a notebook printed to stdout."""
    return "".join(o["text"] for o in outputs_of(nb, "stream") if o["name"] == "stdout")


def assert_clean(nb, figures: int) -> None:
    """``figures`` images, no warnings or errors, no absolute path among the outputs."""
    assert images_of(nb) == figures
    assert not [o for o in outputs_of(nb, "stream") if o["name"] == "stderr"]
    assert not outputs_of(nb, "error")
    assert "/tmp" not in str(outputs_of(nb)) and "/work" not in str(outputs_of(nb))
