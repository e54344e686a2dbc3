"""The project's plotting theme and what every figure goes through: the note under it and saving.

``use_theme`` sets the seaborn theme and rcParams once per kernel; ``add_note`` writes a source or
data-quality note (worded by :func:`city_innovation.present.notes.figure_note`) under a figure;
``save`` writes a figure, or prints the sentence an :class:`~city_innovation.data.Absent` holds.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib.figure import Figure

from ..data import Absent
from ..errors import ParameterError
from ..present import reader
from ..present.palette import PALETTE


def use_theme() -> None:
    """Set the project's plotting theme (idempotent) and silence known third-party noise.

    In a notebook kernel it also registers the reader's form of tables (``reader.setup``) and
    draws each figure once (:func:`_draw_once_in_kernels`).
    """
    reader.setup()
    _draw_once_in_kernels()
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


def _draw_once_in_kernels() -> None:
    """Leave the drawing of a kernel's figures to the inline backend alone.

    After each cell pyplot's REPL hook draws every new figure, and the inline backend then
    renders it again as the PNG the notebook shows: the first draw is thrown away, and in these
    notebooks it is about a tenth of a kernel's work. Resolving the backend here installs both
    hooks (that is when matplotlib-inline connects itself); pyplot's is then disconnected with
    its public ``uninstall_repl_displayhook``. Every figure is still shown, drawn once. Nothing
    changes outside a Jupyter kernel.
    """
    if "ipykernel" not in sys.modules:
        return
    import matplotlib

    backend = matplotlib.get_backend()
    if backend.endswith("backend_inline"):
        plt.switch_backend(backend)  # connects matplotlib-inline, and pyplot's hook, now
        plt.uninstall_repl_displayhook()


def add_note(fig: Figure, text: str) -> None:
    """Write a source or data-quality note under a figure, wrapped to its width."""
    fig.text(0.01, -0.02, text, ha="left", va="top", fontsize=8.5, color="#444444", wrap=True)


def save(fig: Figure | Absent, output_dir: str | Path | None, name: str) -> Path | None:
    """Save ``fig`` as ``<output_dir>/<name>.png`` when an output folder is given.

    Where there was nothing to draw (an :class:`~.data.Absent` sentence), print the sentence.
    """
    if isinstance(fig, Absent):
        print(fig.text)
        return None
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
