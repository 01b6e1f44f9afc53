"""minutes: read UK council committee papers into cited, queryable facts."""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .errors import LoadError, MinutesError
from .loaders import load
from .pipeline import Extraction, extract
from .structure import structure

try:
    __version__ = version("minutes")
except PackageNotFoundError:  # running from a checkout without install
    __version__ = "0.0.0"

__all__ = ["extract", "load", "structure", "Extraction", "LoadError", "MinutesError", "__version__"]
