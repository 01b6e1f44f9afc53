"""Every record of every development paper validates against the schema and quotes its source exactly."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from extractor.loaders import load
from extractor.pipeline import extract
from extractor.resources import schema_path

from .conftest import SEED_DOCS, SHARED_CORPUS


def _papers() -> list[Path]:
    shared_docs = SHARED_CORPUS / "docs"
    shared = sorted(p for p in shared_docs.iterdir() if p.is_file()) if shared_docs.is_dir() else []
    # the seeds are also in ../shared: test each paper once
    names = {p.name for p in SEED_DOCS}
    return [*SEED_DOCS, *(p for p in shared if p.name not in names)]


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _load_or_skip(path: Path):
    try:
        return load(path)
    except ModuleNotFoundError as exc:  # a format whose loader is not in this checkout yet
        pytest.skip(f"{path.name}: no loader for this format yet ({exc})")


@pytest.mark.parametrize("paper", _papers(), ids=lambda p: p.name)
def test_every_record_validates_and_quotes_its_source(paper: Path, validator):
    document = _load_or_skip(paper)
    result = extract(paper)
    # offsets index the text exactly as `minutes text` prints it, which is load()'s text
    assert result.document.text == document.text
    records = [r.to_dict() for r in result.records]
    assert [r["type"] for r in records].count("document") == 1
    invalid = []
    misquoted = []
    for record in records:
        errors = [e.message for e in validator.iter_errors(record)]
        if errors:
            invalid.append((record, errors[:2]))
        source = record.get("source")
        if source is not None and document.text[source["start"]:source["end"]] != source["quote"]:
            misquoted.append((record["type"], source["start"], source["end"], source["quote"][:80],
                              document.text[source["start"]:source["end"]][:80]))
        if record["type"] != "document":
            assert source is not None, f"{record['type']} record without a source: {record}"
    assert not invalid, f"{len(invalid)} invalid record(s), first: {invalid[0]}"
    assert not misquoted, f"{len(misquoted)} quote(s) that are not text[start:end], first: {misquoted[0]}"


def test_the_cli_text_is_the_text_offsets_refer_to():
    from click.testing import CliRunner

    from extractor.cli import main

    paper = SEED_DOCS[2]
    printed = CliRunner().invoke(main, ["text", str(paper)]).output
    text = load(paper).text
    assert printed == (text if text.endswith("\n") else text + "\n")
