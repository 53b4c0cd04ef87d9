"""Bulk submit: POST /v1/scrape with 10,000 URLs, scrapyd answered by a stub on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench.common import Section, log, median, percentile, scratch_database
from bench.seed import create_accounts

URLS = 10_000


class StubScrapyd(BaseHTTPRequestHandler):
    """Answers schedule.json like scrapyd does, at once."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.dumps({"status": "ok", "jobid": "bench"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def run(section: Section, *, quick: bool) -> None:
    from api.rest.app import create_app

    repeats = 5 if quick else 15
    stub = ThreadingHTTPServer(("127.0.0.1", 0), StubScrapyd)
    thread = threading.Thread(target=stub.serve_forever, daemon=True)
    thread.start()
    try:
        with scratch_database() as url:
            account = create_accounts(url, [0], jobs_per_account=0)[0]
            app = create_app(
                {"DATABASE_URL": url, "SCRAPYD_URLS": [f"http://127.0.0.1:{stub.server_address[1]}"]}
            )
            client = app.test_client()
            headers = {"Authorization": f"Bearer {account.key}"}
            times = []
            log(f"submit: {repeats} x POST /v1/scrape with {URLS:,} URLs")
            for attempt in range(repeats + 1):
                body = {
                    "type": "bulk",
                    "urls": [f"https://site{attempt}-{i}.example.com/" for i in range(URLS)],
                    "options": {"qualify_leads": True},
                }
                t0 = time.perf_counter()
                response = client.post("/v1/scrape", json=body, headers=headers)
                elapsed = time.perf_counter() - t0
                if response.status_code != 201:
                    raise RuntimeError(
                        f"POST /v1/scrape answered {response.status_code}: {response.data[:300]!r}"
                    )
                if attempt:  # the first warms imports and the connection pool
                    times.append(elapsed)
            app.extensions["leadscraper_sessions"].kw["bind"].dispose()
    finally:
        stub.shutdown()
        stub.server_close()
    p50, worst = median(times) * 1000, max(times) * 1000
    section.add(
        f"POST /v1/scrape, {URLS:,} URLs",
        f"p50 {p50:.0f} ms, p95 {percentile(times, 95) * 1000:.0f} ms, max {worst:.0f} ms "
        f"({repeats} requests; Flask test client in-process, scrapyd stubbed)",
        "< 1 s",
        "met" if worst < 1000 else "MISSED",
    )
