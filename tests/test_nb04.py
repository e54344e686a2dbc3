"""Notebook 04 runs with other parameters on invented data and refuses bad ones up front."""

from __future__ import annotations

import pytest
from helpers import assert_clean, stdout_of

from city_innovation import cli
from city_innovation.errors import ParameterError
from city_innovation.params import NOTEBOOK_PARAMS, PeersParams
from city_innovation.report import plan

NB = "04_peer_cities.ipynb"

def test_a_city_level_notebook():
    assert NOTEBOOK_PARAMS["04"] is PeersParams
    assert "region" not in PeersParams.model_fields


@pytest.mark.notebook
def test_peers_given_one_without_the_compared_sections(run_notebook, fixture_data, tmp_path):
    out = tmp_path / "figures"
    nb = run_notebook(NB, data_dir=fixture_data, city="Testville",
                      peers=["Northby", "Southfield"], output_dir=str(out))
    assert_clean(nb, figures=7)
    assert sorted(p.name for p in out.iterdir()) == [
        "peers_aims.png", "peers_coverage.png", "peers_roles.png", "peers_similarity.png",
        "peers_strategy.png", "peers_success_factors.png", "peers_team_staff.png"]
    text = stdout_of(nb)
    assert "Testville beside every other city with a profile (2): Northby; Southfield." in text
    # Northby and Southfield both chose resident outcomes (2 of 2); Testville's one aim
    # (service delivery) is Northby's only: not more than half of the 2 peers
    assert ("Named by most peers: Improve resident outcomes (2 of 2 peers, 100%). Of "
            "Testville's 1 aim, 0 are named by more than half of the peers.") in text
    # Testville's two factors are both Northby's, the only peer answering
    assert ("Of Testville's 2 success factors, 2 are named by more than half of the peers "
            "(Dedicated funding; Leadership from the city's leader).") in text
    # Northby states more roles than it lists; its 6 staff for 300,000 inhabitants: 2 per 100,000
    assert "1 states more than it lists (Northby)" in text
    assert "Team staff: only Northby gives one figure (6). Per 100,000 inhabitants: 2 (Northby)." \
        in text
    # 3 shared of 5 chosen by either (Southfield lacks success factors and is left out)
    assert "Northby is most alike Testville (Jaccard 0.60): 3 shared option(s) of 5" in text


@pytest.mark.notebook
def test_a_single_peer_lacking_the_compared_sections(run_notebook, fixture_data):
    nb = run_notebook(NB, data_dir=fixture_data, city="Testville", peers=["Southfield"])
    # no similarity figure: Southfield gives no success factors
    assert_clean(nb, figures=6)
    text = stdout_of(nb)
    assert "Testville beside the 1 peer(s) named in the parameters: Southfield." in text
    assert "No peer gives its success factors." in text
    assert "Only Testville names: Improve service delivery." in text
    assert "No peer answers both lists as Testville does: no similarity to draw." in text
    assert "No city shown gives its team's staff as one figure." in text
    assert "0 of 1 peers (0%) have an explicit innovation strategy" in text


def test_unknown_peer_refused_with_what_is_allowed():
    """(In the notebook, the validation cell raises this: test_notebook_contract.py.)"""
    with pytest.raises(ParameterError) as err:
        PeersParams.parse(peers=["Atlantis"])
    assert "parameter peers: no profile for 'Atlantis' (allowed: 'Alexandria'" in str(err.value)


def test_unknown_peer_is_refused_before_any_kernel(no_kernels, capfd):
    tmp_path = no_kernels
    rc = cli.main(["report", "--notebooks", "04", "--out", "reports", "--quiet",
                   "-p", "peers", "[Stockholm, Atlantis]"])
    out, err = capfd.readouterr()
    assert rc == 2 and out == ""
    assert err.startswith("error: notebook 04_peer_cities.ipynb: parameter peers: no profile "
                          "for 'Atlantis' (allowed: 'Alexandria', ")
    assert err.count("\n") == 1
    assert not (tmp_path / "reports").exists()


def test_city_all_expands_to_every_profile(fixture_data, monkeypatch):
    monkeypatch.setenv("CITY_INNOVATION_DATA", str(fixture_data))
    sets = plan.parameter_sets(["all"], None)
    assert [s["city"] for s in sets] == ["Northby", "Southfield", "Testville"]
    assert [s["city"] for s in plan.parameter_sets(["Testville", "ALL"], None)] == [
        "Testville", "Northby", "Southfield"]
