"""`city-innovation report`: parameters, batches, HTML, failures, and what is never written.

Runs use the stand-in notebooks of tests/fixtures/notebooks (same parameters as the real ones,
one tiny figure each, findings recorded); 02 fails on purpose for survey_round "2018".
"""

from __future__ import annotations

import json
import shutil
from concurrent.futures import Executor, Future
from pathlib import Path

import nbformat
import numpy as np
import pytest
import yaml

from city_innovation import paths, report
from city_innovation.cli import main
from city_innovation.errors import ParameterError, ReportError
from city_innovation.report import batch, execute, plan, pool, site
from city_innovation.report.model import FINDINGS_ENV, NotebookOutcome, RunResult

STUBS = Path(__file__).parent / "fixtures" / "notebooks"
FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"
#: Extra cities added to a copy of the fixture data: names that are hard on paths and HTML.
ODD_CITIES = {"othertown": "Othertown", "x": "../../x",
              "script": "<script>alert(1)</script>", "unicode": "Ünïcode City"}


@pytest.fixture(scope="module")
def report_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture data (Testville, Test Region) plus the cities of ODD_CITIES."""
    root = tmp_path_factory.mktemp("report-data") / "data"
    shutil.copytree(FIXTURE_DATA, root)
    text = (root / "profiles" / "testville.yaml").read_text(encoding="utf-8")
    for stem, name in ODD_CITIES.items():
        (root / "profiles" / f"{stem}.yaml").write_text(
            text.replace("city: Testville", f"city: {json.dumps(name)}", 1), encoding="utf-8")
    return root


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]):
    """Run `city-innovation report` on the stand-ins into tmp_path/reports: (rc, out, err)."""
    monkeypatch.chdir(tmp_path)

    def run(*args: str, data: Path | None = None) -> tuple[int, str, str]:
        if data is not None:
            monkeypatch.setenv(paths.ENV_VAR, str(data))
        rc = main(["report", "--notebooks-dir", str(STUBS), "--out", "reports", "--quiet",
                   *args])
        out, err = capfd.readouterr()
        return rc, out, err

    return run


def _run_record(folder: Path) -> dict:
    return json.loads((folder / "run.json").read_text(encoding="utf-8"))


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.rglob(".*"))


# --- findings -----------------------------------------------------------------------------------


def test_record_findings_writes_json_for_the_runner(tmp_path, monkeypatch):
    target = tmp_path / "findings.json"
    monkeypatch.setenv(FINDINGS_ENV, str(target))
    assert report.record_findings({"roles_listed": np.int64(7), "levels": ["a", "b"],
                                   "share": 0.5, "flagged": True, "note": None}) is None
    assert json.loads(target.read_text(encoding="utf-8")) == {
        "roles_listed": 7, "levels": ["a", "b"], "share": 0.5, "flagged": True, "note": None}


def test_record_findings_is_a_no_op_without_the_runner(tmp_path, monkeypatch):
    monkeypatch.delenv(FINDINGS_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert report.record_findings({"roles_listed": 7}) is None
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("findings", "message"), [
    ({"table": {"a": 1}}, "findings: table: a dict is not allowed (allowed: str, int, float"),
    ({"share": float("nan")}, "findings: share: nan is not allowed (allowed: a finite number)"),
    ({1: "x"}, "findings: key 1 is not allowed (allowed: a non-empty string)"),
])
def test_record_findings_refuses_what_json_cannot_hold(monkeypatch, findings, message):
    monkeypatch.delenv(FINDINGS_ENV, raising=False)
    with pytest.raises(ParameterError, match=message.replace("(", r"\(").replace(")", r"\)")):
        report.record_findings(findings)


def test_kernel_noise_is_filtered_and_the_rest_kept():
    log = ("[IPKernelApp] WARNING | Kernel is running over TCP without encryption. All ...\n"
           "[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel.\n\n"
           "Fatal Python error: Segmentation fault\n")
    assert execute.kernel_log(log) == "Fatal Python error: Segmentation fault"


# --- notebooks, parameters and run names (no kernel) ----------------------------------------


def test_notebooks_are_found_by_number():
    assert list(plan.discover(STUBS)) == ["01", "02", "03"]
    assert [p.name for p in plan.select_notebooks(STUBS, ["3", "01"]).values()] == [
        "01_stub.ipynb", "03_stub.ipynb"]


def test_two_notebooks_with_one_number_are_refused(tmp_path):
    for name in ("01_a.ipynb", "01_b.ipynb"):
        shutil.copy(STUBS / "01_stub.ipynb", tmp_path / name)
    with pytest.raises(ReportError, match="01_a.ipynb and 01_b.ipynb have the same number"):
        plan.discover(tmp_path)


@pytest.mark.parametrize(("name", "slug"), [
    ("Helsinki", "helsinki"), ("../../x", "x"), ("Ünïcode City", "unicode-city"),
    ("<script>alert(1)</script>", "script-alert-1-script"), ("/etc/passwd", "etc-passwd"),
])
def test_run_folders_are_slugs(name, slug):
    assert plan.run_slug(name) == slug


@pytest.mark.parametrize("name", ["..", "///", "Failed"])
def test_names_without_a_usable_folder_are_refused(name):
    with pytest.raises(ParameterError, match="gives no usable folder name"):
        plan.run_slug(name)


def test_each_notebook_gets_what_its_model_checked_and_nothing_else():
    notebooks = plan.select_notebooks(STUBS)
    sets = plan.parameter_sets(["Helsinki"], None, [("link_threshold", "0.35"),
                                                      ("survey_round", "2020")])
    [run] = plan.plan_runs(sets, notebooks)
    given = {t.number: t.parameters for t in run.tasks}
    assert given == {
        "01": {"city": "Helsinki", "survey_round": "2020", "compare_with_survey": True,
               "highlight_colour": "#D55E00", "output_dir": None},
        "02": {"city": "Helsinki", "region": "Helsinki-Uusimaa", "survey_round": "2020",
               "measure": "count", "output_dir": None},
        "03": {"region": "Helsinki-Uusimaa", "periods": ["2014-2020", "2018-2020", "2021-2027"],
               "similarity": "tfidf", "link_threshold": 0.35, "city": "Helsinki",
               "output_dir": None},
    }


def test_output_dir_is_relative_to_the_caller_with_a_folder_per_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    notebooks = plan.select_notebooks(STUBS, ["01"])
    pairs = [("output_dir", "figures")]
    [one] = plan.plan_runs(plan.parameter_sets(None, None, pairs), notebooks)
    assert one.tasks[0].parameters["output_dir"] == str(tmp_path / "figures")
    runs = plan.plan_runs(plan.parameter_sets(None, None, pairs, [
        {"name": "Helsinki A"}, {"name": "Helsinki B"}]), notebooks)
    assert [r.tasks[0].parameters["output_dir"] for r in runs] == [
        str(tmp_path / "figures" / "helsinki-a"), str(tmp_path / "figures" / "helsinki-b")]


def test_cli_values_stay_text_except_lists():
    assert plan.cli_value("#D55E00") == "#D55E00"
    assert plan.cli_value("0.3") == "0.3"
    assert plan.cli_value("[2014-2020, 2021-2027]") == ["2014-2020", "2021-2027"]


def test_params_file_entries_override_the_command_line(tmp_path):
    runs = tmp_path / "runs.yaml"
    runs.write_text("- {city: Helsinki}\n- {name: Helsinki 2018, city: Helsinki, "
                    "survey_round: '2018'}\n", encoding="utf-8")
    sets = plan.parameter_sets(None, None, [("survey_round", "2020")],
                                 plan.read_params_file(runs))
    assert [(s.get("name"), s["survey_round"], s.get("region")) for s in sets] == [
        (None, "2020", None), ("Helsinki 2018", "2018", None)]


def test_region_only_where_the_data_pair_it(report_data, tmp_path, monkeypatch):
    """Testville's profile names no region and no region file lists it: the notebooks that
    need a region are not planned, and the plan says why; 02 (its region optional) runs with
    none; a region file listing it pairs them."""
    report_data = Path(shutil.copytree(report_data, tmp_path / "data"))
    monkeypatch.setenv(paths.ENV_VAR, str(report_data))
    notebooks = plan.discover(STUBS)
    [run] = plan.plan_runs(plan.parameter_sets(["Testville"], None), notebooks)
    assert [(t.number, t.parameters.get("region", "-")) for t in run.tasks] == [
        ("01", "-"), ("02", None)]
    assert [stem for stem, _ in run.skipped] == ["03_stub"]
    assert all(why.startswith("needs a region; the data pair Testville with none")
               for _, why in run.skipped)
    with pytest.raises(ParameterError, match="notebook.s. 03: each needs a region"):
        plan.plan_runs(plan.parameter_sets(["Testville"], None), {"03": notebooks["03"]})
    region = report_data / "regions" / "test-region.yaml"
    raw = yaml.safe_load(region.read_text(encoding="utf-8"))
    region.write_text(yaml.safe_dump({**raw, "cities": ["Testville"]}), encoding="utf-8")
    [run] = plan.plan_runs(plan.parameter_sets(["Testville"], None), notebooks)
    assert run.skipped == ()
    assert {t.number: t.parameters.get("region") for t in run.tasks} == {
        "01": None, "02": "Test Region", "03": "Test Region"}


@pytest.mark.parametrize(("args", "message"), [
    (["--city", "Atlantis"],
     "error: notebook 01_stub.ipynb: parameter city: city 'Atlantis' not found in profiles/ "
     "(available: Alexandria; Amsterdam; Chelsea; Chicago; Curridabat; Denver, CO; Detroit; "
     "Helsinki; Lisbon; Philadelphia; Seoul; Stockholm; Toronto; Tulsa; Vienna)"),
    (["-p", "link_threshold", "high"],
     "error: notebook 03_stub.ipynb: parameter link_threshold: Input should be a valid number"),
    (["-p", "compare_with_survey", "perhaps"],
     "error: notebook 01_stub.ipynb: parameter compare_with_survey: Input should be a valid "
     "boolean"),
    (["--notebooks", "01,07"],
     "error: notebook '07': not found in notebooks/ (available: 01, 02, 03)"),
    (["-p", "colour", "red"],
     "error: parameter colour: not a parameter of notebook(s) 01, 02, 03 (allowed: city, "
     "compare_with_survey, highlight_colour, link_threshold, measure, output_dir, periods, "
     "region, similarity, survey_round)"),
    (["--notebooks", "03", "-p", "measure", "share"],
     "error: parameter measure: not a parameter of notebook(s) 03"),
    (["-p", "city", "Helsinki"], "error: -p city: give the city with --city"),
    (["--city", "Helsinki", "--city", "Atlantis"],
     "error: run 'Atlantis': notebook 01_stub.ipynb: parameter city: city 'Atlantis' not found"),
    (["--city", "Helsinki", "--city", "helsinki"],
     "error: runs 'Helsinki' and 'helsinki' would share the folder helsinki/"),
    (["--format", "docx"], "error: --format docx: unknown format (allowed: html, ipynb, pdf"),
    (["--jobs", "0"], "error: --jobs 0: must be at least 1"),
])
def test_bad_parameters_exit_2_in_one_line_before_any_kernel(cli, no_kernels, tmp_path, args,
                                                             message):
    rc, out, err = cli(*args, data=paths.REPO_ROOT / "data")
    assert rc == 2
    assert err.startswith(message), err
    assert err.count("\n") == 1 and out == ""
    assert not (tmp_path / "reports").exists()


def test_a_value_the_data_cannot_support_is_refused_before_any_kernel(cli, no_kernels,
                                                                     report_data):
    rc, _, err = cli("--city", "Testville", "--region", "Test Region", "--notebooks", "02",
                     "-p", "measure", "share", data=report_data)
    assert rc == 2
    assert err.startswith("error: notebook 02_stub.ipynb: parameter measure: 'share' cannot be "
                          "computed for survey_round 'both'")
    assert err.count("\n") == 1


def test_bad_params_file_is_refused_before_any_kernel(cli, no_kernels, tmp_path):
    (tmp_path / "runs.yaml").write_text("- {city: Helsinki}\n- {city: Helsinki, name: Late, "
                                        "measure: ratio}\n", encoding="utf-8")
    rc, _, err = cli("--params-file", "runs.yaml", data=paths.REPO_ROOT / "data")
    assert rc == 2
    assert err == ("error: run 'Late': notebook 02_stub.ipynb: parameter measure: Input should "
                   "be 'count' or 'share' (got 'ratio')\n")


# --- end to end ---------------------------------------------------------------------------------


@pytest.mark.notebook
def test_report_for_helsinki_with_every_notebook(cli, tmp_path):
    rc, out, err = cli()
    assert rc == 0, err
    run = tmp_path / "reports" / "helsinki"
    assert out.splitlines() == ["report: reports/helsinki/index.html",
                                "index: reports/index.html"]
    assert "without encryption" not in err and "KeyboardInterrupt" not in err
    assert sorted(p.name for p in run.iterdir()) == [
        "01_stub.code.html", "01_stub.figure.png", "01_stub.html", "01_stub.ipynb",
        "02_stub.code.html", "02_stub.figure.png", "02_stub.html", "02_stub.ipynb",
        "03_stub.code.html", "03_stub.figure.png", "03_stub.html", "03_stub.ipynb",
        "index.html", "run.json"]
    record = _run_record(run)
    assert record["status"] == "ok"
    assert {nb["stem"]: nb["findings"] for nb in record["notebooks"]} == {
        "01_stub": {"city": "Helsinki", "roles_listed": 7},
        "02_stub": {"funding_sources": 5, "levels": [
            "innovative-financing", "international", "municipal", "national", "non-financial"]},
        "03_stub": {"periods": 3, "themes": 12},
    }
    executed = nbformat.read(run / "02_stub.ipynb", as_version=4)
    assert executed.metadata.papermill.parameters == {
        "city": "Helsinki", "region": "Helsinki-Uusimaa", "survey_round": "both",
        "measure": "count", "output_dir": None}
    for stem in ("01_stub", "02_stub", "03_stub"):
        html = (run / f"{stem}.html").read_text(encoding="utf-8")
        assert html.count('src="data:image/png;base64,') == 1, stem
        assert "record_findings" not in html and f'href="{stem}.code.html"' in html
        code = (run / f"{stem}.code.html").read_text(encoding="utf-8")
        assert "record_findings" in code and f'href="{stem}.html"' in code
    index = (run / "index.html").read_text(encoding="utf-8")
    for text in ('href="01_stub.html"', 'href="03_stub.ipynb"', "<dt>Roles listed</dt>",
                 "<dd>7</dd>", "<dt>Region</dt>", "<dd>Helsinki-Uusimaa</dd>",
                 'href="../index.html"'):
        assert text in index
    top = (tmp_path / "reports" / "index.html").read_text(encoding="utf-8")
    assert '<a href="helsinki/index.html">Helsinki</a>' in top
    assert _leftovers(tmp_path / "reports") == []


@pytest.mark.notebook
def test_batch_of_two_cities_on_two_jobs(cli, tmp_path, report_data):
    rc, out, err = cli("--city", "Testville", "--city", "Othertown", "--region", "Test Region",
                       "--notebooks", "01", "--jobs", "2", "--format", "html", "--no-input",
                       data=report_data)
    assert rc == 0, err
    reports = tmp_path / "reports"
    assert out.splitlines() == ["report: reports/testville/index.html",
                                "report: reports/othertown/index.html",
                                "index: reports/index.html"]
    for slug, city in (("testville", "Testville"), ("othertown", "Othertown")):
        assert sorted(p.name for p in (reports / slug).iterdir()) == [
            "01_stub.figure.png", "01_stub.html", "index.html", "run.json"]
        [nb] = _run_record(reports / slug)["notebooks"]
        assert nb["findings"] == {"city": city, "roles_listed": 3}
        html = (reports / slug / "01_stub.html").read_text(encoding="utf-8")
        assert "record_findings" not in html
        assert 'src="data:image/png;base64,' in html
    top = (reports / "index.html").read_text(encoding="utf-8")
    assert 'href="testville/index.html"' in top and 'href="othertown/index.html"' in top


@pytest.mark.notebook
def test_batch_on_a_dask_cluster(cli, tmp_path, report_data):
    from distributed import LocalCluster

    cluster = LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                           host="127.0.0.1", protocol="tcp://", dashboard_address=":0")
    try:
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        rc, out, err = cli("--scheduler", address, "--city", "Testville", "--city", "Othertown",
                           "--region", "Test Region", "--notebooks", "03", data=report_data)
    finally:
        cluster.close()
    assert rc == 0, err
    for slug in ("testville", "othertown"):
        [nb] = _run_record(tmp_path / "reports" / slug)["notebooks"]
        assert nb["findings"] == {"periods": 2, "themes": 4}
        assert nb["parameters"]["region"] == "Test Region"


@pytest.mark.notebook
def test_a_failing_notebook_fails_its_run_not_the_batch(cli, tmp_path, report_data):
    (tmp_path / "runs.yaml").write_text(
        "- {name: Testville both, city: Testville, survey_round: both}\n"
        "- {name: Testville 2018, city: Testville, survey_round: '2018'}\n", encoding="utf-8")
    rc, out, err = cli("--params-file", "runs.yaml", "--region", "Test Region",
                       "--notebooks", "02", data=report_data)
    reports = tmp_path / "reports"
    assert rc == 1
    assert out.splitlines() == ["report: reports/testville-both/index.html",
                                "index: reports/index.html"]
    assert "failed: reports/failed/testville-2018/index.html (02_stub)" in err
    assert "1 of 2 run(s) failed" in err
    assert _run_record(reports / "testville-both")["notebooks"][0]["findings"] == {
        "funding_sources": 2, "levels": ["municipal", "non-financial"]}
    assert not (reports / "testville-2018").exists()
    failed = reports / "failed" / "testville-2018"
    [nb] = _run_record(failed)["notebooks"]
    assert nb["error"] == ("RuntimeError: this stand-in fails on purpose for survey_round "
                           "'2018'")
    executed = nbformat.read(failed / "02_stub.ipynb", as_version=4)
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert [e.ename for e in errors] == ["RuntimeError"]
    top = (reports / "index.html").read_text(encoding="utf-8")
    assert '<a href="failed/testville-2018/index.html">Testville 2018</a>' in top
    assert "failed: 02_stub" in top
    assert _leftovers(reports) == []


@pytest.mark.notebook
def test_existing_report_needs_force(cli, tmp_path, report_data, monkeypatch):
    args = ("--city", "Testville", "--region", "Test Region", "--notebooks", "03")
    rc, _, err = cli(*args, data=report_data)
    assert rc == 0, err
    run = tmp_path / "reports" / "testville"
    (run / "note.txt").write_text("kept until --force", encoding="utf-8")

    def refuse(*a: object, **k: object):
        raise AssertionError("a notebook was about to run")

    with monkeypatch.context() as m:
        m.setattr(pool, "open_executor", refuse)
        rc, out, err = cli(*args)
    assert rc == 2 and out == ""
    assert err == (f"error: report folder {Path('reports') / 'testville'} exists "
                   "(use --force to replace it)\n")
    assert (run / "note.txt").exists()

    rc, _, err = cli(*args, "--force")
    assert rc == 0, err
    assert not (run / "note.txt").exists()
    assert _run_record(run)["notebooks"][0]["findings"] == {"periods": 2, "themes": 4}
    assert _leftovers(tmp_path / "reports") == []


@pytest.mark.notebook
def test_city_names_cannot_escape_the_output_folder_or_inject_html(cli, tmp_path, report_data):
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    rc, out, err = cli(*[a for stem in ("x", "script", "unicode")
                         for a in ("--city", ODD_CITIES[stem])],
                       "--region", "Test Region", "--notebooks", "01", "--jobs", "2",
                       data=report_data)
    assert rc == 0, err
    reports = tmp_path / "reports"
    assert sorted(p.name for p in reports.iterdir()) == [
        "index.html", "script-alert-1-script", "unicode-city", "x"]
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")
                   if not p.is_relative_to(reports))
    assert after == before
    assert not (tmp_path.parent / "x").exists() and not (tmp_path.parent.parent / "x").exists()

    raw = "<script>alert(1)</script>"
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    run = reports / "script-alert-1-script"
    index = (run / "index.html").read_text(encoding="utf-8")
    assert raw not in index and escaped in index
    top = (reports / "index.html").read_text(encoding="utf-8")
    assert raw not in top and f'<a href="script-alert-1-script/index.html">{escaped}</a>' in top
    assert raw not in (run / "01_stub.html").read_text(encoding="utf-8")
    assert "Ünïcode City" in (reports / "unicode-city" / "index.html").read_text(encoding="utf-8")
    assert _run_record(reports / "x")["name"] == "../../x"


# --- Ctrl-C (no kernel) -------------------------------------------------------------------------


class _InterruptedExecutor(Executor):
    """Completes the first task with a ready outcome, then Ctrl-C arrives."""

    def __init__(self) -> None:
        self.submitted = 0
        self.stopped = False

    def submit(self, fn, /, *args, **kwargs):
        task = args[0]
        self.submitted += 1
        future: Future = Future()
        if self.submitted == 1:
            future.set_result(NotebookOutcome(
                run=task.run, number=task.number, stem=task.stem, parameters={}, seconds=0.1,
                ipynb="{}", html="<p>done</p>"))
        return future

    def shutdown(self, wait=True, *, cancel_futures=False):
        self.stopped = cancel_futures


def test_ctrl_c_leaves_no_partial_report(tmp_path, monkeypatch):
    notebooks = plan.select_notebooks(STUBS, ["01", "02"])
    plans = plan.plan_runs(plan.parameter_sets(["Helsinki"], None), notebooks)
    executor = _InterruptedExecutor()
    calls = iter([None])

    def interrupt(*args, **kwargs):
        if next(calls, "again") == "again":
            raise KeyboardInterrupt
        return real_wait(*args, **kwargs)

    real_wait = batch.wait
    monkeypatch.setattr(batch, "wait", interrupt)
    with pytest.raises(KeyboardInterrupt):
        batch.run_batch(plans, executor, tmp_path / "reports", quiet=True)
    assert executor.stopped
    assert list((tmp_path / "reports").iterdir()) == []


def test_record_findings_keeps_headline_sentences(tmp_path, monkeypatch):
    target = tmp_path / "findings.json"
    monkeypatch.setenv(FINDINGS_ENV, str(target))
    report.record_findings({"roles_listed": 7}, headlines=[" Testville lists 7 roles. "])
    assert json.loads(target.read_text(encoding="utf-8")) == {
        "roles_listed": 7, "headlines": ["Testville lists 7 roles."]}


@pytest.mark.parametrize(("findings", "headlines", "message"), [
    ({"headlines": ["x"]}, (), "findings: key 'headlines' is not allowed"),
    ({}, "one sentence", "headlines: expected a list of non-empty sentences"),
    ({}, ["ok", " "], "headlines: expected a list of non-empty sentences"),
])
def test_record_findings_refuses_bad_headlines(monkeypatch, findings, headlines, message):
    monkeypatch.delenv(FINDINGS_ENV, raising=False)
    with pytest.raises(ParameterError, match=message):
        report.record_findings(findings, headlines=headlines)


def test_landing_and_top_pages_escape_data_strings(tmp_path):
    evil = "<script>alert(1)</script>"
    outcome = NotebookOutcome(
        run="x", number="01", stem="01_stub", parameters={"city": evil, "region": None},
        seconds=1.0, html="<main></main>", figure=None,
        findings={"data_quality_flags": 2, "headlines": [f"{evil} lists 2 roles."]},
        sections=[["1", "T", f"Title {evil}"], ["2", "Data-quality-notes", "Data-quality notes"]])
    result = RunResult(name=evil, slug="script", seconds=1.0, finished="now",
                              notebooks=[outcome])
    staging = tmp_path / "stage"
    staging.mkdir()
    site.save_outcome(outcome, staging)
    site.finish_run(result, staging, tmp_path, force=False)
    site.write_top_index(tmp_path)
    for page in (tmp_path / "script" / "index.html", tmp_path / "index.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>" not in text, page
        assert "&lt;script&gt;alert(1)&lt;/script&gt; lists 2 roles." in text, page
    landing = (tmp_path / "script" / "index.html").read_text(encoding="utf-8")
    assert "the counts are not added up:" in landing
    assert '<a href="01_stub.html#Data-quality-notes">' in landing
    assert 'href="01_stub.html#Data-quality-notes"' in landing


def test_landing_page_reads_findings_keys_in_words(tmp_path):
    """Keys in words (the convention) and numbered Sources sections both reach the landing page,
    and so does each notebook not run, with its reason."""
    outcome = NotebookOutcome(
        run="x", number="02", stem="02_stub", parameters={"city": "Testville", "region": None},
        seconds=1.0, html="<main></main>", figure=None,
        findings={"Targets met so far": 2, "Data-quality flags": 3,
                  "funding_sources": 5, "headlines": ["Testville met 2 targets."]},
        sections=[["1", "T", "Title"], ["2", "Flags", "5 Data-quality notes"],
                  ["2", "7-Sources", "7 Sources"]])
    result = RunResult(name="Testville", slug="testville", seconds=1.0, finished="now",
                       notebooks=[outcome], skipped=[("03_stub", "needs a region; none <given>")])
    staging = tmp_path / "stage"
    staging.mkdir()
    site.save_outcome(outcome, staging)
    site.finish_run(result, staging, tmp_path, force=False)
    landing = (tmp_path / "testville" / "index.html").read_text(encoding="utf-8")
    for text in ("<dt>Targets met so far</dt><dd>2</dd>", "<dt>Funding sources</dt><dd>5</dd>",
                 '<a href="02_stub.html#Flags">Title: 3</a>', 'href="02_stub.html#7-Sources"',
                 "<dt>City</dt>",
                 "Not run: <strong>03_stub</strong>\n(needs a region; none &lt;given&gt;)."):
        assert text in landing, text
    assert "<dt>headlines</dt>" not in landing and "&#39;page" not in landing
