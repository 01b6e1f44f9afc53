"""``minutes report``: one self-contained HTML file — every paper's text escaped — checked in a real headless Chromium."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor import ingest as ing
from extractor.cli import main
from extractor.outputs.report import build_report, write_report

from .conftest import SEED_DOCS

SCRIPT = "<script>alert(1)</script>"
HOSTILE = f"""London Borough of Barnet
Cabinet
Date of meeting: 1 June 2019

Library {SCRIPT} report

1. Libraries

RESOLVED that the Council review the {SCRIPT} library contract with "><img src=x onerror=alert(2)> Acme Ltd by 1 March 2020.

2. Services

2.1 The library service was transferred to Acme Ltd on 1 April 2018.
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    folder = root / "papers"
    (folder / "barnet").mkdir(parents=True)
    for seed in SEED_DOCS:
        shutil.copy(seed, folder / seed.name)
    (folder / "barnet" / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    path = root / "m.db"
    assert not ing.ingest([folder], path, jobs=1).failures
    return path


@pytest.fixture(scope="module")
def page(db) -> str:
    return build_report(db, as_of="2021-01-01")


def test_paper_text_is_escaped(page):
    assert SCRIPT not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    assert page.count("<script>") == 1  # ours, allowed by hash in the Content Security Policy


def test_self_contained_no_network(page):
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", page, re.IGNORECASE)
    assert not re.search(r"@import|url\(\s*['\"]?(?:https?:)?//", page)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src &#x27;none&#x27;" in csp and "script-src &#x27;sha256-" in csp


def test_sections_and_links_to_every_quote(page):
    for section in ("overview", "matrix", "followup", "kpis", "records"):
        assert f'<section id="{section}">' in page
    anchors = set(re.findall(r'id="(r\d+)"', page))
    links = set(re.findall(r'href="#(r\d+)"', page))
    assert links and links <= anchors  # every link from the matrix, tracker and charts lands on a record
    assert "Babcock Prime" in page and "cambridge-education" in page  # providers with their register ids
    assert "followed up" in page or "overdue" in page
    assert page.count('class="chart kpi-chart"') >= 1


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no Chromium on this machine: `make test` installs Debian's chromium when run as root with apt "
                "(or: apt-get install -y chromium)")


def test_loads_in_headless_chromium_without_console_errors_and_charts_render(db, tmp_path):
    browser = _chromium()
    report = write_report(db, tmp_path / "report.html", as_of="2021-01-01")
    run = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
         f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
         "--virtual-time-budget=5000", "--dump-dom", report.resolve().as_uri()],
        capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    console = [line for line in run.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]
    assert console == [], console  # no script error, no CSP violation (a blocked fetch or script logs one)
    dom = run.stdout
    assert 'data-ready="1"' in dom  # our script ran (the CSP hash matches it)
    charts = build_report(db, as_of="2021-01-01").count('class="chart kpi-chart"')
    drawn = int(re.search(r'data-charts-drawn="(\d+)"', dom).group(1))
    assert charts >= 1 and drawn == charts  # every chart laid out with a size and its points
    assert dom.count("<svg") >= charts and "<circle" in dom and "<polyline" in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom and SCRIPT not in dom


def test_cli_writes_the_report(db, tmp_path):
    out = tmp_path / "out" / "r.html"
    result = CliRunner().invoke(main, ["report", "--db", str(db), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>") and str(out.resolve()) in result.output
    result = CliRunner().invoke(main, ["report", "--db", str(tmp_path / "none.db"), "-o", str(out)])
    assert result.exit_code == 1 and "no corpus database" in result.output
