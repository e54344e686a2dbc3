"""Real published profile pages (../shared/profiles): every field their expected files give.

Print the share of expected fields read right with::

    .venv/bin/python tests/test_shared_profiles.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import pytest
import yaml

from city_innovation import paths
from city_innovation.ingest.profile_page import ParseResult, parse_file
from city_innovation.store.models import Profile
from city_innovation.survey import options

SHARED = paths.REPO_ROOT.parent / "shared" / "profiles"
REQUIRE = "CITY_INNOVATION_REQUIRE_SEEDS"
TEXTS = sorted(SHARED.glob("*.txt")) if SHARED.is_dir() else []

#: The parser's section keys -> the names the expected files use for the last section reached.
SECTION_NAMES = {"policy_areas": "policy", "activities": "acts", "funding": "fund",
                 "funding_sources": "fund", "funded_activities": "fund",
                 "partnerships": "partners"}


def missing_shared(message: str) -> NoReturn:
    """Skip a test whose input in ../shared is absent (a failure where REQUIRE is set, in CI)."""
    if os.environ.get(REQUIRE) == "1":
        pytest.fail(f"{message}; {REQUIRE}=1 requires it")
    pytest.skip(message)


def shared_texts() -> list[Path]:
    """The shared texts; skipped with a message where absent (a failure in CI)."""
    if not TEXTS:
        missing_shared("the real profile pages are not available (looked for "
                       "../shared/profiles/*.txt next to the repository)")
    return TEXTS


def observed(result: ParseResult) -> dict[str, Any]:
    """The parsed profile in the expected files' terms (see ../shared/profiles/README.md)."""
    p: Profile = result.profile
    explicit = next((s for s in p.strategy if s.question == "explicit innovation strategy"),
                    None)
    approach = next((s for s in p.strategy if s.question == "approach to innovation capacity"),
                    None)
    pop = p.population
    return {
        "format": result.rendering,
        "city": p.city,
        "country": p.country,
        "leader": {"title": p.mayor.title if p.mayor else None,
                   "name": p.mayor.name if p.mayor else None},
        "population": {"value": pop.value if pop else None, "year": pop.year if pop else None,
                       "printed": pop.printed if pop else None},
        "innovation_officers": p.innovation_officers.names if p.innovation_officers else None,
        "helps_to": p.helps_to.items if p.helps_to else None,
        "success_factors": p.success_factors.items if p.success_factors else None,
        "strategy": {"answer": explicit.answer if explicit else None,
                     "pct": (explicit.survey_share.value
                             if explicit and explicit.survey_share else None)},
        "approach": {"answer": options.approach(approach.answer) if approach else None,
                     "wording": (approach.survey_share.wording
                                 if approach and approach.survey_share else None)},
        "policy_areas": {"status": p.policy_areas_status
                         or ("listed" if p.policy_areas else "absent"),
                         "items": [a.name for a in p.policy_areas]},
        "roles": {"stated": p.roles.stated_count if p.roles else None,
                  "listed": p.roles.listed if p.roles else None},
        "team_staff": p.teams.staff if p.teams else None,
        "terms": p.innovation_terms.items if p.innovation_terms else None,
        "activities_own": [a.name for a in p.activities.common] if p.activities else None,
        "activities_numbered": bool(p.activities and p.activities.ranking),
        "dedicated_funding": (None if p.dedicated_funding is None else
                              "yes" if p.dedicated_funding.has_dedicated_funding else "no"),
        "truncated_after": SECTION_NAMES.get(result.last_section or "", result.last_section),
    }


def leaves(value: Any, prefix: str = "") -> dict[str, Any]:
    """A nested mapping as {"a.b": value}; lists are one leaf."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            out.update(leaves(v, f"{prefix}{k}."))
        return out
    return {prefix.rstrip("."): value}


def compare(expected: dict[str, Any], got: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Every field the expected file gives (not its file name and notes) that differs:
    field -> (expected, read)."""
    want = leaves({k: v for k, v in expected.items() if k not in ("file", "notes")})
    have = leaves(got)
    return {k: (v, have.get(k, "<not read>")) for k, v in want.items() if have.get(k) != v}


def expected_of(text: Path) -> dict[str, Any]:
    return yaml.safe_load((SHARED / "expected" / f"{text.stem}.yaml").read_text("utf-8"))


@pytest.mark.parametrize("name", [t.name for t in TEXTS] or ["(none)"])
def test_shared_profile_fields(name):
    text = next((t for t in shared_texts() if t.name == name), None)
    assert text is not None
    wrong = compare(expected_of(text), observed(parse_file(text)))
    assert wrong == {}


def test_compare_reports_each_differing_field():
    expected = {"file": "x.txt", "city": "Ava", "leader": {"title": None, "name": "Bo"},
                "terms": ["A", "B"], "notes": "ignored"}
    got = {"city": "Ava", "leader": {"title": "Mayor", "name": "Bo"}, "terms": ["A"]}
    assert compare(expected, got) == {"leader.title": (None, "Mayor"),
                                      "terms": (["A", "B"], ["A"])}


def share_right() -> tuple[int, int, list[str]]:
    """Fields read right, fields expected, and the wrong ones (file: field)."""
    right = total = 0
    wrong: list[str] = []
    for text in TEXTS:
        expected = expected_of(text)
        n = len(leaves({k: v for k, v in expected.items() if k not in ("file", "notes")}))
        try:
            bad = compare(expected, observed(parse_file(text)))
        except Exception as exc:  # noqa: BLE001 - a refused text counts as all fields wrong
            bad = {"(refused)": (None, str(exc))}
            n_bad = n
        else:
            n_bad = len(bad)
        total += n
        right += n - n_bad
        wrong += [f"{text.name}: {k}: expected {v[0]!r}, read {v[1]!r}" for k, v in bad.items()]
    return right, total, wrong


if __name__ == "__main__":
    ok, of, errors = share_right()
    print("\n".join(errors))
    print(f"{ok} of {of} expected fields read right ({ok / max(of, 1):.1%}) "
          f"on {len(TEXTS)} texts")
    sys.exit(0 if ok == of else 1)
