"""`city-innovation report` under faults: threads sharing a worker, dead kernels, hangs, lost
Dask workers, SIGTERM and Ctrl-C, an output folder that cannot be written; and a stress run.

Each fault ends one notebook, never the batch, with a one-line reason in the index and run.json;
no kernel or worker process outlives the command. Kernels of a test are found by their
environment: every kernel of a run gets the run's data folder (a copy made per test) and a
findings file.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import psutil
import pytest

from city_innovation import paths
from city_innovation.cli import main
from city_innovation.report import execute, plan
from city_innovation.report.model import FINDINGS_ENV, KERNEL_NAME

STUBS = Path(__file__).parent / "fixtures" / "notebooks"
FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"
SRC = Path(paths.__file__).resolve().parents[1]
SESSION_HELPERS = ("multiprocessing.forkserver", "multiprocessing.resource_tracker")


# --- helpers -------------------------------------------------------------------------------------


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the fixture data with a second city, Othertown; its path marks this test's
    kernels (each kernel gets it as CITY_INNOVATION_DATA)."""
    root = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, root)
    text = (root / "profiles" / "testville.yaml").read_text(encoding="utf-8")
    (root / "profiles" / "othertown.yaml").write_text(
        text.replace("city: Testville", "city: Othertown", 1), encoding="utf-8")
    return root


def notebooks_with(folder: Path, fault: str, number: str = "01") -> Path:
    """The stand-in notebooks in ``folder``, notebook ``number`` with a ``fault`` cell inserted
    after its validation cell (so the cell sees the checked parameters as ``p``)."""
    folder.mkdir(parents=True, exist_ok=True)
    for stub in STUBS.glob("*.ipynb"):
        shutil.copy(stub, folder / stub.name)
    path = next(folder.glob(f"{number}_*.ipynb"))
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell(fault))
    nbformat.write(nb, path)
    return folder


@pytest.fixture
def run_report(monkeypatch: pytest.MonkeyPatch):
    """`city-innovation report` in this process, on ``notebooks`` with ``data``, into ``out``."""

    def run(notebooks: Path, data: Path, out: Path, *args: str) -> int:
        monkeypatch.setenv(paths.ENV_VAR, str(data))
        return main(["report", "--notebooks-dir", str(notebooks), "--out", str(out),
                     "--quiet", "--region", "Test Region", *args])

    return run


def kernels_of(data: Path) -> list[psutil.Process]:
    """Running kernels started for runs on ``data`` (found by their environment)."""
    found = []
    for proc in psutil.process_iter():
        try:
            env = proc.environ()
        except (psutil.Error, OSError):
            continue
        if env.get(paths.ENV_VAR) == str(data) and FINDINGS_ENV in env:
            found.append(proc)
    return found


def _alive(procs: list[psutil.Process], grace: float) -> list[str]:
    """The command lines of ``procs`` still running (not zombies) after ``grace`` seconds."""
    _, alive = psutil.wait_procs(procs, timeout=grace)
    return [" ".join(_cmdline(p))[:200] for p in alive
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


@pytest.fixture
def no_process_left(data: Path) -> Iterator[None]:
    """After the test: no kernel of its runs and no new process below this one still runs
    (multiprocessing's fork server and resource tracker excepted: they serve the whole test
    session, as they serve the whole command, and end with it)."""
    me = psutil.Process()
    before = {p.pid for p in me.children(recursive=True)}
    yield
    new = [p for p in me.children(recursive=True)
           if p.pid not in before and _is_python(p) and not any(
               helper in " ".join(_cmdline(p)) for helper in SESSION_HELPERS)]
    assert _alive(new + kernels_of(data), grace=3.0) == []


def _is_python(proc: psutil.Process) -> bool:
    """A Python process (a worker or kernel; not, say, a browser helper of another test)."""
    command = _cmdline(proc)
    return bool(command) and Path(command[0]).name.startswith("python")


def _cmdline(proc: psutil.Process) -> list[str]:
    try:
        return proc.cmdline()
    except psutil.Error:
        return []


def record(folder: Path) -> dict:
    return json.loads((folder / "run.json").read_text(encoding="utf-8"))


def errors_of(folder: Path) -> dict[str, str | None]:
    return {nb["stem"]: nb["error"] for nb in record(folder)["notebooks"]}


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.rglob(".*"))


