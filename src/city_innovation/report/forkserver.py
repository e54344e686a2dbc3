"""Warm starts: a report's pool workers and its notebook kernels fork from a fork server.

Starting a worker or a notebook kernel from scratch means importing the same libraries again:
papermill and nbconvert for a worker; pandas, matplotlib, seaborn (and with it scipy) and this
package for a kernel, about two seconds of CPU each time. A :mod:`multiprocessing` fork server
imports them once and forks each process from that state. The command's server preloads what a
worker needs (:data:`WORKER_PRELOAD`); a process that starts kernels (a pool worker, a Dask
worker, or the command itself when a notebook runs in its threads) has its own server, which
preloads what a kernel needs (:data:`KERNEL_PRELOAD`). A process has one fork server: the
preload of whichever use starts it first applies.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from pathlib import Path
from typing import Any

#: What the server of a report's pool workers imports: papermill, nbconvert (:mod:`._worker`).
WORKER_PRELOAD = ["city_innovation.report._worker"]

#: What the server of notebook kernels imports: a kernel's libraries (:mod:`._kernel`).
KERNEL_PRELOAD = ["city_innovation.report._kernel"]


def available() -> bool:
    """Whether this platform has a fork server (otherwise processes start from scratch)."""
    return "forkserver" in multiprocessing.get_all_start_methods()


def context(preload: list[str]) -> Any:
    """The multiprocessing context to start processes with: the fork server, told to preload
    ``preload`` (not the caller's ``__main__``) if it is not running yet; spawn without one."""
    if not available():
        return multiprocessing.get_context("spawn")
    forking = multiprocessing.get_context("forkserver")
    forking.set_forkserver_preload(preload)
    return forking


def end_with(pid: int, what: str, every: float = 1.0) -> None:
    """End this process (``what``, named for the thread that watches) once process ``pid`` is
    gone, e.g. killed with SIGKILL or by the out-of-memory killer.

    A pool worker cannot notice otherwise: it holds both ends of the pool's queues itself and
    waits on them for ever, and it keeps its fork server alive with it. A forked kernel's parent
    is the server, not the process it runs for, so ipykernel's own watch of its parent would
    not notice either.
    """

    def watch() -> None:
        while not _gone(pid):
            time.sleep(every)
        os._exit(1)

    threading.Thread(target=watch, name=f"end {what} with {pid}", daemon=True).start()


def _gone(pid: int) -> bool:
    """Whether process ``pid`` has ended (a zombie, dead but not yet reaped, has ended too)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, but not ours to signal
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:  # no /proc: a zombie counts as running until it is reaped
        return False
    return stat.rsplit(")", 1)[-1].split()[:1] in (["Z"], ["X"])
