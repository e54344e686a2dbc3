"""Report kernels forked from a warm server (report/kernels.py) start as fresh ones do."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpec

from city_innovation.report import kernels
from city_innovation.report.model import KERNEL_NAME

#: A notebook that prints what a kernel's start decides: folder, import path, library options
#: chosen at import, warning filters, its launcher, and whether it was forked.
PROBE = textwrap.dedent("""\
    import json, multiprocessing, os, sys, warnings
    import matplotlib, pandas as pd, seaborn
    print(json.dumps({
        "forked": "multiprocessing.forkserver" in open("/proc/self/cmdline").read(),
        "cwd": os.getcwd(),
        "path": sys.path,
        "pandas": pd.describe_option(_print_desc=False),
        "rc": {key: repr(value) for key, value in matplotlib.rcParams.items()},
        "backend": matplotlib.get_backend(),
        "warnings": sorted(repr(f) for f in warnings.filters),
        "main": sys.modules["__main__"].__name__,
        "daemon": multiprocessing.current_process().daemon,
        "bytecode": not sys.dont_write_bytecode,
        "data": os.environ.get("CITY_INNOVATION_DATA"),
        "launcher": os.environ.get("JPY_PARENT_PID"),
    }))""")

#: Runs the probe twice in a process of its own: through the report's engine (forked), then
#: with papermill's stock engine (a fresh kernel); prints both results.
RUNNER = textwrap.dedent("""\
    import json, os, sys
    import nbformat, papermill
    from city_innovation.report import execute
    execute.notebook_tools()
    probe, kernel, folder = sys.argv[1:4]
    results = []
    for engine in (execute.ENGINE, None):
        out = os.path.join(folder, f"out-{engine}.ipynb")
        extra = {"engine_name": engine, "kernel_cwd": folder} if engine else {"cwd": folder}
        papermill.execute_notebook(probe, out, kernel_name=kernel, progress_bar=False, **extra)
        cell = nbformat.read(out, as_version=4).cells[-1]
        results.append(json.loads(cell.outputs[0]["text"]))
    print(json.dumps(results))""")


@pytest.mark.notebook
def test_a_forked_kernel_starts_as_a_fresh_one(tmp_path: Path) -> None:
    folder = tmp_path / "nb"
    folder.mkdir()
    probe = folder / "probe.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(PROBE)]), probe)
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, str(probe), KERNEL_NAME, str(folder)],
        capture_output=True, text=True, timeout=180, cwd=tmp_path,
        env={**os.environ, "CITY_INNOVATION_DATA": str(tmp_path / "data")})
    assert done.returncode == 0, done.stderr[-3000:]
    forked, fresh = json.loads(done.stdout.splitlines()[-1])
    assert forked.pop("forked") is True and fresh.pop("forked") is False
    for result in (forked, fresh):  # what each option is now, not its default
        result["pandas"] = re.findall(r"\[currently: (.*?)\]", result["pandas"])
    assert forked["cwd"] == str(folder) and forked["data"] == str(tmp_path / "data")
    assert forked["daemon"] is False and forked["launcher"] is not None
    assert forked == fresh


def _spec(argv: list[str]) -> KernelSpec:
    return KernelSpec(argv=argv, display_name="k", language="python")


def test_only_this_interpreters_ipykernel_is_forked() -> None:
    launcher = ["-m", "ipykernel_launcher", "-f", "{connection_file}"]
    assert kernels.can_fork(_spec([sys.executable, *launcher]))
    assert kernels.can_fork(_spec([sys.executable, "-Xfrozen_modules=off", *launcher]))
    assert not kernels.can_fork(_spec(["/usr/bin/python3-other", *launcher]))
    assert not kernels.can_fork(_spec([sys.executable, "-u", *launcher]))
    assert not kernels.can_fork(_spec(["R", "-e", "IRkernel::main()", "{connection_file}"]))


def test_the_report_asks_for_the_forking_provisioner_only_where_it_can_fork() -> None:
    spec = _spec([sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"])
    forking = kernels.with_forking(spec)
    assert forking.metadata["kernel_provisioner"] == {"provisioner_name": kernels.PROVISIONER}
    assert forking.argv == spec.argv and "kernel_provisioner" not in spec.metadata
    other = _spec(["/usr/bin/python3-other", "-m", "ipykernel_launcher", "-f", "{connection_file}"])
    assert kernels.with_forking(other) is other
