"""Fixtures for browser tests: Debian's chromium driven by Playwright, and a JupyterLab server.

Without /usr/bin/chromium the tests skip with a message saying how to enable them; with
``CITY_INNOVATION_REQUIRE_BROWSER=1`` (set by .ci/run) a missing browser fails instead.
Everything started here is stopped at the end, also when a test fails.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from city_innovation.paths import NOTEBOOKS_DIR
from city_innovation.report.execute import fits_socket_path

CHROMIUM = os.environ.get("CITY_INNOVATION_CHROMIUM", "/usr/bin/chromium")
REQUIRE = os.environ.get("CITY_INNOVATION_REQUIRE_BROWSER") == "1"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def _need_chromium() -> str:
    if Path(CHROMIUM).is_file():
        return CHROMIUM
    message = (f"browser tests need chromium at {CHROMIUM}: install it with "
               "`sudo apt-get install chromium` (or set CITY_INNOVATION_CHROMIUM)")
    if REQUIRE:
        pytest.fail(message + " (CITY_INNOVATION_REQUIRE_BROWSER=1 is set)")
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Lab:
    url: str
    token: str
    root: Path

    def app_url(self) -> str:
        """JupyterLab with a fresh workspace (no tab of an earlier session restored)."""
        return f"{self.url}/lab?token={self.token}&reset"

    def wait_for_idle_kernel(self, name: str, timeout: float = 120) -> None:
        """Wait until the server's kernel of notebook ``name`` has started and is idle.

        The page's status indicator is not the kernel's own state; the server's sessions are.
        Runs in Lab hung twice under load, most likely a kernel that lost a TCP port to one
        starting beside it (the server's kernels now use Unix sockets, see :func:`lab`);
        starting from a kernel the server reports idle also rules out a kernel still starting.
        """
        deadline = time.monotonic() + timeout
        while True:
            with urllib.request.urlopen(f"{self.url}/api/sessions?token={self.token}",
                                        timeout=10) as answer:
                sessions = json.load(answer)
            states = [s["kernel"]["execution_state"] for s in sessions
                      if s.get("path") == name and s.get("kernel")]
            if states == ["idle"]:
                return
            if time.monotonic() > deadline:
                pytest.fail(f"the kernel of {name} is not idle after {timeout:.0f} s: {states}")
            time.sleep(0.25)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A headless chromium controlled by Playwright (closed at the end of the session)."""
    executable = _need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """JupyterLab on a free loopback port, serving a copy of notebooks/ (token on)."""
    _need_chromium()
    base = tmp_path_factory.mktemp("lab")
    root = base / "notebooks"
    shutil.copytree(NOTEBOOKS_DIR, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    port, token = _free_port(), secrets.token_hex(16)
    # Kernels on Unix sockets (see city_innovation.report.execute.kernel_endpoint), in a runtime
    # folder whose path is short enough for a socket's: the server names them
    # <runtime>/kernel-<36-character id>-ipc-N; macOS's temporary folder is too deep for that.
    runtime = tempfile.mkdtemp(prefix="lab-", dir="/tmp" if os.name == "posix" else None)
    ipc = os.name == "posix" and fits_socket_path(Path(runtime, f"kernel-{uuid.uuid4()}-ipc"))
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": runtime,
           "JUPYTERLAB_SETTINGS_DIR": str(base / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces")}
    # No news pop-up over the notebook in screenshots.
    news = base / "settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    # Render every cell (JupyterLab 4 otherwise renders only the cells in view).
    tracker = base / "settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    log = (base / "lab.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         *(["--KernelManager.transport=ipc"] if ipc else []),
         # window.jupyterapp: the tests open each notebook with the file browser's command
         # in one page instead of loading JupyterLab again for each.
         "--LabApp.expose_app_in_browser=True",
         "--LabApp.news_url=None", "--LabApp.check_for_updates_class="
         "jupyterlab.NeverCheckForUpdate",
         *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])],
        stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start; see {base / 'lab.log'}")
                time.sleep(0.5)
        yield Lab(url=url, token=token, root=root)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        shutil.rmtree(runtime, ignore_errors=True)