# --- where kernels listen (the root cause of "Kernel didn't respond in 60 seconds") ------------

posix_only = pytest.mark.skipif(os.name != "posix", reason="Unix sockets are a POSIX transport")


@pytest.fixture
def short_tmp() -> Iterator[Path]:
    """A new empty folder with a short path (a Unix socket's path may hold about 100 bytes,
    which a deep ``tmp_path`` or macOS's temporary folder may already use up), removed
    afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="t-", dir="/tmp" if os.name == "posix" else None))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def runtime_dir(short_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Jupyter's runtime folder, empty, in :func:`short_tmp`."""
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(short_tmp))
    return short_tmp


@posix_only
@pytest.mark.notebook
def test_a_report_kernel_listens_on_unix_sockets_of_its_own(runtime_dir):
    """Not on TCP ports, which a kernel starting beside it in another process can take."""
    km = execute.blocking_kernel_manager_class()(kernel_name=KERNEL_NAME)
    other = execute.blocking_kernel_manager_class()(kernel_name=KERNEL_NAME)
    assert (km.transport, other.transport) == ("ipc", "ipc")
    assert Path(km.ip).parent == runtime_dir and km.ip != other.ip
    km.start_kernel()
    try:
        kc = km.client()
        kc.start_channels()
        try:
            assert kc.kernel_info(reply=True, timeout=60)["content"]["status"] == "ok"
        finally:
            kc.stop_channels()
        info = km.get_connection_info()
        sockets = [Path(f"{km.ip}-{info[f'{name}_port']}")
                   for name in ("shell", "iopub", "stdin", "control", "hb")]
        assert all(s.is_socket() for s in sockets), sockets
        assert Path(km.connection_file).parent == runtime_dir
    finally:
        km.shutdown_kernel(now=True)
    assert list(runtime_dir.iterdir()) == []  # sockets and connection file removed


