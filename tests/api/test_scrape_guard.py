"""POST /v1/scrape refuses private addresses in every spelling, with the same guard as the crawler."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from crawler.netguard import parse_allowlist

pytestmark = pytest.mark.db

PRIVATE = [
    "http://127.0.0.1/",
    "http://2130706433/",
    "http://0x7f000001/",
    "http://0177.0.0.1/",
    "http://127.1/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[64:ff9b::7f00:1]/",
    "http://[2002:7f00:1::]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.8/",
    "http://100.64.0.1/",
    "http://0.0.0.0/",
    "http://localhost:8080/",
]


@pytest.mark.parametrize("url", PRIVATE)
def test_private_addresses_are_refused_at_submission(client: FlaskClient, caller, url: str) -> None:
    response = client.post("/v1/scrape", json={"type": "single", "urls": [url]}, headers=caller.headers)
    assert response.status_code == 400, response.json
    error = response.json["error"]
    assert error["code"] == "invalid_request"
    assert error["details"]["field"] == "urls[0]"
    assert "not crawled" in error["details"]["reason"]


def test_the_operator_allowlist_opens_exactly_its_networks(app, client: FlaskClient, caller) -> None:
    app.config["NETWORK_ALLOWLIST"] = parse_allowlist("10.0.0.0/8")
    ok = client.post(
        "/v1/scrape", json={"type": "single", "urls": ["http://10.1.2.3/"]}, headers=caller.headers
    )
    assert ok.status_code != 400, (
        ok.json
    )  # accepted (scheduling against the unreachable test scrapyd may 503)
    refused = client.post(
        "/v1/scrape", json={"type": "single", "urls": ["http://127.0.0.1/"]}, headers=caller.headers
    )
    assert refused.status_code == 400
