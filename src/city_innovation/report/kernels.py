"""Report kernels forked from a warm server instead of started from scratch.

A new notebook kernel spends most of its start importing pandas, matplotlib, seaborn (and with
it scipy) and this package: about two seconds of CPU, before the notebook's first cell does
anything. Report runs start many kernels, so they fork them from a server that did those
imports once (:mod:`.forkserver`).

They are started by a kernel provisioner, jupyter_client's documented way to start kernels
otherwise (:class:`ForkingProvisioner`, registered as :data:`PROVISIONER` in the package's entry
points). The report's kernel manager asks for it only for a kernel spec that would run
``ipykernel_launcher`` on this very interpreter (:func:`with_forking`), and not in a daemonic
process (a Dask worker's, which may not start processes this way); any other kernel starts as
jupyter_client starts it. A forked kernel leads a session of its own, has the run's
environment, folder and stderr, and ends when the process it runs for ends.
"""

from __future__ import annotations

import functools
import json
import multiprocessing
import os
import signal
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jupyter_client.kernelspec import KernelSpec
from jupyter_client.provisioning import LocalProvisioner

from . import forkserver

#: The name the provisioner is registered under (``jupyter_client.kernel_provisioners``).
PROVISIONER = "city-innovation-fork"


def can_fork(spec: KernelSpec) -> bool:
    """Whether ``spec`` starts ``ipykernel_launcher`` on this interpreter (then it can fork)."""
    argv = list(spec.argv)
    if len(argv) < 5 or argv[-4:] != ["-m", "ipykernel_launcher", "-f", "{connection_file}"]:
        return False
    if any(not flag.startswith("-X") for flag in argv[1:-4]):
        return False
    try:
        return Path(argv[0]).resolve() == Path(sys.executable).resolve()
    except OSError:
        return False


def with_forking(spec: KernelSpec) -> KernelSpec:
    """``spec`` asking for :class:`ForkingProvisioner` when it can fork, else ``spec`` itself."""
    if not forkserver.available() or multiprocessing.current_process().daemon \
            or not can_fork(spec):  # a daemonic process (a Dask worker's) may not fork one
        return spec
    metadata = {**spec.metadata, "kernel_provisioner": {"provisioner_name": PROVISIONER}}
    return KernelSpec(**{**spec.to_dict(), "metadata": metadata,
                         "resource_dir": spec.resource_dir})


class ForkedKernel:
    """The parts of :class:`subprocess.Popen` jupyter_client's provisioner uses, for a kernel
    forked by the server (a :class:`multiprocessing.Process`)."""

    stdin = stdout = stderr = None

    def __init__(self, process: Any) -> None:
        self.process = process
        self.pid: int = process.pid

    def poll(self) -> int | None:
        return self.process.exitcode

    def wait(self, timeout: float | None = None) -> int | None:
        self.process.join(timeout)
        return self.process.exitcode

    def send_signal(self, signum: int) -> None:
        if self.process.exitcode is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class ForkingProvisioner(LocalProvisioner):  # type: ignore[misc]
    """jupyter_client's local provisioner, but the kernel is forked from the warm server."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        """Fork the kernel; one whose stdin or stdout is redirected, or whose stderr is not a
        named file, is started as jupyter_client starts it."""
        stderr = kwargs.get("stderr")
        stderr_path = getattr(stderr, "name", None) if stderr is not None else None
        if kwargs.get("stdin") is not None or kwargs.get("stdout") is not None or (
                stderr is not None and not isinstance(stderr_path, str)):
            return await super().launch_kernel(cmd, **kwargs)
        if stderr is not None:
            stderr.flush()
        connection_file = cmd[-1]
        env = dict(kwargs.get("env") or os.environ)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        forking = forkserver.context(forkserver.KERNEL_PRELOAD)
        reply, ready = forking.Pipe(duplex=False)
        process = forking.Process(
            target=_kernel_main, name="city-innovation kernel", daemon=True,
            args=(connection_file, env, cwd, stderr_path, ready, os.getpid()))
        process.start()
        ready.close()
        reply.recv()  # the kernel leads its own session now: signals go to its group
        reply.close()
        self.process = ForkedKernel(process)
        self.pid = process.pid
        self.pgid = process.pid
        self.cwd = cwd
        return self.connection_info


def _kernel_main(connection_file: str, env: Mapping[str, str], cwd: str,
                 stderr_path: str | None, ready: Any, launcher: int) -> None:
    """In the forked process: become the kernel a fresh ``ipykernel_launcher`` would be.

    It was started daemonic, so that the process which asked for it (``launcher``) ends it if
    it is still running when that process exits; as a kernel it is not, so that a notebook may
    start processes of its own (as in a fresh kernel). It ends when the launcher ends, as a
    started kernel ends with its parent; ``JPY_PARENT_PID`` names the launcher, as jupyter_client
    names it to the kernels it starts.
    """
    multiprocessing.current_process().daemon = False
    os.setsid()
    ready.send(True)
    ready.close()
    if stderr_path:
        fd = os.open(stderr_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.dup2(fd, 2)
        os.close(fd)
    os.environ.clear()
    os.environ.update(env)
    os.environ["JPY_PARENT_PID"] = str(launcher)
    sys.dont_write_bytecode = bool(env.get("PYTHONDONTWRITEBYTECODE"))  # the server runs with -B
    forkserver.end_with(launcher, "kernel")
    os.chdir(cwd)
    from ipykernel import kernelapp

    sys.path[:] = fresh_sys_path()
    sys.argv = [kernelapp.__file__, "-f", connection_file]
    app = kernelapp.IPKernelApp.instance()
    # ipykernel's own watch of its parent, here the server.
    app.initialize(["-f", connection_file, f"--IPKernelApp.parent_handle={os.getppid()}"])
    _as_imported_in_a_kernel()
    app.start()


def _as_imported_in_a_kernel() -> None:
    """Set what the libraries the server preloaded chose at import from where they ran.

    The server is not a Jupyter kernel: matplotlib read no ``MPLBACKEND`` there (ipykernel sets
    it while initialising), and pandas, taking it for a terminal, fitted tables to its width
    (``display.max_columns`` 0) with the terminal's encoding. In a kernel pandas shows up to 20
    columns, and the console is the kernel's output stream. A test compares a forked kernel's
    options with a fresh kernel's.
    """
    import matplotlib
    import pandas

    if os.environ.get("MPLBACKEND"):
        matplotlib.rcParams["backend"] = os.environ["MPLBACKEND"]
    pandas.set_option("display.max_columns", 20)
    pandas.set_option("display.encoding", sys.stdout.encoding)


@functools.cache
def fresh_sys_path() -> list[str]:
    """``sys.path`` as ``python -m ipykernel_launcher`` starts with it on this interpreter.

    The server took the path of the process that started it (a script's folder, or the tests'
    folders under pytest); a forked kernel gets this one instead. The server asks once, as it
    preloads (:mod:`._kernel`).
    """
    out = subprocess.run([sys.executable, "-c", "import json, sys; print(json.dumps(sys.path))"],
                         capture_output=True, text=True, check=True, cwd="/").stdout
    return [entry for entry in json.loads(out) if entry]  # the launcher drops the '' entry
