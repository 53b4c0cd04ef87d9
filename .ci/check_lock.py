"""Fails when setup.cfg's requirements and requirements.lock disagree (``make check-lock``, CI).

Every requirement of setup.cfg (``install_requires`` and the ``dev`` extra) must be pinned in the lock
at a version it allows, and every pin the lock took from setup.cfg must still be required there.
That the pins satisfy one another is ``pip check``'s part, after ``make install``.
"""

from __future__ import annotations

import configparser
import re
import sys
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
DIRECT = "leadscraper (setup.cfg)"  # how pip-compile marks a pin that setup.cfg asked for


def required() -> dict[str, Requirement]:
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    lines = (
        cfg["options"]["install_requires"].splitlines() + cfg["options.extras_require"]["dev"].splitlines()
    )
    env = {**default_environment(), "extra": "dev"}
    reqs = [Requirement(line) for line in (raw.split("#")[0].strip() for raw in lines) if line]
    return {canonicalize_name(r.name): r for r in reqs if r.marker is None or r.marker.evaluate(env)}


def locked() -> tuple[dict[str, str], set[str]]:
    """The lock's pins (name -> version) and the names pinned because setup.cfg requires them."""
    pins: dict[str, str] = {}
    direct: set[str] = set()
    current = ""
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        pin = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", line)
        if pin:
            current = canonicalize_name(pin.group(1))
            pins[current] = pin.group(2)
        elif current and DIRECT in line:
            direct.add(current)
    return pins, direct


def main() -> int:
    if not LOCK.is_file():
        print("requirements.lock is missing: run `make lock`", file=sys.stderr)
        return 1
    reqs = required()
    pins, direct = locked()
    problems = []
    for name, req in sorted(reqs.items()):
        if name not in pins:
            problems.append(f"{req} (setup.cfg) is not in requirements.lock")
        elif not req.specifier.contains(pins[name], prereleases=True):
            problems.append(f"{req} (setup.cfg) but requirements.lock pins {name}=={pins[name]}")
    for name in sorted(direct - set(reqs)):
        problems.append(
            f"requirements.lock pins {name}=={pins[name]} for setup.cfg, which no longer requires it"
        )
    if problems:
        print("setup.cfg and requirements.lock disagree:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        print("refresh the lock with `make lock` (only what changed moves) and commit it", file=sys.stderr)
        return 1
    print(f"requirements.lock agrees with setup.cfg ({len(reqs)} requirements, {len(pins)} pins)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
