"""A plain (non-editable) install finds its own models/ and runs, away from the checkout."""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SEED_DOCS

# pip's messages when it cannot fetch the build backend (hatchling) without a network
_OFFLINE_SIGNS = ("No matching distribution", "Could not find a version", "Failed to establish",
                  "NewConnectionError", "Temporary failure in name resolution", "Network is unreachable")


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("site")
    cmd = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target)]
    if importlib.util.find_spec("hatchling") is not None:
        cmd.append("--no-build-isolation")  # build with the local backend, no download at all
    cmd.append(str(ROOT))
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    if proc.returncode != 0:
        if any(sign in proc.stderr for sign in _OFFLINE_SIGNS):
            pytest.skip("pip cannot fetch the build backend (hatchling) offline: " + proc.stderr.strip().splitlines()[-1])
        pytest.fail(f"pip install --target failed:\n{proc.stderr}")
    return target


def _run(target: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    # PYTHONPATH puts the plain install ahead of the editable one; cwd keeps the checkout off sys.path
    env = dict(os.environ, PYTHONPATH=str(target))
    return subprocess.run(args, capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


def test_installed_package_uses_its_own_models(installed, tmp_path):
    probe = ("import json, extractor, extractor.nlp as nlp; from extractor.resources import models_dir; "
             "print(json.dumps([extractor.__file__, str(models_dir()), [str(p) for p in nlp.rule_files()]]))")
    proc = _run(installed, tmp_path, sys.executable, "-c", probe)
    assert proc.returncode == 0, proc.stderr
    package_file, models, rules = json.loads(proc.stdout)
    assert Path(package_file).is_relative_to(installed)
    assert Path(models) == installed / "extractor" / "models"
    assert all(Path(r).is_relative_to(installed) for r in rules)
    shipped = sorted(p.name for p in (ROOT / "models").rglob("*") if p.is_file() and not p.name.startswith("."))
    in_wheel = sorted(p.name for p in Path(models).rglob("*") if p.is_file())
    assert shipped == in_wheel


def test_installed_command_runs_on_a_seed(installed, tmp_path):
    minutes = installed / "bin" / "minutes"
    command = [str(minutes)] if minutes.exists() else [sys.executable, "-m", "extractor"]
    version = _run(installed, tmp_path, *command, "--version")
    assert version.returncode == 0, version.stderr
    assert "minutes" in version.stdout
    out = _run(installed, tmp_path, *command, "extract", str(SEED_DOCS[2]), "--format", "jsonl")
    assert out.returncode == 0, out.stderr
    records = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    assert records and records[0]["type"] == "document"
