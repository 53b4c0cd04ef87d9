"""The import rules between the packages (ARCHITECTURE.md, "Layers"), checked on every module.

Every ``import``/``from ... import`` is read from the source (function-level imports included), so a
forbidden import fails ``make test`` wherever it is written.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ENGINE = ("scrapy", "scrapy_playwright", "twisted", "playwright")
NETWORK = (
    "socket",
    "ssl",
    "requests",
    "urllib3",
    "http.client",
    "urllib.request",
    "smtplib",
    "dns",
    "aiohttp",
)


@dataclass(frozen=True)
class Rule:
    """Modules under ``package`` must not import ``forbidden`` (prefixes), except ``allowed`` ones."""

    package: str
    forbidden: tuple[str, ...]
    allowed: tuple[str, ...] = ()
    why: str = ""


RULES = (
    Rule(
        "crawler/extract",
        (*ENGINE, *NETWORK, "sqlalchemy", "db", "api", "pipelines", "crawler"),
        allowed=("crawler.extract",),
        why="extractors are pure: HTML in, facts out; no engine, no database, no network",
    ),
    Rule(
        "crawler/verify",
        (*ENGINE, "sqlalchemy", "db", "api", "pipelines", "crawler"),
        allowed=("crawler.verify", "crawler.netguard", "crawler.extract"),
        why="e-mail verification is shared by the crawl and the API: no engine, no database",
    ),
    Rule(
        "db",
        (*ENGINE, "crawler", "pipelines", "api"),
        why="the database layer is shared by the crawler and the API and imports neither",
    ),
    Rule(
        "api",
        (*ENGINE, "crawler", "pipelines"),
        # pure modules beside the engine that both sides need (the score: a lead verified again)
        allowed=(
            "crawler.netguard",
            "crawler.verify",
            "crawler.extract",
            "crawler.chromium",
            "pipelines.scoring",
        ),
        why="the API reaches crawls only through scrapyd and the database",
    ),
    Rule(
        "pipelines",
        ("api", "crawler"),
        # the spider -> pipeline contract (items, the run's state, signals) and the extractors
        allowed=("crawler.extract", "crawler.items", "crawler.jobrun", "crawler.signals", "crawler.verify"),
        why="pipelines see the crawl only through its items, run state and signals; the API is apart",
    ),
    Rule(
        "crawler",
        ("api", "pipelines"),
        why="the crawler names its pipelines in settings only; it never imports the API",
    ),
)


def imports_of(path: Path, root: Path = REPO) -> list[tuple[int, str]]:
    """Every module ``path`` imports, with its line (relative imports resolved to absolute names)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
    return found


def _matches(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def violations(rule: Rule, root: Path = REPO) -> list[str]:
    bad = []
    for path in sorted((root / rule.package).rglob("*.py")):
        for line, module in imports_of(path, root):
            if _matches(module, rule.forbidden) and not _matches(module, rule.allowed):
                bad.append(f"{path.relative_to(root)}:{line} imports {module}")
    return bad


@pytest.mark.parametrize("rule", RULES, ids=[r.package for r in RULES])
def test_package_imports_follow_the_layer_rules(rule: Rule) -> None:
    assert (REPO / rule.package).is_dir()
    assert violations(rule) == [], rule.why


def test_the_score_both_sides_use_is_pure() -> None:
    """``pipelines/scoring.py`` is the one the API may import: facts in, a score out; no engine,
    no database session, no pipeline machinery (the type of a stored lead only)."""
    forbidden = (*ENGINE, *NETWORK, "sqlalchemy", "api", "crawler", "pipelines")
    allowed = ("crawler.extract", "db.models")
    bad = [
        f"pipelines/scoring.py:{line} imports {module}"
        for line, module in imports_of(REPO / "pipelines" / "scoring.py")
        if _matches(module, forbidden) and not _matches(module, allowed)
    ]
    assert bad == []


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    """The rule test itself must catch an import, also one inside a function or a relative one."""
    package = tmp_path / "crawler" / "extract"
    package.mkdir(parents=True)
    (package / "ok.py").write_text("import re\nfrom crawler.extract.page import Page\n", encoding="utf-8")
    (package / "probe.py").write_text(
        "def f():\n    import scrapy\n    from db.models import Lead\n    from ..spiders import leads\n",
        encoding="utf-8",
    )
    assert violations(RULES[0], tmp_path) == [
        "crawler/extract/probe.py:2 imports scrapy",
        "crawler/extract/probe.py:3 imports db.models",
        "crawler/extract/probe.py:4 imports crawler.spiders",
    ]
