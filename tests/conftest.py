"""Shared fixtures: the bundled corpus, and ../shared when it is beside the checkout."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEED_DOCS = sorted((CORPUS / "docs").glob("00*"))
SHARED = Path(os.environ.get("MINUTES_SHARED", ROOT.parent / "shared"))
SHARED_CORPUS = SHARED / "corpus"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test with the reason when it is not there."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} is not present (papers from public repositories are read from ../shared, never committed)")
    return p


@pytest.fixture
def seed_docs() -> list[Path]:
    return SEED_DOCS


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    """A corpus database of the seed papers, ingested once per test module."""
    import shutil

    from extractor import ingest

    folder = tmp_path_factory.mktemp("corpus") / "papers"
    folder.mkdir()
    for seed in SEED_DOCS:
        shutil.copy(seed, folder / seed.name)
    path = folder.parent / "m.db"
    assert not ingest.ingest([folder], path, jobs=1).failures
    return path
