"""Build the project egg and upload it to every scrapyd node (``make deploy``).

scrapyd-client's ``scrapyd-deploy`` builds eggs by running a ``setup.py`` (writing a generic one that
packs every package under the project, tests included, when there is none). This project is packaged
by ``setup.cfg``, so the egg is built from it with setuptools' ``bdist_egg`` in a temporary directory
(nothing is written into the tree) and uploaded through scrapyd's ``addversion.json``, as
``scrapyd-deploy`` does.
"""

from __future__ import annotations

import configparser
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from api.config import scrapyd_urls
from api.scrapyd.client import ScrapydClient, ScrapydError, split_credentials

REPO_ROOT = Path(__file__).resolve().parents[2]
PROJECT = "leadscraper"


class DeployError(Exception):
    """Raised when the egg cannot be built or a node refuses it."""


def build_egg(repo_root: Path = REPO_ROOT) -> bytes:
    """The project egg: crawler, pipelines, db (with migrations), api, and the scrapy settings entry point."""
    with tempfile.TemporaryDirectory(prefix="leadscraper-egg-") as tmp:
        out = Path(tmp)
        command = [
            sys.executable, "-c", "from setuptools import setup; setup()",
            "egg_info", "--egg-base", str(out),
            "build", "--build-base", str(out / "build"),
            "bdist_egg", "--dist-dir", str(out / "dist"), "--bdist-dir", str(out / "bdist"),
        ]  # fmt: skip
        result = subprocess.run(command, cwd=repo_root, capture_output=True, text=True, check=False)
        eggs = list((out / "dist").glob("*.egg"))
        if result.returncode != 0 or not eggs:
            raise DeployError(f"egg build failed:\n{result.stderr[-2000:]}")
        return eggs[0].read_bytes()


def with_credentials(url: str, username: str, password: str) -> str:
    """``url`` with ``username:password@`` (percent-encoded) in front of its host."""
    parts = urlsplit(url)
    userinfo = f"{quote(username, safe='')}:{quote(password, safe='')}@"
    return urlunsplit(parts._replace(netloc=userinfo + parts.netloc.rpartition("@")[2]))


def deploy_targets(repo_root: Path = REPO_ROOT) -> list[str]:
    """``SCRAPYD_URLS`` plus every ``[deploy]``/``[deploy:name]`` url of ``scrapy.cfg`` (with the
    section's ``username``/``password``, as scrapyd-deploy reads them), deduplicated by node."""
    urls = list(scrapyd_urls())
    cfg = configparser.ConfigParser()
    cfg.read(repo_root / "scrapy.cfg")
    for section in cfg.sections():
        if section == "deploy" or section.startswith("deploy:"):
            url = cfg.get(section, "url", fallback="").strip().rstrip("/")
            username = cfg.get(section, "username", fallback="").strip()
            if url and username:
                url = with_credentials(url, username, cfg.get(section, "password", fallback=""))
            if url:
                urls.append(url)
    first: dict[str, str] = {}
    for url in urls:
        first.setdefault(split_credentials(url)[0], url)
    return list(first.values())


def new_version() -> str:
    """Milliseconds since the epoch: increases with every deploy, so scrapyd runs the newest egg."""
    return str(int(time.time() * 1000))


def deploy(
    urls: Sequence[str], *, project: str = PROJECT, egg: bytes | None = None, version: str | None = None
) -> dict[str, str]:
    """Upload the egg to every node in ``urls`` (credentials in a URL are sent); returns
    ``{node: "ok" | error}``, each node named without its credentials."""
    egg = egg if egg is not None else build_egg()
    version = version or new_version()
    client = ScrapydClient(urls, project, timeout=60)
    results: dict[str, str] = {}
    for node in client.urls:
        try:
            client.add_version(node, version, egg)
            results[node] = "ok"
        except ScrapydError as exc:
            results[node] = str(exc)
    return results


def main(argv: list[str] | None = None) -> int:
    """``python -m api.scrapyd.deploy [URL ...]`` uploads; ``--build-egg FILE`` only writes the egg, for
    ``scrapyd-deploy -a -p leadscraper --egg FILE`` (scrapyd-client's own upload)."""
    args = sys.argv[1:] if argv is None else argv
    egg_file = None
    if args[:1] == ["--build-egg"]:
        if len(args) != 2:
            print("usage: python -m api.scrapyd.deploy --build-egg FILE", file=sys.stderr)
            return 2
        egg_file = Path(args[1])
    urls = [u.rstrip("/") for u in args] or deploy_targets()
    try:
        egg = build_egg()
    except DeployError as exc:
        print(exc, file=sys.stderr)
        return 1
    if egg_file is not None:
        egg_file.parent.mkdir(parents=True, exist_ok=True)
        egg_file.write_bytes(egg)
        print(f"egg written: {egg_file} ({len(egg)} bytes)")
        return 0
    version = new_version()
    results = deploy(urls, egg=egg, version=version)
    for node, outcome in results.items():
        print(f"{node}: {PROJECT} {version} {'deployed' if outcome == 'ok' else 'FAILED: ' + outcome}")
    return 0 if all(v == "ok" for v in results.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
