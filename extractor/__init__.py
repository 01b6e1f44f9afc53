"""minutes: read UK council committee papers into cited, queryable facts."""
from __future__ import annotations

from .errors import LoadError, MinutesError

# The one place the version is written (pyproject.toml reads it from here).
__version__ = "0.1.0"

__all__ = ["extract", "load", "structure", "Extraction", "LoadError", "MinutesError", "__version__"]

# Imported on first use: a command with nothing to extract (an unchanged re-ingest,
# a search) then starts without loading the loaders and the extraction pipeline.
_LAZY = {"load": ".loaders", "extract": ".pipeline", "Extraction": ".pipeline", "structure": ".structure"}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
