"""The shipped registers, and `register check` catching what a curator can get wrong."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import main
from extractor.registers import (check_register, load_lgsl, load_register, shipped_register, RegisterError)
from tests.conftest import shared_path

SERVICE_HEADER = "id,name,category,aliases,lgsl\n"
PROVIDER_HEADER = "id,name,kind,parent,aliases\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_shipped_services_register_is_broad_and_clean():
    services = shipped_register("services")
    assert len(services) >= 150
    categories = {e.category for e in services}
    for wanted in ("education", "childrens-social-care", "adult-social-care", "public-health", "highways-transport",
                   "waste-environment", "planning-regulation", "housing", "culture-leisure", "revenues-benefits",
                   "corporate"):
        assert wanted in categories
    assert sum(1 for e in services if e.lgsl) >= 120
    assert [p for p in check_register(services) if p.level == "error"] == []


def test_shipped_providers_register_is_clean_and_groups_babcock():
    providers = shipped_register("providers")
    assert [p for p in check_register(providers) if p.level == "error"] == []
    for child in ("babcock-prime", "babcock-4s"):
        assert providers.group_of(child) == "babcock-international"
    assert providers.group_of("cambridge-education") == "mott-macdonald"
    assert providers.group_of("csg") == "capita"


def test_lgsl_ids_exist_in_the_lgsl_export():
    lgsl = load_lgsl(shared_path("registers", "esd_LGSL_englishAndWelshServices-all.csv"))
    problems = check_register(shipped_register("services"), lgsl)
    assert [str(p) for p in problems] == []


def test_check_finds_duplicate_ids_shared_aliases_empty_names_and_unknown_lgsl(tmp_path):
    f = write(tmp_path, "mine.csv", SERVICE_HEADER
              + "libraries,Libraries,culture-leisure,library service,437\n"
              + "libraries,Library hubs,culture-leisure,,\n"
              + "mobile-libraries,,culture-leisure,Library services,99999\n"
              + "arts,Arts,culture-leisure,,12x\n")
    lgsl = {"437": ("Library facilities", "Live")}
    messages = [p.message for p in check_register(load_register(f), lgsl)]
    assert any("duplicate id" in m for m in messages)
    assert any("empty name" in m for m in messages)
    assert any("also claimed by 'libraries'" in m for m in messages)  # "Library services" folds to "library"
    assert any("unknown LGSL id 99999" in m for m in messages)
    assert any("not a number" in m for m in messages)


def test_check_finds_unknown_parent_and_kind(tmp_path):
    f = write(tmp_path, "providers.csv", PROVIDER_HEADER
              + "acme,Acme Ltd,company,acme-holdings,\n" + "beta,Beta,widget_maker,,\n")
    register = load_register(f)
    assert register.kind == "providers"
    messages = [p.message for p in check_register(register)]
    assert any("unknown parent 'acme-holdings'" in m for m in messages)
    assert any("unknown kind 'widget_maker'" in m for m in messages)


def test_register_check_command(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(main, ["register", "check"])
    assert ok.exit_code == 0, ok.output
    assert "services, " in ok.output and "providers, " in ok.output and "0 error(s)" in ok.output
    bad = write(tmp_path, "bad.csv", SERVICE_HEADER + "x,X,education,,\nx,Y,education,,\n")
    result = runner.invoke(main, ["register", "check", str(bad)])
    assert result.exit_code == 1
    assert "bad.csv:3: error: x: duplicate id" in result.output


def test_unreadable_register_is_one_clear_error(tmp_path):
    junk = tmp_path / "junk.csv"
    junk.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(RegisterError, match="junk.csv"):
        load_register(junk)
    result = CliRunner().invoke(main, ["register", "check", str(tmp_path / "missing.csv")])
    assert result.exit_code == 1
    assert "missing.csv: no such register file" in result.output
    assert "Traceback" not in result.output
