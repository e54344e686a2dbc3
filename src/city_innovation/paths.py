"""Where the data lives: one place, independent of the current working directory.

The repository's ``data/`` folder is the default; the ``CITY_INNOVATION_DATA`` environment
variable (or an explicit argument) points elsewhere, for example at a folder of test fixtures.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "CITY_INNOVATION_DATA"
REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Return the data folder: ``override``, else ``$CITY_INNOVATION_DATA``, else ``data/``."""
    chosen = override or os.environ.get(ENV_VAR) or REPO_ROOT / "data"
    return Path(chosen).expanduser().resolve()
