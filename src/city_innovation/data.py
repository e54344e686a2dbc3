"""The facade notebooks call as ``data.*``: every public name of the data store, in one place.

Nothing is implemented here. The store lives in ``store/``: ``load`` (locate, read, cache and
validate one file), ``validate`` (every file and the checks across files), ``sources`` (the
bibliography), ``tidy_profile`` and ``tidy_region`` (models as tidy tables) and ``flags`` (the
flags table). Survey rounds come from ``survey.rounds`` and the "nothing to show" sentence from
``present.absent``. Package code imports from those modules; this module keeps the short
``data.load_profile(...)``, ``data.roles(p)`` ... of the notebooks working.
"""

from __future__ import annotations

from .paths import data_dir
from .present.absent import Absent, not_given, table_or
from .store.flags import flags_frame as flags
from .store.flags import reader_table as flag_table
from .store.load import (
    EU_TARGETS,
    EUROSTAT,
    NUTS_NAMES,
    PROFILE_VERSIONS,
    PROFILES,
    REGIONS,
    available_cities,
    available_regions,
    benchmarks,
    eurostat_values,
    has_indicators,
    load_profile,
    load_region,
    nuts_names,
    paired_region,
    profile_path,
    region_path,
    slug,
)
from .store.sources import SOURCES, cited_ids, load_sources
from .store.tidy_profile import (
    activities,
    data_availability,
    funded_activities,
    funding_sources,
    funding_uses,
    partnerships,
    policy_areas,
    roles,
    strategy,
    teams,
)
from .store.tidy_region import (
    facts,
    instruments,
    lineage,
    observations,
    peers,
    periods,
    smart_specialisation,
    strategy_periods,
    targets,
    themes,
)
from .store.validate import validate
from .survey.rounds import respondent_rows
from .survey.rounds import rows_for_round as benchmarks_for_round

__all__ = [
    "EUROSTAT", "EU_TARGETS", "NUTS_NAMES", "PROFILES",
    "PROFILE_VERSIONS", "REGIONS", "SOURCES", "Absent", "activities", "available_cities",
    "available_regions", "benchmarks", "benchmarks_for_round", "cited_ids", "data_availability",
    "data_dir", "eurostat_values", "facts", "flag_table", "flags", "funded_activities",
    "funding_sources", "funding_uses", "has_indicators", "instruments", "lineage",
    "load_profile", "load_region", "load_sources", "not_given", "nuts_names", "observations",
    "paired_region", "partnerships", "peers", "periods", "policy_areas", "profile_path",
    "region_path", "respondent_rows", "roles", "slug", "smart_specialisation", "strategy",
    "strategy_periods", "table_or", "targets", "teams", "themes", "validate",
]
