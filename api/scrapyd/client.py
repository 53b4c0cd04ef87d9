"""A small client for scrapyd's JSON API: schedule, cancel, deploy (addversion) and status calls.

Nodes may require HTTP basic authentication (scrapyd's ``username``/``password``): give the
credentials in the node's URL, ``http://user:password@node:6800`` (percent-encode special
characters). They are sent with every call and never appear in a node's name as this client
reports, stores or logs it.
"""

from __future__ import annotations

import itertools
import logging
import math
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import requests

log = logging.getLogger(__name__)
QUEUED = "queued"  # an entry of schedule_spread that waits for a slot on its node


class ScrapydError(Exception):
    """Raised when a scrapyd node cannot be reached or answers with an error."""


def split_credentials(url: str) -> tuple[str, tuple[str, str] | None]:
    """``http://user:pw@node:6800/`` → ``("http://node:6800", ("user", "pw"))``; no credentials → None."""
    parts = urlsplit(url.strip())
    node = urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2])).rstrip("/")
    if parts.username is None:
        return node, None
    return node, (unquote(parts.username), unquote(parts.password or ""))


@dataclass
class ScrapydClient:
    """Talks to the nodes in ``urls`` for ``project``; scheduling rotates over the nodes and fails over.

    ``urls`` may carry credentials (``http://user:password@node:6800``); ``self.urls`` are the nodes
    without them, which is how every answer names a node.
    """

    urls: Sequence[str]
    project: str = "leadscraper"
    timeout: float = 10.0
    _turn: itertools.count[int] = field(default_factory=itertools.count, repr=False)
    _auth: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        nodes = []
        for url in self.urls:
            node, auth = split_credentials(url)
            nodes.append(node)
            if auth is not None:
                self._auth[node] = auth
        self.urls = nodes

    def _call(self, node: str, method: str, endpoint: str, **kwargs: Any) -> dict[str, Any]:
        node, given = split_credentials(node)
        auth = given or self._auth.get(node)
        url = f"{node}/{endpoint}"
        try:
            response = requests.request(method, url, timeout=self.timeout, auth=auth, **kwargs)
        except requests.RequestException as exc:
            raise ScrapydError(f"{node}: unreachable ({exc.__class__.__name__})") from exc
        if response.status_code == 401:
            raise ScrapydError(
                f"{node}: HTTP 401, scrapyd wants credentials"
                + (
                    " and refused the ones given"
                    if auth
                    else " (SCRAPYD_URLS=http://user:password@host:port)"
                )
            )
        try:
            body = response.json()
        except ValueError:
            raise ScrapydError(f"{node}: HTTP {response.status_code}, not JSON") from None
        if response.status_code >= 400 or body.get("status") != "ok":
            raise ScrapydError(f"{node}: {body.get('message') or f'HTTP {response.status_code}'}".strip())
        return dict(body)

    def _schedule_on(
        self,
        node: str,
        spider: str,
        jobid: str | None,
        settings: Mapping[str, str] | None,
        spider_args: Mapping[str, str],
    ) -> dict[str, str]:
        data: list[tuple[str, str]] = [("project", self.project), ("spider", spider), *spider_args.items()]
        if jobid:
            data.append(("jobid", jobid))
        # scrapyd takes Scrapy settings as repeated ``setting=NAME=value`` fields
        data.extend(("setting", f"{name}={value}") for name, value in (settings or {}).items())
        body = self._call(node, "POST", "schedule.json", data=data)
        return {"node": node, "jobid": str(body["jobid"])}

    def free_slots(self, slots_per_node: int) -> dict[str, int | None]:
        """Free process slots of every node by ``daemonstatus.json`` (running and pending); None if it
        did not answer.

        scrapyd does not report its ``max_proc``, so each node is taken to run ``slots_per_node``
        processes at most (``SCRAPYD_SLOTS_PER_NODE``). The nodes are asked in parallel, so one
        unreachable node costs a submission one timeout, not one per node.
        """

        def ask(node: str) -> int | None:
            try:
                status = self.daemon_status(node)
            except ScrapydError as exc:
                log.warning("scrapyd node %s: no status: %s", node, exc)
                return None
            return slots_per_node - int(status.get("running", 0)) - int(status.get("pending", 0))

        if len(self.urls) == 1:
            return {self.urls[0]: ask(self.urls[0])}
        with ThreadPoolExecutor(max_workers=min(16, len(self.urls))) as pool:
            return dict(zip(self.urls, pool.map(ask, self.urls), strict=True))

    def schedule_spread(
        self,
        spider: str,
        *,
        url_count: int,
        urls_per_process: int,
        slots_per_node: int,
        jobid: str | None = None,
        settings: Mapping[str, str] | None = None,
        **spider_args: str,
    ) -> list[dict[str, str]]:
        """Start one job on as many nodes as its size warrants and as have free slots.

        ``min(nodes with a free slot, ceil(url_count / urls_per_process))`` spider processes, one a
        node, most free slots first; they share the job by claiming its URLs from the database. When
        no node has a free slot the job still goes to one (scrapyd queues it): nodes without a status
        are tried before full ones, unreachable ones last. A node that refuses is replaced by the next.
        Returns every ``{"node", "jobid"}`` started (at least one); one that went to a full node,
        where it waits in scrapyd's queue, also says ``"queued": "true"``.
        """
        if not self.urls:
            raise ScrapydError("no scrapyd node configured (SCRAPYD_URLS)")
        free = self.free_slots(slots_per_node)
        start = next(self._turn) % len(self.urls)
        order = [*self.urls[start:], *self.urls[:start]]  # ties rotate, so equal nodes share the work
        known = {n: slots for n, slots in free.items() if slots is not None}
        with_slots = sorted((n for n in order if known.get(n, 0) > 0), key=lambda n: -known[n])
        unknown = [n for n in order if n not in known]
        full = sorted((n for n in order if n in known and known[n] <= 0), key=lambda n: -known[n])
        wanted = min(max(1, math.ceil(url_count / max(1, urls_per_process))), max(1, len(with_slots)))
        started: list[dict[str, str]] = []
        errors: list[str] = []
        for node in [*with_slots, *unknown, *full]:
            if len(started) == wanted:
                break
            try:
                entry = self._schedule_on(node, spider, jobid, settings, spider_args)
            except ScrapydError as exc:
                log.warning("scheduling %s on %s failed: %s", spider, node, exc)
                errors.append(str(exc))
                continue
            started.append({**entry, QUEUED: "true"} if node in full else entry)
        if not started:
            raise ScrapydError("; ".join(errors))
        return started

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

    def list_jobs(self, node: str) -> dict[str, Any]:
        return self._call(node, "GET", "listjobs.json", params={"project": self.project})

    def still_queued(self, entries: Sequence[Mapping[str, Any]]) -> bool:
        """True when one of a job's processes (``{"node", "jobid"}``) still waits in its node's queue.

        A node that does not answer counts as not queueing it: a job whose node is gone never starts.
        """
        for entry in entries:
            try:
                pending = self.list_jobs(str(entry["node"])).get("pending") or []
            except (ScrapydError, KeyError) as exc:
                log.warning("scrapyd node %s: no job list: %s", entry.get("node"), exc)
                continue
            if any(job.get("id") == entry.get("jobid") for job in pending):
                return True
        return False

    def daemon_status(self, node: str) -> dict[str, Any]:
        return self._call(node, "GET", "daemonstatus.json")
