"""Typed errors the library raises; the CLI turns them into one-line messages."""
from __future__ import annotations


class MinutesError(Exception):
    """Base class for errors a user should see as a clear message."""


class LoadError(MinutesError):
    """A file could not be read as a paper. ``str()`` names the file and the reason."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class ScannedPdfError(LoadError):
    """A PDF with no text layer, and no OCR engine to read its images."""
