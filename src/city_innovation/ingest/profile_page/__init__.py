"""Read a city's profile as published on the survey site (copied as text) into a Profile.

A pipeline in stages, one module each: :mod:`.text` (clean the text into lines, find where a
cut-off page stops), :mod:`.layout` (tell the full and compact renderings apart and cut the page
into sections), :mod:`.sentences` and :mod:`.readers` (one reader per section fills a draft),
:mod:`.assemble` (build the Profile, its flags and warnings) and :mod:`.write` (the profile as a
data file). The names below are what the command line and other packages use.
"""

from __future__ import annotations

from .assemble import ParseResult, parse_file, parse_text
from .text import MAX_BYTES, decode, normalise
from .write import default_output, tidy, to_yaml, write_profile

__all__ = [
    "MAX_BYTES",
    "ParseResult",
    "decode",
    "default_output",
    "normalise",
    "parse_file",
    "parse_text",
    "tidy",
    "to_yaml",
    "write_profile",
]
