import os
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from extractor import __version__, cli, commands
from extractor.cli import main

from .conftest import ROOT, SEED_DOCS


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


# --- the calls run without click (extractor.cli.run_without_click) -----------------------------

def test_version_without_click_says_what_click_says(capsys):
    assert cli.run_without_click(["--version"]) == 0
    assert capsys.readouterr().out == CliRunner().invoke(main, ["--version"]).output


@pytest.mark.parametrize("args", [
    ["papers"],
    ["a.pdf", "b folder", "--db", "m.db"],
    ["papers", "--db=m.db", "--jobs", "2", "--force", "--council", "Kent"],
    ["--jobs=3", "papers", "more"],
    ["-j", "1", "papers", "--council=East Anglia", "a=b.txt"],
    ["papers", "--force", "--db", "x/y.db", "--jobs", "12"],
])
def test_plain_ingest_arguments_are_parsed_as_click_parses_them(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.parse_ingest_args(args) == commands.ingest.make_context("ingest", list(args)).params


@pytest.mark.parametrize("args", [
    [], ["--db", "m.db"], ["papers", "--help"], ["papers", "-h"], ["papers", "--"], ["papers", "-j2"],
    ["papers", "-j=2"], ["papers", "--jobs", "0"], ["papers", "--jobs", "two"], ["papers", "--jobs", "²"],
    ["papers", "--db"], ["papers", "--db", "-x"], ["papers", "--db="], ["papers", "--force=yes"],
    ["papers", "--db", "a.db", "--db", "b.db"], ["papers", "--jobs", "1", "-j", "2"], ["papers", "--verbose"],
    ["-"], [""], ["papers", "--db", "."],
])
def test_other_ingest_arguments_are_left_to_click(args):
    assert cli.parse_ingest_args(args) is None


def _normalised(text: str) -> str:
    return re.sub(r"in \d+\.\d s", "in N s", text)


def test_ingest_without_click_prints_and_exits_as_the_click_command(tmp_path, capsys):
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "minutes.txt").write_text("Minutes of the Pinecastle Scrutiny Committee\n\n1. Apologies\n\n"
                                        "None were received.\n", encoding="utf-8")
    runs = (["ingest", str(folder), "-j", "1"],  # the first run, then an unchanged one
            ["ingest", str(folder), "-j", "1"],
            ["ingest", str(folder), str(tmp_path / "nope.pdf"), "-j", "1"])
    for args in runs:
        code = cli.run_without_click([*args, "--db", str(tmp_path / "m.db")])
        fast = capsys.readouterr()
        clicked = CliRunner().invoke(main, [*args, "--db", str(tmp_path / "other.db")])
        assert code == clicked.exit_code
        assert (fast.out, _normalised(fast.err).replace("m.db", "other.db")) == (clicked.stdout, _normalised(clicked.stderr))
    assert code == 1 and "nope.pdf: no such file" in fast.err


def test_an_unchanged_reingest_starts_without_click_rich_or_the_pipeline(tmp_path):
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "agenda.txt").write_text("Agenda of the Pinecastle Cabinet\n\n1. Minutes\n", encoding="utf-8")
    db = tmp_path / "m.db"
    script = ("import sys\nfrom extractor.cli import run_without_click\n"
              f"code = run_without_click(['ingest', {str(folder)!r}, '--db', {str(db)!r}, '--jobs', '1'])\n"
              "print(code, sorted(m for m in ('click', 'rich', 'extractor.pipeline', 'extractor.commands') if m in sys.modules))")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    run = [sys.executable, "-c", script]
    first = subprocess.run(run, cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert first.stdout.split(None, 1)[0] == "0", first.stderr
    again = subprocess.run(run, cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert again.stdout.strip() == "0 []", again.stderr
    assert "0 paper(s) ingested" in again.stderr and "1 unchanged" in again.stderr


def test_the_console_script_sets_its_collector_and_leaves_its_heap_to_the_os_at_exit(tmp_path):
    # run as the console script runs it: main() with no arguments, ending in SystemExit
    script = ("import atexit, gc, sys\nfrom extractor import cli\n"
              "before = gc.get_threshold()\n"
              "atexit.register(lambda: print(before, gc.get_threshold() == cli.COMMAND_GC_THRESHOLDS, gc.get_freeze_count() > 0))\n"
              "sys.argv = ['minutes', '--version']\ncli.main()\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == ["minutes, version " + __import__("extractor").__version__,
                                        f"{__import__('gc').get_threshold()} True True"], done.stderr
    # called with arguments (as click's test runner and other programs do), it changes nothing
    import gc

    from click.testing import CliRunner

    from extractor.cli import main
    threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
    assert CliRunner().invoke(main, ["--version"]).exit_code == 0
    assert (gc.get_threshold(), gc.get_freeze_count()) == (threshold, frozen)
