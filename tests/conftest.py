"""Shared fixtures: the project's data, an invented second data folder, and copies to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from city_innovation import paths

REPO = paths.REPO_ROOT
DATA = REPO / "data"
FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"


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
