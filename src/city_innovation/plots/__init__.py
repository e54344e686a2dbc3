"""The figures of the notebooks, seaborn-style: a theme and one module per notebook.

Every figure function takes tidy DataFrames, draws one figure and returns its
:class:`matplotlib.figure.Figure` (or the :class:`~city_innovation.data.Absent` sentence when
there is nothing to draw), so notebooks, tests and reports use the same code. Colours come from
the Okabe-Ito palette (colour-blind safe); the profiled city is highlighted against the survey.
Figure functions take ``city=``, ``note=`` and ``highlight=`` as keywords.

Modules: :mod:`.theme` (``use_theme``, ``add_note``, ``save``), ``_base``
(drawing helpers the figure modules share), and per notebook :mod:`.profile` (01),
:mod:`.funding` (02), :mod:`.themes` (03), :mod:`.peers` (04), :mod:`.targets` (05) and
:mod:`.across_rounds` (06). The names below, and the colours of
:mod:`city_innovation.present.palette`, are re-exported so that notebooks call ``plots.<name>``.
"""

from __future__ import annotations

from ..present.palette import CONTEXT, HIGHLIGHT, OKABE_ITO_NAMES, PALETTE
from .across_rounds import across_chart, change_matrix
from .funding import (
    LEVEL_COLOURS,
    STATUS_MARKERS,
    dedicated_funding_bars,
    funded_activity_bars,
    funding_levels_dots,
    instrument_heatmap,
)
from .peers import (
    COVERAGE_COLOURS,
    coverage_chart,
    option_matrix_chart,
    roles_chart,
    share_pairs_chart,
    similarity_chart,
    staff_chart,
)
from .profile import activities_chart, availability_chart, role_shares_chart, strategy_chart
from .targets import (
    SERIES_COLOURS,
    emissions_and_years,
    peer_lines,
    region_distribution,
    target_progress,
    top_regions,
)
from .theme import add_note, save, use_theme
from .themes import (
    FOCUS_COLOURS,
    FOCUS_LABELS,
    GRADE_FILL,
    GRADE_MEANING,
    GRADE_TEXT,
    INFERRED_COLOUR,
    LINK_COLOURS,
    LINK_LABELS,
    METHOD_LABELS,
    crosswalk_matrix,
    focus_matrix,
    lineage_flow,
    period_timeline,
    row_label,
    sector_grid,
    similarity_heatmaps,
)

__all__ = [
    "CONTEXT", "COVERAGE_COLOURS", "FOCUS_COLOURS", "FOCUS_LABELS", "GRADE_FILL",
    "GRADE_MEANING", "GRADE_TEXT", "HIGHLIGHT", "INFERRED_COLOUR", "LEVEL_COLOURS",
    "LINK_COLOURS", "LINK_LABELS", "METHOD_LABELS", "OKABE_ITO_NAMES", "PALETTE",
    "SERIES_COLOURS", "STATUS_MARKERS",
    "across_chart", "activities_chart", "add_note", "availability_chart", "change_matrix",
    "coverage_chart", "crosswalk_matrix", "dedicated_funding_bars", "emissions_and_years",
    "focus_matrix", "funded_activity_bars", "funding_levels_dots", "instrument_heatmap",
    "lineage_flow", "option_matrix_chart", "peer_lines", "period_timeline",
    "region_distribution", "role_shares_chart", "roles_chart", "row_label", "save",
    "sector_grid", "share_pairs_chart", "similarity_chart", "similarity_heatmaps",
    "staff_chart", "strategy_chart", "target_progress", "top_regions", "use_theme",
]
