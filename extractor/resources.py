"""Where the package's data (``models/``) lives, installed or in a checkout."""
from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def models_dir() -> Path:
    """``models/`` shipped inside the wheel, or the checkout's top-level ``models/``."""
    for candidate in (_PACKAGE / "models", _PACKAGE.parent / "models"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the minutes models/ data is missing from this installation")


def schema_path() -> Path:
    return _PACKAGE / "records.schema.json"
