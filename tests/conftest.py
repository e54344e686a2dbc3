"""Shared fixtures: the project's data, an invented second data folder, and copies to break."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from city_innovation import paths

REPO = paths.REPO_ROOT
DATA = REPO / "data"
FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"


@pytest.fixture(autouse=True)
def _plot_theme() -> Iterator[None]:
    """Every test draws with the notebooks' theme; its figures are closed afterwards."""
    import matplotlib.pyplot as plt

    from city_innovation import plots

    plots.use_theme()
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def helsinki():
    """The shipped profile (data/profiles/helsinki.yaml)."""
    from city_innovation import data

    return data.load_profile("Helsinki")


@pytest.fixture(scope="session")
def region():
    """The shipped region (data/regions/helsinki-uusimaa.yaml)."""
    from city_innovation import data

    return data.load_region("Helsinki-Uusimaa")


@pytest.fixture(scope="session")
def bench():
    """The shipped survey benchmarks."""
    from city_innovation import data

    return data.benchmarks()


@pytest.fixture(scope="session")
def testville():
    """The invented profile of the test fixtures."""
    from city_innovation import data

    return data.load_profile("Testville", FIXTURE_DATA)


@pytest.fixture(scope="session")
def test_region():
    """The invented region of the test fixtures."""
    from city_innovation import data

    return data.load_region("Test Region", FIXTURE_DATA)


@pytest.fixture
def fixture_data() -> Path:
    """The invented data folder (Testville, Test Region)."""
    return FIXTURE_DATA


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the project's data folder, for tests that break it."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


NOTEBOOKS = REPO / "notebooks"
KERNEL = "city-innovation"


@pytest.fixture
def run_notebook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run a notebook of ``notebooks/`` with papermill and return the executed notebook.

    ``data_dir`` points the kernel at another data folder (through the environment);
    other keyword arguments are notebook parameters. Failures raise papermill's
    ``PapermillExecutionError`` (its ``ename`` and ``evalue`` name the error).
    """
    import papermill

    def run(name: str, data_dir: Path | None = None, **parameters: object):
        if data_dir is not None:
            monkeypatch.setenv(paths.ENV_VAR, str(data_dir))
        out = tmp_path / f"executed-{name}"
        return papermill.execute_notebook(
            str(NOTEBOOKS / name), str(out), parameters=parameters, kernel_name=KERNEL,
            cwd=str(NOTEBOOKS), progress_bar=False, log_output=False)

    return run


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


@pytest.fixture
def no_kernels(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Any attempt to run a notebook fails the test; the current folder is ``tmp_path``."""
    import papermill

    from city_innovation import report

    def refuse(*args: object, **kwargs: object):
        raise AssertionError("a notebook was about to run")

    monkeypatch.setattr(papermill, "execute_notebook", refuse)
    monkeypatch.setattr(report, "open_executor", refuse)
    monkeypatch.chdir(tmp_path)
    return tmp_path
