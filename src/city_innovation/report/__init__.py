"""The report package: run the notebooks for one city or many and write their report.

One job per module, types in one place: :mod:`.model` (tasks, outcomes, results, shared
names), :mod:`.findings` (what a notebook records), :mod:`.plan` (which notebooks with which
parameters), :mod:`.execute` (one notebook with papermill), :mod:`.export` (its HTML pages),
:mod:`.pool` (the Executor and stop signals), :mod:`.batch` (many runs), :mod:`.site` (the
report folders and indexes) and :mod:`.pdf`. Notebooks call ``report.record_findings(...)``
in a kernel, so importing the package imports only :mod:`.findings`; the command imports the
modules it needs.
"""

from .findings import record_findings

__all__ = ["record_findings"]
