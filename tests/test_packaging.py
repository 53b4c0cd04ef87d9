"""The project installs as locked: setup.cfg and requirements.lock agree, and builds without warnings."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _check(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(tree / ".ci" / "check_lock.py")], capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """setup.cfg, the lock and the check, copied: a project whose requirements a test may change."""
    (tmp_path / ".ci").mkdir()
    shutil.copy(ROOT / ".ci" / "check_lock.py", tmp_path / ".ci")
    shutil.copy(ROOT / "setup.cfg", tmp_path)
    shutil.copy(ROOT / "requirements.lock", tmp_path)
    return tmp_path


def _edit(tree: Path, old: str, new: str) -> None:
    cfg = tree / "setup.cfg"
    text = cfg.read_text(encoding="utf-8")
    assert old in text
    cfg.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_lock_agrees_with_setup_cfg() -> None:
    done = _check(ROOT)
    assert done.returncode == 0, done.stderr
    assert "agrees" in done.stdout


def test_a_requirement_missing_from_the_lock_fails(tree: Path) -> None:
    _edit(tree, "    croniter>=2.0\n", "    croniter>=2.0\n    leadscraper-no-such-plugin>=1.4\n")
    done = _check(tree)
    assert done.returncode == 1
    assert "leadscraper-no-such-plugin>=1.4 (setup.cfg) is not in requirements.lock" in done.stderr
    assert "make lock" in done.stderr


def test_a_pin_outside_setup_cfgs_range_fails(tree: Path) -> None:
    _edit(tree, "    flask-smorest>=0.45\n", "    flask-smorest>=99\n")
    done = _check(tree)
    assert done.returncode == 1
    assert "flask-smorest>=99 (setup.cfg) but requirements.lock pins flask-smorest==" in done.stderr


def test_a_requirement_dropped_from_setup_cfg_fails(tree: Path) -> None:
    _edit(tree, "    croniter>=2.0\n", "")
    done = _check(tree)
    assert done.returncode == 1
    assert "pins croniter==" in done.stderr and "no longer requires it" in done.stderr


@pytest.mark.slow
def test_the_wheel_builds_without_warnings_and_ships_the_migrations(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    output = done.stdout + done.stderr
    assert "BuildBackendWarning" not in output and "absent from" not in output, output
    [wheel] = tmp_path.glob("leadscraper-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    migrations = {p.name for p in (ROOT / "db" / "migrations" / "versions").glob("*.py")}
    assert {f"db/migrations/versions/{m}" for m in migrations} <= names
    assert {"db/alembic.ini", "db/migrations/env.py", "db/migrations/script.py.mako"} <= names
    assert not any("__pycache__" in n or n.startswith("tests/") for n in names)
