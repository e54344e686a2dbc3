"""The survey's answer options: one table for the parser and the analyses.

Labels as the survey site prints them on city profiles (the questionnaire's own wording could
not be read past its first questions). The parser uses them to recognise list items where a page
has no headings and to normalise wording; the analyses use them to match a city's labels with
survey-wide figures. An item outside these lists is kept as printed.
"""

from __future__ import annotations

import re

#: "Innovation is helping to": the survey's aims (2018 and 2020 labels).
AIMS: tuple[str, ...] = (
    "Anticipate and manage future challenges",
    "Improve internal government operations",
    "Improve service delivery",
    "Improve resident outcomes",
    "Save costs and improve efficiency within the public sector",
    "Simplify administrative procedures for firms and residents",
    "Generate new sources of revenue",
    "Engage residents and other stakeholders",
    "Help develop a vibrant economy",
    "Serve current obligations",
    "Service current obligations",
)

#: "Critical success factors" ("Leadership from <the city's leader>" is one option).
SUCCESS_FACTORS: tuple[str, ...] = (
    "Dedicated funding",
    "Dedicated innovation team",
    "Dedicated innovation staff position",
    "Leadership from Mayor",
    "Culture of innovation in city",
    "Support from outside city administration",
    "Engagement with partners",
    "Human resource support",
    "Focus on measurement",
)
LEADERSHIP = re.compile(r"leadership from (?:the )?[\w .'-]{2,40}", re.IGNORECASE)

#: The seven innovation activities (question 1.3), in the order every profile numbers them.
ACTIVITY_OPTIONS: tuple[str, ...] = (
    "Taking risks or testing new ideas",
    "Data-driven analytics/public data management",
    "Engaging residents in new ways",
    "Developing new solutions based on digital technologies",
    "Organizational change within the municipality",
    "Human-centered design",
    "Rethinking your city's approach to financing partnerships",
)

#: Approach to innovation capacity: the answer -> its label in data files.
APPROACHES: dict[str, str] = {
    "holistic": "holistic/macro level",
    "specific": "specific policy areas",
    "both": "both holistic/macro level and specific policy areas",
}

#: The five funding sources of the survey (keyed by their letters only) and their levels.
FUNDING_SOURCES: dict[str, tuple[str, str]] = {
    re.sub(r"[^a-z]", "", name.lower()): (name, level)
    for name, level in (
        ("International/multilateral institution budget", "international"),
        ("Central/federal/national government budget", "national"),
        ("Municipal budget", "municipal"),
        ("Non-financial resources", "non-financial"),
        ("Innovative financing tools", "innovative-financing"),
    )
}

#: Role labels (as a city profile or a survey summary words them) -> one role family.
#: Profiles say "Service designer" where survey summaries say "designer"; labels missing from
#: this table are never guessed: they are shown as unmatched.
ROLE_FAMILIES: dict[str, str] = {
    "project manager": "project management",
    "project managers": "project management",
    "project management": "project management",
    "communication officer": "communications",
    "communications officer": "communications",
    "communications": "communications",
    "community engagement staff": "community engagement",
    "community engagement": "community engagement",
    "data scientist": "data science",
    "data scientists": "data science",
    "service designer": "design",
    "designer": "design",
}

#: Policy-area labels of profiles -> the survey's data-availability item. The survey item
#: "social welfare and inclusion" joins two areas that profiles list separately, so both map to it.
AREA_ITEMS: dict[str, str] = {
    "transport": "transport",
    "transport and mobility": "transport",
    "policing and law enforcement": "policing and law enforcement",
    "land use": "land use/zoning",
    "land use/zoning": "land use/zoning",
    "housing": "housing",
    "social welfare/social services": "social welfare and inclusion",
    "social inclusion and equity": "social welfare and inclusion",
    "social welfare and inclusion": "social welfare and inclusion",
    "blight": "blight",
    "tourism": "tourism",
    "culture": "culture",
}

