"""Writing files and folders so that nothing is ever half-written.

A file is written to a temporary name beside its target and moved into place in one step; a
folder is built under a temporary name and renamed when complete. Both get the permissions an
ordinary file or folder would (the process's umask), not the private ones of :mod:`tempfile`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically: readers see the old or the new file, never a part."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def staging_dir(parent: Path, prefix: str) -> Path:
    """A new, empty folder inside ``parent`` to build output in before renaming it into place."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    folder.chmod(0o777 & ~_umask())
    return folder
