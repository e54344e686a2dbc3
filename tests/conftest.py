"""Shared fixtures: the project's data, an invented second data folder, copies to break, and a
guard against starting kernels. Plain helpers the tests import live in ``helpers.py``."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import DATA, FIXTURE_DATA, NOTEBOOKS, papermill_run

from city_innovation import paths


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


@pytest.fixture
def run_notebook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run a notebook of ``notebooks/`` with papermill and return the executed notebook.

    ``data_dir`` points the kernel at another data folder (through the environment);
    other keyword arguments are notebook parameters. Failures raise papermill's
    ``PapermillExecutionError`` (its ``ename`` and ``evalue`` name the error).
    """
    def run(name: str, data_dir: Path | None = None, **parameters: object):
        if data_dir is not None:
            monkeypatch.setenv(paths.ENV_VAR, str(data_dir))
        return papermill_run(NOTEBOOKS / name, tmp_path / f"executed-{name}",
                             parameters=parameters, cwd=str(NOTEBOOKS))

    return run


@pytest.fixture
def no_kernels(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Any attempt to run a notebook or open an executor fails the test; no worker process is
    started early either. The current folder is ``tmp_path``, which is returned."""
    import papermill

    from city_innovation.report import execute, pool

    def refuse(*args: object, **kwargs: object):
        raise AssertionError("a notebook was about to run")

    monkeypatch.setattr(papermill, "execute_notebook", refuse)
    monkeypatch.setattr(execute, "execute_notebook_task", refuse)
    monkeypatch.setattr(pool, "open_executor", refuse)
    monkeypatch.setattr(pool, "start_workers_early", lambda: None)
    monkeypatch.chdir(tmp_path)
    return tmp_path