#: Policy areas seen on profiles (not the full option set).
POLICY_AREAS: tuple[str, ...] = (
    "Digital governance", "Digital services", "Economic Development",
    "Environment and climate change", "Social inclusion and equity",
    "Social welfare/social services", "Transport/Mobility", "Resilience", "Culture", "Security",
    "Resource efficiency", "Excellence in basic service delivery", "Ecosystem Development",
    "Waste", "Housing/homelessness", "Policing and law enforcement",
)


def key(label: str) -> str:
    """A label reduced to its letters and digits, case-folded (for matching)."""
    return re.sub(r"[^a-z0-9]", "", label.casefold())


_AIMS = {key(x): x for x in AIMS}
_FACTORS = {key(x): x for x in SUCCESS_FACTORS}
_ACTIVITIES = {key(x): x for x in ACTIVITY_OPTIONS}


def aim(label: str) -> str | None:
    """The survey's aim a label is, or None."""
    return _AIMS.get(key(label))


def success_factor(label: str) -> str | None:
    """The survey's success factor a label is (any "Leadership from ..."), or None."""
    found = _FACTORS.get(key(label))
    if found is None and LEADERSHIP.fullmatch(label.strip()):
        return label.strip()
    return found


def activity_option(label: str) -> str | None:
    """The numbered activity option a label is (as printed in that list), or None."""
    return _ACTIVITIES.get(key(label))


def approach(answer: str) -> str:
    """The kind of approach an answer states: holistic, specific, both or other."""
    text = answer.casefold()
    holistic = "holistic" in text or "macro" in text
    specific = "specific" in text or "policy area" in text or "domain" in text
    if holistic and specific:
        return "both"
    return "holistic" if holistic else "specific" if specific else "other"


_LABELS = {key(x) for x in (*AIMS, *SUCCESS_FACTORS, *ACTIVITY_OPTIONS, *POLICY_AREAS,
                           *(name for name, _ in FUNDING_SOURCES.values()))} | {
    key(x) for x in ROLE_FAMILIES}


def is_label(text: str) -> bool:
    """Whether a text is one of the survey's answer options (a complete item)."""
    return key(text) in _LABELS


# --- strategy answers and the survey items on them --------------------------------------------

#: Strategy question of a profile -> kind of answer -> (survey items that describe the answer,
#: survey items that may include it). Items are ``item`` values of ``survey/benchmarks.csv``
#: without a trailing parenthesis ("... (older profile wording)"). An item "may include" an
#: answer where its source does not say whether cities giving that answer are counted in it
#: (the 2018 "prioritises specific policy areas" may count cities working at both levels).
STRATEGY_ITEMS: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "explicit innovation strategy": {
        "yes": (("has an explicit innovation strategy", "has a formal innovation strategy"), ()),
        "no": (("does not have an explicit innovation strategy",
                "does not have a formal innovation strategy"), ()),
    },
    "approach to innovation capacity": {
        "holistic": (("holistic/macro level only",), ()),
        "specific": (("specific policy areas/domains only", "prioritises specific policy areas"),
                     ()),
        "both": (("both holistic/macro level and specific policy areas",),
                 ("prioritises specific policy areas",)),
    },
}


def item_key(item: str) -> str:
    """A survey item without a trailing parenthesis, case-folded ("X (older wording)" -> "x")."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", item).strip().casefold()


def answer_kind(question: str, answer: str) -> str:
    """The kind of a strategy answer: yes/no for the strategy question, else ``approach``."""
    if question == "explicit innovation strategy":
        text = answer.strip().casefold()
        return text if text in {"yes", "no"} else "other"
    return approach(answer)


def answer_relation(question: str, answer: str, item: str) -> str | None:
    """How a survey item relates to a city's answer: "describes", "may include" or None."""
    describes, may = STRATEGY_ITEMS.get(question, {}).get(answer_kind(question, answer),
                                                          ((), ()))
    k = item_key(item)
    return "describes" if k in describes else "may include" if k in may else None


def answer_has_items(question: str, answer: str) -> bool:
    """Whether the survey has any item describing (or possibly including) an answer."""
    describes, may = STRATEGY_ITEMS.get(question, {}).get(answer_kind(question, answer),
                                                          ((), ()))
    return bool(describes or may)
