"""Time `city-innovation report` against the plain tools and the floor, and its batch scaling.

(a) the default report (every notebook, one city) via `city-innovation report`;
(b) the same notebooks one after the other with the papermill CLI, then `jupyter nbconvert --to
    html` on each (what one would do by hand);
(c) the notebooks' code exported with `jupyter nbconvert --to script` and run with `python`
    (the floor: no kernel, no notebook file, no HTML page; figures and tables are still drawn,
    as a notebook does; the export itself is not timed), and (c0) the same scripts drawing
    nothing, for reference;
then a batch of 8 parameter sets with --jobs 1 and --jobs 2, and the all-cities batch
(`--city all`: every city of data/profiles/) with --jobs 1 and --jobs 2. Prints the ratios a/b
and a/c and the batch speed-ups. Works with whatever numbered notebooks the folder holds. The
machine's load average is printed too: other work on the machine slows some measures more than
others.

    python benchmarks/bench_report.py [--notebooks-dir DIR] [--repeat N] [--only-cities]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from city_innovation import paths
from city_innovation.params import NOTEBOOK_PARAMS
from city_innovation.report import plan
from city_innovation.report.model import KERNEL_NAME

BIN = Path(sys.executable).parent
#: Runs an exported script with plain python (argv[1]). Notebook code calls IPython's display()
#: and leaves figures for the notebook to draw; a kernel renders each figure to PNG (the inline
#: backend) and each table to HTML. The floor does the same work without a kernel: display()
#: renders its objects, and every open figure is drawn to PNG at plt.show() and at the end.
#: With argv[2] == "bare", display() does nothing and no figure is drawn (reference only).
FLOOR = """
import builtins, io, runpy, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

def render(obj):
    if isinstance(obj, Figure):
        obj.savefig(io.BytesIO(), format="png", bbox_inches="tight")
    elif hasattr(obj, "_repr_html_"):
        obj._repr_html_()

def show(*args, **kwargs):
    for number in plt.get_fignums():
        render(plt.figure(number))
    plt.close("all")

bare = sys.argv[2:] == ["bare"]
builtins.display = (lambda *objects, **kwargs: None) if bare else \
    (lambda *objects, **kwargs: [render(o) for o in objects])
if not bare:
    plt.show = show
runpy.run_path(sys.argv[1], run_name="__main__")
if not bare:
    show()