@posix_only
def test_a_relative_runtime_folder_is_made_absolute(tmp_path, monkeypatch):
    """The kernel starts in the notebook's folder; a relative socket path would point there."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", "rt")
    km = execute.blocking_kernel_manager_class()(kernel_name=KERNEL_NAME)
    assert (km.transport, Path(km.ip).parent) == ("ipc", tmp_path / "rt")
    assert Path(km.connection_file).parent == tmp_path / "rt"


def test_a_transport_chosen_by_the_caller_or_the_configuration_is_kept(runtime_dir):
    from traitlets.config import Config

    config = Config()
    config.KernelManager.transport = "tcp"
    manager = execute.blocking_kernel_manager_class()
    assert manager(kernel_name=KERNEL_NAME, config=config).transport == "tcp"
    assert manager(kernel_name=KERNEL_NAME, transport="tcp").transport == "tcp"
    assert list(runtime_dir.iterdir()) == []


@posix_only
def test_a_scratch_folder_too_deep_for_a_socket_path_falls_back_to_the_runtime_folder(
        tmp_path, runtime_dir):
    where = execute.kernel_endpoint(tmp_path / ("d" * 100))
    assert where["transport"] == "ipc"
    assert Path(where["ip"]).parent == Path(where["connection_file"]).parent == runtime_dir


@posix_only
def test_a_runtime_folder_too_deep_for_a_socket_path_falls_back_to_tcp(tmp_path, monkeypatch):
    deep = tmp_path / ("d" * 100)
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(deep))
    where = execute.kernel_endpoint()
    assert list(where) == ["connection_file"] and Path(where["connection_file"]).parent == deep
    assert execute.blocking_kernel_manager_class()(kernel_name=KERNEL_NAME).transport == "tcp"


# --- the shared event loop (the root cause of "This event loop is already running") -----------


def test_each_call_gets_an_event_loop_of_its_own_whatever_the_context_holds():
    from jupyter_core.utils import run_sync

    async def which_loop() -> asyncio.AbstractEventLoop:
        await asyncio.sleep(0.2)  # long enough for the two threads to overlap
        return asyncio.get_running_loop()

    caller = run_sync(which_loop)()  # as nbclient does: the loop is kept in a context variable
    assert run_sync(which_loop)() is caller
    seen: dict[str, asyncio.AbstractEventLoop] = {}

    def task(name: str) -> None:
        seen[name] = execute.in_own_event_loop(run_sync(which_loop))

    # Dask runs tasks in copies of the submitting thread's context: here, this one.
    threads = [threading.Thread(target=contextvars.copy_context().run, args=(task, name))
               for name in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(seen) == {"a", "b"}
    assert seen["a"] is not seen["b"] and caller not in seen.values()
    assert seen["a"].is_closed() and seen["b"].is_closed() and not caller.is_closed()


@pytest.mark.notebook
def test_threads_of_one_dask_worker_after_a_notebook_ran_in_the_caller(
        run_report, tmp_path, data, no_process_left):
    from distributed import LocalCluster
    from jupyter_core.utils import run_sync

    async def nothing() -> None:
        return None

    run_sync(nothing)()  # what any earlier notebook run in this thread leaves behind
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, host="127.0.0.1", protocol="tcp://",
                      dashboard_address=":0") as cluster:
        rc = run_report(STUBS, data, tmp_path / "reports", "--scheduler",
                        cluster.scheduler_address, "--city", "Testville", "--city",
                        "Othertown", "--notebooks", "01,03")
    assert rc == 0
    for city in ("Testville", "Othertown"):
        run = record(tmp_path / "reports" / city.lower())
        assert {nb["stem"]: nb["findings"] for nb in run["notebooks"]} == {
            "01_stub": {"city": city, "roles_listed": 3},
            "03_stub": {"periods": 2, "themes": 4}}


# --- faults inside a notebook ---------------------------------------------------------------


@pytest.mark.notebook
def test_a_kernel_that_dies_fails_its_notebook_not_the_batch(
        run_report, tmp_path, data, no_process_left, capfd):
    notebooks = notebooks_with(tmp_path / "nb", 'if p.city == "Othertown":\n'
                                                "    import os\n    os._exit(3)")
    out = tmp_path / "reports"
    rc = run_report(notebooks, data, out, "--city", "Testville", "--city", "Othertown",
                    "--notebooks", "01,03", "--jobs", "2")
    err = capfd.readouterr().err
    assert rc == 1
    assert "failed: " in err and "1 of 2 run(s) failed" in err
    assert errors_of(out / "testville") == {"01_stub": None, "03_stub": None}
    failed = out / "failed" / "othertown"
    reason = ("the kernel died (the process running the notebook ended, e.g. os._exit or a "
              "crash)")
    assert errors_of(failed) == {"01_stub": reason, "03_stub": None}
    assert record(failed)["failed"] == ["01_stub"]
    assert f"failed: {reason}" in (failed / "index.html").read_text(encoding="utf-8")
    executed = nbformat.read(failed / "01_stub.ipynb", as_version=4)  # kept, up to the crash
    fault = next(i for i, c in enumerate(executed.cells) if "os._exit" in c.source)
    assert [o.get("ename") for o in executed.cells[fault].outputs] == ["DeadKernelError"]
    assert all(c.get("execution_count") is None for c in executed.cells[fault + 1:])
    assert leftovers(out) == []


@pytest.mark.notebook
def test_a_notebook_that_hangs_is_stopped_after_its_time_limit(
        run_report, tmp_path, data, no_process_left):
    notebooks = notebooks_with(tmp_path / "nb", 'if p.city == "Othertown":\n'
                                                "    import time\n    time.sleep(600)")
    out = tmp_path / "reports"
    start = time.monotonic()
    rc = run_report(notebooks, data, out, "--city", "Testville", "--city", "Othertown",
                    "--notebooks", "01,03", "--jobs", "2", "--timeout", "8")
    assert time.monotonic() - start < 60
    assert rc == 1
    assert errors_of(out / "testville") == {"01_stub": None, "03_stub": None}
    failed = out / "failed" / "othertown"
    reason = "timed out: still running after 8 s (--timeout); the kernel was stopped"
    assert errors_of(failed) == {"01_stub": reason, "03_stub": None}
    [hung] = [nb for nb in record(failed)["notebooks"] if nb["stem"] == "01_stub"]
    assert 8 <= hung["seconds"] < 40
    assert f"failed: {reason}" in (failed / "index.html").read_text(encoding="utf-8")
    assert leftovers(out) == []


def test_a_time_limit_must_be_positive(run_report, tmp_path, data, capfd):
    rc = run_report(STUBS, data, tmp_path / "reports", "--timeout", "0")
    assert rc == 2
    assert capfd.readouterr().err == "error: --timeout 0: must be more than 0 seconds\n"


# --- a Dask worker lost mid-batch ---------------------------------------------------------------


@pytest.mark.notebook
def test_a_lost_dask_worker_re_runs_its_notebook_or_reports_it(
        run_report, tmp_path, data, no_process_left, short_tmp, monkeypatch):
    """First batch: Testville's kernel kills its worker once; the notebook is re-run on a
    worker and both runs complete. Second batch: Othertown's kernel kills every worker it runs
    on; after the one retry allowed it is reported failed, and Testville's run completes.
    (The workers' temporary files go to ``short_tmp``: a killed worker cannot remove them.)"""
    import dask
    from distributed import LocalCluster

    monkeypatch.setenv("TMPDIR", str(short_tmp))

    mode, killed = tmp_path / "mode", tmp_path / "killed"
    notebooks = notebooks_with(tmp_path / "nb", (
        "import os, pathlib, signal, time\n"
        f"mode = pathlib.Path({str(mode)!r}).read_text()\n"
        f"killed = pathlib.Path({str(killed)!r})\n"
        'victim = {"once": "Testville", "always": "Othertown"}[mode]\n'
        'if p.city == victim and (mode == "always" or not killed.exists()):\n'
        "    killed.touch()\n"
        '    os.kill(int(os.environ["JPY_PARENT_PID"]), signal.SIGKILL)  # its Dask worker\n'
        "    time.sleep(30)"))
    args = ("--city", "Testville", "--city", "Othertown", "--notebooks", "01")
    settings = {"distributed.scheduler.allowed-failures": 1}
    with dask.config.set(settings), LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
            dashboard_address=":0") as cluster:
        mode.write_text("once", encoding="utf-8")
        rc_once = run_report(notebooks, data, tmp_path / "once", "--scheduler",
                             cluster.scheduler_address, *args)
        killed_once = killed.exists()
        mode.write_text("always", encoding="utf-8")
        rc_always = run_report(notebooks, data, tmp_path / "always", "--scheduler",
                               cluster.scheduler_address, *args)
    assert killed_once and rc_once == 0
    for city in ("Testville", "Othertown"):
        [nb] = record(tmp_path / "once" / city.lower())["notebooks"]
        assert nb["error"] is None and nb["findings"] == {"city": city, "roles_listed": 3}
    assert rc_always == 1
    assert errors_of(tmp_path / "always" / "testville") == {"01_stub": None}
    [reason] = errors_of(tmp_path / "always" / "failed" / "othertown").values()
    assert reason.startswith("worker lost: every Dask worker that ran this notebook died "
                             "(KilledWorker: ")
    assert "\n" not in reason
    assert leftovers(tmp_path / "once") == [] and leftovers(tmp_path / "always") == []


