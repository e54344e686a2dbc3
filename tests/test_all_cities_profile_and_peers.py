"""Every city's run of notebooks 01 and 04 (the other notebooks: the file beside this one),
planned as ``report --city all`` plans it: every city in data/ gets both, with clean outputs,
and notebook 04's peers, sentences and headlines follow each city's data."""

from __future__ import annotations

import pytest
from city_reports import Executed, execute_plans, findings_of, plan_every_city

from city_innovation import data
from city_innovation.analysis import peers


def check_peer_sentences(city: str, run: dict[str, Executed]) -> None:
    """Notebook 04's peers, sentences and headlines follow the data of ``city``."""
    chosen = peers.peer_cities(city)
    profiles = peers.load([city, *chosen])
    nb = run["04_peer_cities"].nb
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", [])
                   if o.output_type == "stream")
    assert peers.peer_rule(city, chosen) in text
    staff = peers.team_staff(profiles)
    one = staff[staff["staff"].notna()]
    if len(one) > 1:  # the smallest and the largest team, with their cities
        lo, hi = one.loc[one["staff"].idxmin()], one.loc[one["staff"].idxmax()]
        assert f"({lo['city']}) to " in text and f"{int(hi['staff'])} ({hi['city']})" in text
    findings = findings_of(run)["04_peer_cities"]
    assert findings["Peer cities compared"] == len(chosen) == min(peers.DEFAULT_PEERS, 14)
    alike = peers.most_alike(peers.similarity(profiles), city)
    if not alike.empty:
        assert findings["Most alike peer"] == alike["city"].iloc[0]
        assert findings["headlines"][-1].startswith(
            f"{alike['city'].iloc[0]} is the peer most alike {city}: they share")


@pytest.mark.notebook
@pytest.mark.batch
def test_every_city_gets_its_profile_and_its_peers(tmp_path):
    plans = plan_every_city("01,04")
    assert [run.name for run in plans] == data.available_cities()
    runs = execute_plans(plans, tmp_path)
    for run in plans:
        city = run.name
        assert [task.stem for task in run.tasks] == ["01_innovation_profile",
                                                     "04_peer_cities"], city
        assert run.skipped == (), city
        assert set(runs[run.slug]) == {"01_innovation_profile", "04_peer_cities"}, city
        assert findings_of(runs[run.slug])["01_innovation_profile"]["headlines"], city
        check_peer_sentences(city, runs[run.slug])
