"""Drawing helpers shared by the figure modules: wrapped labels, legend entries and placement,
the "no figures" panel and the highlighted city's tick labels.

A private module of :mod:`city_innovation.plots`; its names are public so that every figure
module can use them.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from .theme import add_note

#: Text colours: labels of the city's own items, and of everything else.
INK = "#222222"
MUTED = "#6B6B6B"


def wrap(text: object, width: int = 36) -> str:
    """``text`` in lines of at most ``width`` characters, never broken at a hyphen."""
    return textwrap.fill(str(text), width, break_on_hyphens=False)


def wrap_words(text: object, width: int) -> str:
    """``text`` in lines of about ``width`` characters, never breaking a word (theme names)."""
    return "\n".join(textwrap.wrap(str(text), width, break_long_words=False)) or str(text)


def dot(colour: str, label: str, hollow: bool = False, marker: str = "o") -> Line2D:
    """A legend entry: one marker, filled or hollow."""
    return Line2D([], [], marker=marker, linestyle="", markersize=8, label=label,
                  markerfacecolor="white" if hollow else colour, markeredgecolor=colour)


def legend_below(fig: Figure, ax: Axes, handles: list, note: str | None,
                 below: float = 4.6) -> Figure:
    """Legend under ``ax`` (``below`` font sizes under its bottom edge), then the note."""
    # An axes legend, not fig.legend(loc="outside ..."): the latter moves onto the note when
    # the figure is saved with bbox_inches="tight".
    if handles:
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0),
                  ncols=len(handles), frameon=False, fontsize=9, borderaxespad=below)
    if note:
        add_note(fig, note)
    return fig


def legend_above(fig: Figure, ax: Axes, handles: list, note: str | None) -> Figure:
    """Legend above the axes on the right (clear of rotated tick labels), then the note."""
    if handles:
        ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1, 1.0),
                  ncols=len(handles), frameon=False, fontsize=9, borderaxespad=0.2)
    if note:
        add_note(fig, note)
    return fig


def no_figures(ax: Axes, text: str) -> None:
    """Say in an empty panel that there is nothing to draw in it."""
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color=MUTED)
    ax.set_yticks([])


def mark_city(labels: Iterable[Text], city: str, highlight: str) -> None:
    """The chosen city's tick label in bold, in the highlight colour."""
    for label in labels:
        if label.get_text() == city:
            label.set_color(highlight)
            label.set_fontweight("bold")