# --- SIGTERM and Ctrl-C to the command ----------------------------------------------------------


def _sleeping_report(tmp_path: Path, data: Path,
                     scratch: Path) -> tuple[subprocess.Popen, list]:
    """`city-innovation report` in a process of its own, once two kernels run a cell that
    sleeps (01), with the processes below it then; its temporary files go to ``scratch``.

    Each kernel in that cell leaves a file named by its process id first: counting kernels
    alone would also count one of 03, which ends before the signal is sent.
    """
    asleep = tmp_path / "asleep"
    asleep.mkdir()
    notebooks = notebooks_with(tmp_path / "nb", (
        "import os, pathlib, time\n"
        f"pathlib.Path({str(asleep)!r}, str(os.getpid())).touch()\n"
        "time.sleep(600)"))
    env = {**os.environ, paths.ENV_VAR: str(data), "PYTHONFAULTHANDLER": "1",
           "TMPDIR": str(scratch),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))}
    command = subprocess.Popen(
        [sys.executable, "-m", "city_innovation.cli", "report", "--notebooks-dir",
         str(notebooks), "--out", str(tmp_path / "reports"), "--quiet", "--region",
         "Test Region", "--city", "Testville", "--city", "Othertown", "--notebooks", "01,03",
         "--jobs", "2"],
        env=env, cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len(list(asleep.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    return command, psutil.Process(command.pid).children(recursive=True) + kernels_of(data)


@pytest.mark.notebook
@pytest.mark.parametrize(("signum", "rc", "said"), [
    (signal.SIGTERM, 128 + signal.SIGTERM, "terminated"),
    (signal.SIGINT, 128 + signal.SIGINT, "interrupted"),
])
def test_a_stop_signal_stops_the_kernels_and_leaves_no_folder(tmp_path, data, short_tmp,
                                                              signum, rc, said):
    command, family = _sleeping_report(tmp_path, data, short_tmp)
    try:
        assert len(kernels_of(data)) == 2, "the kernels did not start"
        # each kernel's connection file and sockets are in its notebook's scratch folder
        files = sorted(short_tmp.glob("city-innovation-*/kernel-*.json"))
        assert len({f.parent for f in files}) == 2, files
        if os.name == "posix":
            assert all(Path(f"{f.with_suffix('')}-1").is_socket() for f in files)
        command.send_signal(signum)
        try:
            _, err = command.communicate(timeout=60)
        except subprocess.TimeoutExpired:  # show where it is stuck: every thread's stack
            for proc in family:
                if "ipykernel" not in " ".join(_cmdline(proc)):
                    with contextlib.suppress(psutil.Error):
                        proc.send_signal(signal.SIGABRT)
            _, err = command.communicate(timeout=30)
            pytest.fail(f"the command did not stop within 60 s:\n{err[-8000:]}")
    finally:
        if command.poll() is None:
            command.kill()
            command.wait()
    assert command.returncode == rc
    assert err.strip().splitlines()[-1] == said
    assert "Traceback" not in err
    assert _alive(family + kernels_of(data), grace=3.0) == []
    out = tmp_path / "reports"
    assert not out.exists() or sorted(p.name for p in out.rglob("*")) == []
    assert list(short_tmp.iterdir()) == []  # no scratch folder, kernel socket or file


@pytest.mark.notebook
def test_a_killed_command_leaves_no_worker_or_kernel_running(tmp_path, data, short_tmp):
    """SIGKILL cannot be handled: the pool's workers notice within a second, remove their
    tasks' scratch folders and end, their kernels follow their parent, the fork server follows
    its workers."""
    command, family = _sleeping_report(tmp_path, data, short_tmp)
    try:
        assert len(kernels_of(data)) == 2, "the kernels did not start"
        assert any("forkserver" in " ".join(_cmdline(p)) for p in family)
    finally:
        command.kill()
    assert _alive(family + kernels_of(data), grace=10.0) == []  # before the command is reaped
    command.communicate(timeout=10)
    # Left: only multiprocessing's folder of the fork server's socket, which the command
    # removes when it exits, and cannot once killed.
    assert [p.name for p in short_tmp.iterdir() if not p.name.startswith("pymp-")] == []


# --- an output folder that cannot be written ----------------------------------------------------


@pytest.mark.parametrize("where", ["reports", "reports/new"])
def test_a_file_where_the_output_folder_goes_is_refused_in_one_line(
        run_report, tmp_path, data, capfd, no_kernels, monkeypatch, where):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reports").write_text("not a folder", encoding="utf-8")
    rc = run_report(STUBS, data, Path(where), "--city", "Testville")
    assert rc == 2
    assert capfd.readouterr().err == (f"error: --out {Path(where)}: reports is a file, not a "
                                      "folder (allowed: a folder, or a path of folders that "
                                      "do not exist yet)\n")
    assert (tmp_path / "reports").read_text(encoding="utf-8") == "not a folder"


@contextlib.contextmanager
def unprivileged() -> Iterator[None]:
    """Without root's right to write anywhere: as user 'nobody' when run as root."""
    if os.geteuid() != 0:
        yield
        return
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)


def readable_copy(source: Path, target: Path) -> Path:
    """A copy of ``source`` that every user may read (the clone may sit in a folder only its
    owner can enter, where user 'nobody' could not read the original)."""
    shutil.copytree(source, target)
    for path in [target, *target.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target


def test_a_read_only_output_folder_is_refused_in_one_line(run_report, capfd, no_kernels,
                                                          monkeypatch):
    """As user 'nobody' (when run as root): the notebooks and data are copies in a folder
    anyone may read, and the code the command imports on the way is loaded first by the same
    command, refused as root for a reason of its own (the package may sit where 'nobody'
    cannot read it either)."""
    base = Path(tempfile.mkdtemp(prefix="city-innovation-ro-"))
    read_only = base / "read-only"
    try:
        base.chmod(0o755)
        monkeypatch.chdir(base)
        notebooks = readable_copy(STUBS, base / "notebooks")
        data = readable_copy(FIXTURE_DATA, base / "data")
        a_file = base / "a-file"
        a_file.write_text("not a folder", encoding="utf-8")
        assert run_report(notebooks, data, a_file, "--city", "Testville") == 2
        assert "is a file, not a folder" in capfd.readouterr().err
        read_only.mkdir(mode=0o555)
        read_only.chmod(0o555)
        for target in (read_only, read_only / "reports"):
            with unprivileged():
                rc = run_report(notebooks, data, target, "--city", "Testville")
            assert rc == 2
            assert capfd.readouterr().err == (f"error: --out {target}: cannot write in "
                                              f"{read_only} (Permission denied)\n")
        assert list(read_only.iterdir()) == []
    finally:
        if read_only.exists():
            read_only.chmod(0o755)
        shutil.rmtree(base)


# --- stress: many notebooks in threads of two Dask workers --------------------------------------


@pytest.mark.notebook
@pytest.mark.stress
@pytest.mark.batch
def test_twelve_runs_on_two_dask_workers_of_two_threads(
        run_report, tmp_path, data, no_process_left):
    """Twelve runs in the threads of two Dask workers, each clean; repeated
    ``CITY_INNOVATION_STRESS_ATTEMPTS`` times (once in the suite, three times in ``make stress``)
    to catch a race that shows only now and then."""
    from distributed import LocalCluster

    attempts = int(os.environ.get("CITY_INNOVATION_STRESS_ATTEMPTS", "1"))

    runs = [{"name": f"{city} {survey_round} {threshold}", "city": city,
             "survey_round": survey_round, "link_threshold": threshold}
            for city in ("Testville", "Othertown") for survey_round in ("both", "2020")
            for threshold in (0.2, 0.35, 0.5)]
    (tmp_path / "runs.yaml").write_text(json.dumps(runs), encoding="utf-8")
    with LocalCluster(n_workers=2, threads_per_worker=2, processes=False, host="127.0.0.1", protocol="tcp://",
                      dashboard_address=":0") as cluster:
        for attempt in range(attempts):
            out = tmp_path / f"reports-{attempt}"
            rc = run_report(STUBS, data, out, "--scheduler", cluster.scheduler_address,
                            "--params-file", str(tmp_path / "runs.yaml"), "--notebooks", "01,03",
                            "--format", "html")
            assert rc == 0, f"attempt {attempt + 1}"
            folders = sorted(p.name for p in out.iterdir() if p.is_dir())
            assert len(folders) == 12 and "failed" not in folders
            for run in runs:
                got = record(out / plan.run_slug(run["name"]))
                assert got["status"] == "ok"
                assert {nb["stem"]: nb["findings"] for nb in got["notebooks"]} == {
                    "01_stub": {"city": run["city"], "roles_listed": 3},
                    "03_stub": {"periods": 2, "themes": 4}}
                assert [nb["parameters"]["link_threshold"] for nb in got["notebooks"]
                        if nb["stem"] == "03_stub"] == [run["link_threshold"]]
            assert leftovers(out) == []
