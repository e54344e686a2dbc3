"""pytest settings for everything collected in the repository: tests/ and, under nbval, the
committed notebooks."""

from __future__ import annotations

from collections import Counter

import pytest


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
