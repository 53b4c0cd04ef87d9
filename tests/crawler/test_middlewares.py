"""Robots.txt is obeyed even when many requests wait for the same robots.txt."""

from __future__ import annotations

import sys
from typing import Any

from scrapy import Spider
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Request
from scrapy.utils.reactor import install_reactor
from scrapy.utils.test import get_crawler
from twisted.internet.defer import Deferred

from crawler.middlewares import SharedRobotsTxtMiddleware

# Scrapy asks which reactor runs; the default one lets coroutines await Deferreds directly.
if "twisted.internet.reactor" not in sys.modules:
    install_reactor("twisted.internet.selectreactor.SelectReactor")


def waiters_results(middleware_cls: type[RobotsTxtMiddleware]) -> list[Any]:
    crawler = get_crawler(Spider, {"ROBOTSTXT_OBEY": True})
    middleware = middleware_cls(crawler)
    pending: Deferred[Any] = Deferred()
    middleware._parsers["brokenwidgets.net"] = pending  # robots.txt still downloading
    results: list[Any] = []
    for path in ("/private/contact", "/contact", "/about"):
        request = Request(f"http://brokenwidgets.net{path}")
        Deferred.fromCoroutine(middleware.robot_parser(request)).addCallback(results.append)
    parser = object()
    pending.callback(parser)
    return [r is parser for r in results]


def test_every_waiting_request_gets_the_parser() -> None:
    assert waiters_results(SharedRobotsTxtMiddleware) == [True, True, True]


def test_scrapys_own_middleware_loses_the_parser_for_later_waiters() -> None:
    # Documents why SharedRobotsTxtMiddleware exists: if this starts passing, Scrapy fixed it.
    assert waiters_results(RobotsTxtMiddleware) != [True, True, True]


def test_a_crawl_process_opens_no_control_port() -> None:
    """Scrapy's telnet console and remote control (Python over HTTP on a local port) stay off, and a
    scrapyd launch cannot switch them on (they are not among the settings it may override)."""
    from scrapy.utils.project import get_project_settings

    from crawler.startup import SCRAPYD_SETTABLE

    settings = get_project_settings()
    assert settings.getbool("REMOTE_CONTROL_ENABLED") is False
    assert settings.getbool("TELNETCONSOLE_ENABLED") is False
    assert {"REMOTE_CONTROL_ENABLED", "TELNETCONSOLE_ENABLED"}.isdisjoint(SCRAPYD_SETTABLE)
