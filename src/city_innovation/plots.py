"""One seaborn theme and the figure functions of the notebooks.

Every figure function takes tidy DataFrames, draws one figure, and returns its
:class:`matplotlib.figure.Figure`, so notebooks, tests and reports use the same code. Colours come
from the Okabe-Ito palette (colour-blind safe); the profiled city is highlighted against the survey.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib.figure import Figure

from .errors import ParameterError

#: Okabe-Ito colours, in order; the first is the default highlight.
PALETTE = ["#D55E00", "#0072B2", "#009E73", "#E69F00", "#56B4E9", "#CC79A7", "#F0E442",
           "#000000"]
HIGHLIGHT = PALETTE[0]
CONTEXT = "#9A9A9A"  # grey for the survey / context the city is compared with


def use_theme() -> None:
    """Set the project's plotting theme (idempotent) and silence known third-party noise."""
    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE, font_scale=1.0)
    plt.rcParams.update({
        "figure.dpi": 100,
        "savefig.dpi": 150,
        "savefig.bbox": "tight",
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "figure.autolayout": False,
        "svg.hashsalt": "city-innovation",
    })
    # seaborn 0.13.2 passes `vert` to matplotlib box plots (deprecated in matplotlib 3.10+).
    warnings.filterwarnings("ignore", message=r".*vert: bool.*", category=PendingDeprecationWarning)
    warnings.filterwarnings("ignore", message=r".*vert.*deprecated.*")


def add_note(fig: Figure, text: str) -> None:
    """Write a source or data-quality note under a figure, wrapped to its width."""
    fig.text(0.01, -0.02, text, ha="left", va="top", fontsize=8.5, color="#444444", wrap=True)


def save(fig: Figure, output_dir: str | Path | None, name: str) -> Path | None:
    """Save ``fig`` as ``<output_dir>/<name>.png`` when an output folder is given."""
    if output_dir is None:
        return None
    folder = Path(output_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ParameterError(f"parameter output_dir: cannot create {folder} ({exc.strerror})") \
            from None
    path = folder / f"{name}.png"
    tmp = path.with_suffix(".png.tmp")
    fig.savefig(tmp, format="png")
    tmp.replace(path)
    return path
