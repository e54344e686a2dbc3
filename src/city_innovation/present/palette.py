"""The project's colours: the Okabe-Ito palette (colour-blind safe) and the names users may give.

Plain constants, no matplotlib: the figures draw with them, and :mod:`city_innovation.params`
checks a colour parameter against these names without importing the figures.
"""

from __future__ import annotations

#: Okabe-Ito colours, in order; the first is the default highlight.
PALETTE = ["#D55E00", "#0072B2", "#009E73", "#E69F00", "#56B4E9", "#CC79A7", "#F0E442",
           "#000000"]
HIGHLIGHT = PALETTE[0]
CONTEXT = "#9A9A9A"  # grey for the survey / context the city is compared with

#: Okabe-Ito colour names accepted as a highlight colour (only those that are not also
#: matplotlib names for a different colour).
OKABE_ITO_NAMES: dict[str, str] = {
    "vermillion": PALETTE[0],
    "bluish green": PALETTE[2],
    "sky blue": PALETTE[4],
    "reddish purple": PALETTE[5],
}
