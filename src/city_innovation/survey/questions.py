"""The survey's question and item keys: the strings that select rows of ``benchmarks.csv``.

A mistyped key selects no row and gives an empty table rather than an error, so every module
names a question or item through these constants; ``tests/test_options.py`` checks that each one
is in ``data/survey/benchmarks.csv``.
"""

from __future__ import annotations

#: The component of the rows about the survey itself, and its question counting respondents.
SURVEY_COMPONENT = "survey"
RESPONDENTS = "respondents"

#: Strategy: whether a city has a formal (explicit) innovation strategy, and its approach.
STRATEGY = "formal innovation strategy (Q1.1)"
APPROACH = "approach to innovation capacity"
#: Items of the strategy questions.
HAS_EXPLICIT_STRATEGY = "has an explicit innovation strategy"
HOLISTIC_ONLY = "holistic/macro level only"
SPECIFIC_ONLY = "specific policy areas/domains only"
HOLISTIC_AND_SPECIFIC = "both holistic/macro level and specific policy areas"

#: The innovation roles cities fill, and data availability by policy area.
ROLES = "innovation roles filled"
AVAILABILITY = "data availability by policy area"

#: Question prefixes: cities having dedicated (or specific) innovation funding, and where the
#: funding comes from.
DEDICATED_PREFIXES = ("dedicated funding", "specific funding")
ORIGIN_PREFIXES = ("origin of funding",)

#: Every question key above, for the check against ``benchmarks.csv``.
QUESTIONS = (RESPONDENTS, STRATEGY, APPROACH, ROLES, AVAILABILITY)
#: Every question prefix above.
PREFIXES = (*DEDICATED_PREFIXES, *ORIGIN_PREFIXES)
#: Every (question, item) pair above.
ITEMS = ((STRATEGY, HAS_EXPLICIT_STRATEGY), (APPROACH, HOLISTIC_ONLY), (APPROACH, SPECIFIC_ONLY),
         (APPROACH, HOLISTIC_AND_SPECIFIC))
