"""pytest settings for everything collected in the repository: tests/ and, under nbval, the
committed notebooks."""

from __future__ import annotations

import functools
import shutil
import tempfile
from collections import Counter

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """Kernels started by the tests keep their sockets and connection files in a runtime folder
    of this process, removed at the end, not in the user's (tests kill some kernels on purpose,
    and those cannot clean up). nbval's kernels are the report's kernels, on Unix sockets of
    their own: a TCP port picked for one kernel can be taken by a kernel starting beside it in
    the other worker (see ``city_innovation.report.execute.kernel_endpoint``)."""
    import nbval.kernel

    from city_innovation.report.execute import blocking_kernel_manager_class

    runtime = tempfile.mkdtemp(prefix="jupyter-runtime-")
    config.add_cleanup(functools.partial(shutil.rmtree, runtime, ignore_errors=True))
    env = pytest.MonkeyPatch()
    env.setenv("JUPYTER_RUNTIME_DIR", runtime)
    config.add_cleanup(env.undo)
    assert hasattr(nbval.kernel, "KernelManager"), "nbval no longer starts kernels this way"
    nbval.kernel.KernelManager = blocking_kernel_manager_class()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep each notebook's cells together and in order, the tests marked ``batch`` first;
    everything else stays shuffled.

    pytest-randomly shuffles the tests (the order printed as ``Using --randomly-seed=N``; run
    with ``-p no:randomly`` for file order). An nbval notebook, however, is one kernel session
    run top to bottom: its cells go where its first cell landed, in their own order.
    """
    # The longest tests first (every city's notebooks and many report runs, then the
    # browser's, then files by how many notebooks they run), so that under pytest-xdist the
    # run ends with short files on both workers instead of a long one on one of them.
    kernels = Counter(item.path for item in items
                      if item.get_closest_marker("notebook") or getattr(item, "cell_num", 1) == 0)
    items.sort(key=lambda item: (item.get_closest_marker("batch") is None,
                                 item.get_closest_marker("browser") is None,
                                 -kernels[item.path]))
    cells: dict[pytest.Collector, list[pytest.Item]] = {}
    for item in items:
        if hasattr(item, "cell_num") and item.parent is not None:
            cells.setdefault(item.parent, []).append(item)
    if not cells:
        return
    ordered: list[pytest.Item] = []
    for item in items:
        if not hasattr(item, "cell_num") or item.parent not in cells:
            ordered.append(item)
        elif cells[item.parent]:  # its notebook's first cell here: all of them, in order
            ordered.extend(sorted(cells[item.parent], key=lambda cell: cell.cell_num))
            cells[item.parent] = []
    items[:] = ordered
