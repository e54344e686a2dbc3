"""The plotting theme in a notebook kernel: every figure is shown, and drawn once, not twice."""

from __future__ import annotations

import nbformat
import pytest
from helpers import KERNEL, images_of, stdout_of
from nbclient import NotebookClient

from city_innovation.report.execute import kernel_manager_class

#: Counts the draws of every figure made after it runs, then makes one figure.
COUNT_DRAWS = """\
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

draws = []
_draw = Figure.draw
Figure.draw = lambda self, renderer: (draws.append(1), _draw(self, renderer))[1]
fig, ax = plt.subplots()
ax.plot([0, 1], [0, 1])"""

REPORT = ("hooks = [getattr(f, '__name__', '') for f in get_ipython().events.callbacks["
          "'post_execute']]\nprint(len(draws), '_draw_all_if_interactive' in hooks)")


def draws_in_kernel(setup: str) -> tuple[int, int, bool]:
    """Run ``setup``, make one figure, and return: the images shown, the figure's draws, and
    whether pyplot's after-each-cell redraw is connected."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in (
        setup, COUNT_DRAWS, REPORT)])
    NotebookClient(nb, kernel_name=KERNEL, timeout=120,
                   kernel_manager_class=kernel_manager_class()).execute()
    draws, hooked = stdout_of(nb).split()
    return images_of(nb), int(draws), hooked == "True"


@pytest.mark.notebook
def test_the_theme_shows_each_figure_drawing_it_once():
    plain = draws_in_kernel("import matplotlib")
    themed = draws_in_kernel("from city_innovation import plots\nplots.use_theme()")
    assert plain[0] == themed[0] == 1  # the figure is shown either way
    assert plain[2] and not themed[2]
    assert themed[1] == plain[1] - 1  # pyplot's redraw before the inline backend's is gone