"""
#: Variations for the batch; each set keeps only what the selected notebooks declare.
VARIATIONS = [{"similarity": s, "link_threshold": t}
              for s in ("tfidf", "jaccard") for t in (0.1, 0.2, 0.3, 0.4)]


def _run(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    done = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["no message"]
        raise SystemExit(f"bench: {' '.join(map(str, cmd[:3]))} ... failed: {tail[0]}")


def _shown(folder: Path) -> str:
    try:
        return f"{folder.relative_to(paths.REPO_ROOT)}/"
    except ValueError:
        return str(folder)


def _best(label: str, repeat: int, work: Callable[[], None]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    best = min(times)
    print(f"  {label:<46} {best:6.1f} s", flush=True)
    return best


def all_cities(cli: list[str], tmp: Path, repeat: int) -> None:
    """The all-cities batch (`--city all`) with --jobs 1 and --jobs 2, and its speed-up."""
    from city_innovation import data

    batch = [*cli, "--city", "all"]
    n = len(data.available_cities())
    one = _best(f"all {n} cities (--city all), --jobs 1", repeat,
                lambda: _run([*batch, "--out", str(tmp / "c1"), "--jobs", "1"]))
    two = _best(f"all {n} cities (--city all), --jobs 2", repeat,
                lambda: _run([*batch, "--out", str(tmp / "c2"), "--jobs", "2"]))
    print(f"  speed-up with 2 jobs = {one / two:.2f} (target >= 1.8)    load average "
          f"{os.getloadavg()[0]:.1f}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebooks-dir", type=Path, default=paths.NOTEBOOKS_DIR)
    parser.add_argument("--repeat", type=int, default=1, help="runs per measure; the best counts")
    parser.add_argument("--only-cities", action="store_true",
                        help="time only the all-cities batch (--city all)")
    args = parser.parse_args(argv)

    folder = args.notebooks_dir.resolve()
    notebooks = {n: p for n, p in plan.discover(folder).items() if n in NOTEBOOK_PARAMS} \
        if folder.is_dir() else {}
    if not notebooks:
        print(f"bench: no numbered notebooks in {folder}; nothing to measure")
        return 0
    [run] = plan.plan_runs(plan.parameter_sets(None, None), notebooks)
    cli = [str(BIN / "city-innovation"), "report", "--notebooks-dir", str(folder), "--quiet",
           "--force"]
    cores = os.cpu_count()
    print(f"bench: {len(notebooks)} notebooks in {_shown(folder)} ({', '.join(notebooks)}); "
          f"{cores} cores (nproc); load average {os.getloadavg()[0]:.1f} at start")

    if args.only_cities:
        with tempfile.TemporaryDirectory(prefix="bench-") as tmp_name:
            all_cities(cli, Path(tmp_name), args.repeat)
        print(f"bench: load average {os.getloadavg()[0]:.1f} at the end")
        return 0

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = {**os.environ, "MPLBACKEND": "Agg"}
        scripts, executed = tmp / "scripts", tmp / "papermill"
        executed.mkdir()
        for path in notebooks.values():
            _run([str(BIN / "jupyter"), "nbconvert", "--to", "script", str(path),
                  "--output-dir", str(scripts)])

        def plain_tools() -> None:
            for task in run.tasks:
                out = executed / Path(task.path).name
                _run([str(BIN / "papermill"), task.path, str(out), "-k", KERNEL_NAME,
                      "--cwd", str(folder), "-y", json.dumps(task.parameters)])
                _run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(out)])

        floor_py = tmp / "floor.py"
        floor_py.write_text(FLOOR, encoding="utf-8")

        def floor(*how: str) -> Callable[[], None]:
            def work() -> None:
                for path in sorted(scripts.iterdir()):  # .py, or .txt without language_info
                    _run([sys.executable, str(floor_py), str(path), *how], cwd=folder, env=env)
            return work

        a = _best("(a) city-innovation report", args.repeat,
                  lambda: _run([*cli, "--out", str(tmp / "a")]))
        b = _best("(b) papermill CLI + jupyter nbconvert --to html", args.repeat, plain_tools)
        c = _best("(c) scripts with python, figures drawn (floor)", args.repeat, floor())
        c0 = _best("(c0) the same scripts, nothing drawn", args.repeat, floor("bare"))
        print(f"  a/b = {a / b:.2f}    a/c = {a / c:.2f} (target <= 1.5)    "
              f"a/c0 = {a / c0:.2f}")

        declared = set().union(*(NOTEBOOK_PARAMS[n].model_fields for n in notebooks))
        runs = tmp / "runs.yaml"
        runs.write_text(json.dumps([
            {"name": f"bench-{i}", **{k: v for k, v in var.items() if k in declared}}
            for i, var in enumerate(VARIATIONS, 1)]), encoding="utf-8")
        batch = [*cli, "--params-file", str(runs)]
        one = _best("batch of 8 parameter sets, --jobs 1", args.repeat,
                    lambda: _run([*batch, "--out", str(tmp / "j1"), "--jobs", "1"]))
        two = _best("batch of 8 parameter sets, --jobs 2", args.repeat,
                    lambda: _run([*batch, "--out", str(tmp / "j2"), "--jobs", "2"]))
        print(f"  speed-up with 2 jobs = {one / two:.2f} (target >= 1.7)")
        all_cities(cli, tmp, args.repeat)
    print(f"bench: load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
