"""``make deploy`` targets: every scrapy.cfg deploy section plus SCRAPYD_URLS, each node once."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.scrapyd.deploy import deploy_targets


def test_every_deploy_section_and_scrapyd_url_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "scrapy.cfg").write_text(
        "[settings]\ndefault = crawler.settings\n\n"
        "[deploy]\nurl = http://crawl1:6800/\nproject = leadscraper\n\n"
        "[deploy:crawl2]\nurl = http://crawl2:6800/\nproject = leadscraper\n\n"
        "[deploy:nourl]\nproject = leadscraper\n"
    )
    monkeypatch.setenv("SCRAPYD_URLS", "http://crawl3:6800, http://crawl1:6800/")
    assert deploy_targets(tmp_path) == ["http://crawl3:6800", "http://crawl1:6800", "http://crawl2:6800"]
