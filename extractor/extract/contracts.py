"""`contracts` extractor (being written)."""
from __future__ import annotations


def extract(ctx):
    return []
