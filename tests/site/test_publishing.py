"""The workflow that publishes the book to GitHub Pages (``.github/workflows/publish.yml``).

It cannot run here (no network but the package registries): these checks read it. It runs
the README's two build commands, ``make site`` and ``make pdf``, uploads ``_build/html`` (the
PDF inside it) as the Pages artifact and deploys it; actionlint, which ``make lint`` also
runs, finds nothing wrong in it, and does find a mistake put into a copy of it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml

from tools.browser import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
ACTIONLINT = shutil.which("actionlint", path=str(ROOT / ".venv" / "bin")) or "actionlint"


def workflow() -> dict[Any, Any]:
    loaded: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return loaded


def steps(job: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = workflow()["jobs"][job]["steps"]
    return found


def test_it_builds_with_the_readme_s_commands() -> None:
    commands = "\n".join(step.get("run", "") for step in steps("build"))
    assert commands.index("make site") < commands.index("make pdf")
    assert "python:3.11" in workflow()["jobs"]["build"]["container"]


def test_it_publishes_the_site_with_the_pdf() -> None:
    on = workflow()[True]  # YAML reads the key `on` as True
    assert on["push"]["branches"] == ["main"]
    upload = [
        s for s in steps("build") if str(s.get("uses", "")).startswith("actions/upload-pages")
    ]
    assert upload and upload[0]["with"]["path"] == "_build/html"
    deploy = workflow()["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any(str(s.get("uses", "")).startswith("actions/deploy-pages") for s in deploy["steps"])


def actionlint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ACTIONLINT, str(path)], capture_output=True, text=True)


def test_actionlint_passes_it() -> None:
    run = actionlint(WORKFLOW)
    assert run.returncode == 0, run.stdout + run.stderr


def test_actionlint_sees_a_mistake(tmp_path: Path) -> None:
    broken = tmp_path / ".github" / "workflows" / "publish.yml"
    broken.parent.mkdir(parents=True)
    text = WORKFLOW.read_text(encoding="utf-8")
    broken.write_text(text.replace("steps.deployment.outputs", "steps.deploy.outputs"))
    run = actionlint(broken)
    assert run.returncode != 0 and "deploy" in run.stdout, run.stdout
