"""Notebook 05 runs with other parameters on invented data and refuses bad ones up front."""

from __future__ import annotations

import pytest
from helpers import NOTEBOOKS, assert_clean, outputs_of, stdout_of

from city_innovation import cli, paths
from city_innovation.errors import ParameterError
from city_innovation.params import NOTEBOOK_PARAMS, TargetsParams
from city_innovation.report import plan

NB = "05_targets_2030.ipynb"

def test_the_targets_notebook_is_discovered():
    assert NOTEBOOK_PARAMS["05"] is TargetsParams
    assert "05" in plan.discover(NOTEBOOKS)


@pytest.mark.notebook
def test_invented_region_with_a_short_series(run_notebook, fixture_data, tmp_path):
    out = tmp_path / "figures"
    nb = run_notebook(NB, data_dir=fixture_data, region="Test Region", city="Testville",
                      peer_regions=["ZZ05", "ZZ03"], output_dir=str(out))
    # two targets, no climate figure (nothing to draw), distribution, top ten, peers
    assert_clean(nb, figures=5)
    assert sorted(p.name for p in out.iterdir()) == [
        "05_europe_distribution.png", "05_europe_peers.png", "05_europe_top10.png",
        "05_target_employment-rate.png", "05_target_rd-intensity.png"]
    text = stdout_of(nb)
    assert "Region Test Region; peer regions ZZ05, ZZ03; European comparison of gerd_pc_gdp" \
        in text
    # 1.8 (2016), no 2017, 2.0 (2018), 2.1 (2019): +0.1 a year; 2.1 + 0.1 * 6 = 2.7 in 2025;
    # (3 - 2.1) / 6 = 0.15 a year needed.
    assert ("R&D expenditure (GERD), all sectors, ZZ01: at the 2016-2019 pace (+0.1 percentage "
            "points a year over 3 years) it would be 2.7% in 2025, against the 3% target for "
            "2025; reaching it needs +0.15 percentage points a year from 2019.") in text
    assert ("employment rate, Test Region: 71.5% in 2019, the only observation in ten years, "
            "so no observed pace; against the 75% target for 2025, reaching it needs +0.583 "
            "percentage points a year from 2019.") in text
    assert "data/ holds no emissions series for Test Region or an area in it: no figure is " \
           "drawn; the neutrality years are in the table above." in text
    assert ("R&D expenditure (GERD), all sectors (% of GDP), 2019: Test Region (ZZ01) ranks 3 "
            "of 5 NUTS 2 regions with a value") in text
    assert "0 of 0 data-quality flags of Test Region touch the targets and their series." in text
    peers = "".join("".join(o["data"]["text/plain"]) for o in outputs_of(nb, "execute_result"))
    assert "ZZ05 (name not in the NUTS list)" in peers and "Testland South (ZZ03)" in peers


def test_default_peers_come_from_the_region_file(fixture_data, monkeypatch):
    monkeypatch.setenv(paths.ENV_VAR, str(fixture_data))
    assert TargetsParams.parse(region="Test Region", city="Testville").peer_regions == [
        "ZZ02", "ZZ04"]


@pytest.mark.parametrize(("parameters", "message"), [
    ({"peer_regions": ["SE11", "XX99"]}, "parameter peer_regions: unknown NUTS code(s) ['XX99']"),
    ({"peer_regions": ["FI1B"]}, "parameter peer_regions: ['FI1B'] repeats a code or names the "
                                 "region itself (FI1B)"),
    ({"indicator": "gdp"}, "parameter indicator: 'gdp' is not a Eurostat series"),
])
def test_bad_parameters_refused_with_their_name(parameters, message):
    """(In the notebook, the validation cell raises this: test_notebook_contract.py.)"""
    with pytest.raises(ParameterError) as err:
        TargetsParams.parse(**parameters)
    assert message in str(err.value)


def test_unknown_nuts_code_is_refused_before_any_kernel(no_kernels, capfd):
    tmp_path = no_kernels
    rc = cli.main(["report", "--notebooks", "05", "--out", "reports", "--quiet",
                   "-p", "peer_regions", "[SE11, XX99]"])
    out, err = capfd.readouterr()
    assert rc == 2 and out == ""
    assert err == ("error: notebook 05_targets_2030.ipynb: parameter peer_regions: unknown NUTS "
                   "code(s) ['XX99'] (allowed: NUTS 2 codes of data/indicators/ such as AL01, "
                   "AL02, AL03, AT11 ...)\n")
    assert not (tmp_path / "reports").exists()
