"""A small client for scrapyd's JSON API: schedule, cancel, deploy (addversion) and status calls."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import requests

log = logging.getLogger(__name__)


class ScrapydError(Exception):
    """Raised when a scrapyd node cannot be reached or answers with an error."""


@dataclass
class ScrapydClient:
    """Talks to the nodes in ``urls`` for ``project``; scheduling rotates over the nodes and fails over."""

    urls: Sequence[str]
    project: str = "leadscraper"
    timeout: float = 10.0
    _turn: itertools.count[int] = field(default_factory=itertools.count, repr=False)

    def _call(self, node: str, method: str, endpoint: str, **kwargs: Any) -> dict[str, Any]:
        url = f"{node.rstrip('/')}/{endpoint}"
        try:
            response = requests.request(method, url, timeout=self.timeout, **kwargs)
        except requests.RequestException as exc:
            raise ScrapydError(f"{node}: unreachable ({exc.__class__.__name__})") from exc
        try:
            body = response.json()
        except ValueError:
            raise ScrapydError(f"{node}: HTTP {response.status_code}, not JSON") from None
        if response.status_code >= 400 or body.get("status") != "ok":
            raise ScrapydError(f"{node}: {body.get('message') or f'HTTP {response.status_code}'}".strip())
        return dict(body)

    def schedule(self, spider: str, *, jobid: str | None = None, **spider_args: str) -> dict[str, str]:
        """Schedule ``spider`` on the next node that accepts it; returns ``{"node", "jobid"}``."""
        if not self.urls:
            raise ScrapydError("no scrapyd node configured (SCRAPYD_URLS)")
        start = next(self._turn)
        errors = []
        for i in range(len(self.urls)):
            node = self.urls[(start + i) % len(self.urls)]
            data = {"project": self.project, "spider": spider, **spider_args}
            if jobid:
                data["jobid"] = jobid
            try:
                body = self._call(node, "POST", "schedule.json", data=data)
            except ScrapydError as exc:
                log.warning("scheduling %s on %s failed: %s", spider, node, exc)
                errors.append(str(exc))
                continue
            return {"node": node, "jobid": str(body["jobid"])}
        raise ScrapydError("; ".join(errors))

    def cancel(self, node: str, jobid: str) -> str | None:
        """Cancel a scrapyd job; returns its previous state (``pending``/``running``), None if unknown."""
        body = self._call(node, "POST", "cancel.json", data={"project": self.project, "job": jobid})
        return body.get("prevstate")

    def add_version(self, node: str, version: str, egg: bytes) -> dict[str, Any]:
        return self._call(
            node,
            "POST",
            "addversion.json",
            data={"project": self.project, "version": version},
            files={"egg": ("project.egg", egg)},
        )

    def list_projects(self, node: str) -> list[str]:
        return list(self._call(node, "GET", "listprojects.json")["projects"])

    def list_spiders(self, node: str) -> list[str]:
        return list(self._call(node, "GET", "listspiders.json", params={"project": self.project})["spiders"])

    def list_jobs(self, node: str) -> dict[str, Any]:
        return self._call(node, "GET", "listjobs.json", params={"project": self.project})

    def daemon_status(self, node: str) -> dict[str, Any]:
        return self._call(node, "GET", "daemonstatus.json")
