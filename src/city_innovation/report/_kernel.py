"""Preloaded by the fork server that report kernels fork from (:mod:`.kernels`).

Importing it imports what a notebook kernel imports: ipykernel, pandas, matplotlib, seaborn and
this package's analyses and figures. It reads no data and sets no option: each forked kernel
starts from the same clean state a fresh one would. Nothing imports it otherwise.
"""

import ipykernel.kernelapp  # noqa: F401
import matplotlib.pyplot  # noqa: F401
import pandas  # noqa: F401
import seaborn  # noqa: F401

from city_innovation import data, params, plots, report  # noqa: F401
from city_innovation.analysis import (  # noqa: F401
    across_rounds,
    funding,
    instruments,
    peer_text,
    peers,
    profile,
    profile_text,
    regions,
    targets,
    themes,
)
from city_innovation.report import kernels

kernels.fresh_sys_path()  # asked once here, inherited by every kernel forked from the server
