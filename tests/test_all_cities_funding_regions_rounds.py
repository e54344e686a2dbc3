"""Every city's run of notebooks 02, 03, 05 and 06 (01 and 04: the file beside this one), planned
as ``report --city all`` plans it: every European city gets the region notebooks with its own
region, the others a reason why not; notebook 06 runs for each city with two page versions or
more and is skipped, with its reason, for the others; all outputs are clean, and Vienna's follow
Wien's data."""

from __future__ import annotations

import pytest
from city_reports import (
    EUROPEAN,
    REGION_NOTEBOOKS,
    ROUNDS,
    execute_plans,
    findings_of,
    outputs,
    plan_every_city,
)

from city_innovation import data, paths
from city_innovation.report import plan
from city_innovation.store import versions

FUNDING = "02_funding_mix"


@pytest.mark.notebook
@pytest.mark.batch
def test_every_city_gets_its_region_notebooks_or_the_reason_why_not(tmp_path):
    cities = data.available_cities()
    profiles = sorted((paths.REPO_ROOT / "data" / data.PROFILES).glob("*.yaml"))
    assert len(cities) == len(profiles) and set(EUROPEAN) <= set(cities)
    assert {"03_specialisation_themes", "05_targets_2030"} == REGION_NOTEBOOKS
    assert {FUNDING, *REGION_NOTEBOOKS, ROUNDS} <= {p.stem for p in
                                                   plan.discover(paths.NOTEBOOKS_DIR).values()}
    multi = set(versions.cities_with_versions())
    assert multi <= set(cities) and {"Stockholm", "Denver, CO", "Curridabat"} <= multi
    plans = plan_every_city("02,03,05,06")
    assert [run.name for run in plans] == cities
    runs = execute_plans(plans, tmp_path)
    for run in plans:
        city = run.name
        ran = {task.stem for task in run.tasks}
        assert set(runs[run.slug]) == ran, city
        skipped = dict(run.skipped)
        assert FUNDING in ran, city
        if city in multi:
            assert ROUNDS in ran and ROUNDS not in skipped, city
        else:
            assert ROUNDS not in ran and "needs two page versions" in skipped.pop(ROUNDS)
        if city in EUROPEAN:
            assert skipped == {} and ran - {ROUNDS} == {FUNDING, *REGION_NOTEBOOKS}, city
            regions = {task.parameters.get("region") for task in run.tasks} - {None}
            assert regions == {EUROPEAN[city]}, city
        else:
            assert set(skipped) == REGION_NOTEBOOKS and ran.isdisjoint(REGION_NOTEBOOKS)
            assert all("needs a region" in why for why in skipped.values())
    # the funding notebook's glossary follows the region's data, not Helsinki-Uusimaa's
    vienna = runs["vienna"][FUNDING].nb
    shown = " ".join(outputs(vienna)) + " ".join(
        str(o.get("data", {}).get("text/markdown", "")) for c in vienna.cells
        for o in c.get("outputs", []))
    assert "Wien's strategy names no funding instrument in `data/`" in shown
    assert "6Aika" not in shown and "Helsinki-Uusimaa" not in shown
    findings = findings_of(runs["vienna"])
    assert findings["05_targets_2030"]["headlines"][0] == (
        "Wien, R&D expenditure (GERD), all sectors: 3.65% in 2019, 0.65 points above the "
        "European Union's 3% target for 2030. The target's record is flagged: contradictory "
        "(rd-target-year).")
    assert findings["03_specialisation_themes"]["Strategy periods"] == 1
