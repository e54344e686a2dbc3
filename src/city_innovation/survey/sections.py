"""The survey's profile page template: its sections, headings, Profile fields and page order.

A city's published profile prints the same sections in the same order. Each heading names the
section it opens (a key), the :class:`~city_innovation.store.models.Profile` field that section
fills, the label a reader sees, and the pattern that recognises the printed heading (some carry
the city's name, one the number of roles). The profile page reader cuts pages at these headings;
the keys name sections in its flags and in the "last section reached" of a cut-off page.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Heading(NamedTuple):
    """A heading of the published profile: the section it opens and the field it fills."""

    key: str
    field: str
    label: str
    pattern: re.Pattern[str]


def _h(key: str, field: str, label: str, pattern: str) -> Heading:
    return Heading(key, field, label, re.compile(pattern, re.IGNORECASE))


_CITY = r"(?P<city>[^:]{1,80}?)"

HEADINGS: tuple[Heading, ...] = (
    _h("website", "innovation_website", "Innovation Website", r"innovation website:?"),
    _h("officers", "innovation_officers", "Lead Innovation Officers",
       r"lead innovation officers?:?"),
    _h("helps_to", "helps_to", "Innovation is helping to:", r"innovation is helping to:?"),
    _h("success_factors", "success_factors", "Critical success factors:",
       r"critical success factors:?"),
    _h("spotlight", "spotlight", "Spotlight on innovation in <city>",
       rf"spotlight on innovation in {_CITY}"),
    _h("vision", "strategy", "Vision and approach to innovation capacity",
       r"vision and approach to innovation capacity:?"),
    _h("policy_areas", "policy_areas", "Policy areas that <city> is focused on",
       rf"policy areas that {_CITY} (?:is|are) focused on:?"),
    _h("policy_chart", "policy_areas", "Policy areas by number of cities",
       r"policy areas by number of cities"),
    _h("roles", "roles", "<city> utilizes N different innovation skills or roles",
       rf"(?:{_CITY} utili[sz]es (?P<n>\d{{1,3}}) (?:different )?)?innovation skills? or roles?:?"),
    _h("roles_chart", "roles", "Innovation roles by number of cities",
       r"innovation roles by number of cities"),
    _h("terms", "innovation_terms", "Terms <city> most associates with innovation",
       rf"terms {_CITY} most associates with innovation:?"),
    _h("activities", "activities", "<city>'s most common innovation activities",
       rf"{_CITY}'s? most common innovation activities:?"),
    _h("funding", "dedicated_funding", "How is innovation funded here?",
       r"how is innovation funded here\??"),
    _h("funding_sources", "funding_sources", "Top sources of funding",
       r"top sources of funding:?"),
    _h("funded_activities", "funded_activities", "Activities being funded",
       r"activities being funded:?"),
    _h("measured", "partnerships", "How is innovation measured?",
       r"how is innovation measured\??"),
    _h("data_availability", "data_availability", "Data availability by policy area",
       r"data availability by policy areas?:?"),
)
MAX_HEADING = 160
"""Longest line that can be a heading (a longer one is prose)."""
BY_KEY = {h.key: h for h in HEADINGS}

#: Sections a page has, in the order the survey template prints them ("team" is the
#: paragraph on the innovation team after the roles, "partnerships" the partnership sentences).
ORDER: tuple[str, ...] = (
    "helps_to", "success_factors", "officers", "spotlight", "vision", "policy_areas", "roles",
    "team", "terms", "activities", "funding", "funding_sources", "funded_activities",
    "partnerships", "data_availability")
#: Section keys that are parts of another section in :data:`ORDER`.
PART_OF = {"website": "officers", "policy_chart": "policy_areas", "roles_chart": "roles",
           "measured": "partnerships"}


def field_of(key: str) -> str:
    """The Profile field a section fills (a section without a heading is named by its key)."""
    return BY_KEY[key].field if key in BY_KEY else key
