from click.testing import CliRunner

from extractor import __version__
from extractor.cli import main

from .conftest import SEED_DOCS


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_text_prints_the_plain_text():
    result = CliRunner().invoke(main, ["text", str(SEED_DOCS[2])])
    assert result.exit_code == 0
    assert "Cambridge Education" in result.output


def test_extract_jsonl_has_a_document_per_paper():
    import json

    result = CliRunner().invoke(main, ["extract", *map(str, SEED_DOCS), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    docs = [json.loads(line) for line in result.output.splitlines() if '"document"' in line]
    assert len([d for d in docs if d["type"] == "document"]) == len(SEED_DOCS)
