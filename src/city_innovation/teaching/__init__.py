"""Exercise notebooks: the checks students run, the expected answers, and the student versions.

:mod:`.checks` holds the ``check_*`` helpers of the ``check`` cells, :mod:`.answers` the expected
answers computed from ``data/``, and :mod:`.handout` the student versions that
``city-innovation teaching`` writes. This module re-exports what the teaching notebooks call
(``from city_innovation import teaching`` then ``teaching.check_equal(...)``,
``teaching.role_counts(p)``) and what the CLI calls, so those keep one short import.
"""

from __future__ import annotations

from .answers import (
    chartable_counts,
    count_percent_pairs,
    counted_pairs,
    flag_counts,
    flag_on,
    flagged_sections,
    highlighted_bars,
    jaccard_cases,
    jaccard_scores,
    link_agreement,
    method_summary,
    not_known_to_be_round_only,
    percent_rows_without_base,
    printed_funding_items,
    quoted_share_rounds,
    repeated_activity,
    respondents,
    role_counts,
    roles_table,
    share_in_cities,
    shared_years,
    shares_under_bases,
    themes_per_period,
    threshold_sensitivity,
    untraced_themes,
)
from .checks import check_equal, check_figure, check_function
from .handout import write_student_versions

__all__ = [
    "chartable_counts",
    "check_equal",
    "check_figure",
    "check_function",
    "count_percent_pairs",
    "counted_pairs",
    "flag_counts",
    "flag_on",
    "flagged_sections",
    "highlighted_bars",
    "jaccard_cases",
    "jaccard_scores",
    "link_agreement",
    "method_summary",
    "not_known_to_be_round_only",
    "percent_rows_without_base",
    "printed_funding_items",
    "quoted_share_rounds",
    "repeated_activity",
    "respondents",
    "role_counts",
    "roles_table",
    "share_in_cities",
    "shared_years",
    "shares_under_bases",
    "themes_per_period",
    "threshold_sensitivity",
    "untraced_themes",
    "write_student_versions",
]
