"""Imported once by ingest's forkserver, so that every worker it forks starts ready.

A forked worker shares what its forkserver had already done: importing spaCy
(about half a second), the loaders and extractors (their rules compiled) and
building the spaCy pipeline. Done here once, none of it is repeated per worker,
and the workers start extracting as soon as they exist.
"""
from __future__ import annotations

from .extract import _extractors
from .loaders import docx, html, pdf, text  # noqa: F401  (imported for their side: loaded once)
from .nlp import get_nlp
from .pipeline import extract  # noqa: F401

_extractors()
get_nlp()
