"""City innovation capacity and regional smart-specialisation analyses."""

__version__ = "0.1.0"
