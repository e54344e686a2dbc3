"""Preloaded by the fork server of ``city-innovation report``'s process pool.

Importing it imports papermill and nbconvert and builds the HTML exporter (about half a second of
work at import time, on purpose): the fork server imports it once, while the command validates
its parameters, and every worker forked from the server starts with all of it loaded. It is
named in :data:`.pool.WORKER_PRELOAD`; nothing imports it otherwise.
"""

from .execute import warm_tools

warm_tools()
