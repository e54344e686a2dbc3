"""One exception family for everything the package refuses.

Each error carries a message that names what is wrong (file, field or parameter) and what is
allowed, so the CLI can print it on one line and notebooks can show it without a traceback.
"""

from __future__ import annotations


class CityInnovationError(Exception):
    """Base class of every error raised on purpose by this package."""


class DataError(CityInnovationError):
    """A data file is missing, unreadable or fails validation."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class ParameterError(CityInnovationError, ValueError):
    """A notebook or command parameter has a wrong name, type or value."""


class NotFoundError(CityInnovationError, LookupError):
    """A named city, region, notebook or record does not exist."""


class ParseError(CityInnovationError):
    """A profile text cannot be read as a survey profile."""


class ReportError(CityInnovationError):
    """A report run cannot be written (for example, it exists and --force was not given)."""
