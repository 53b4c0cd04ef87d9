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
    app.config["CRAWL_ALLOWED_NETWORKS"] = parse_allowlist("10.0.0.0/8")
    ok = client.post(
        "/v1/scrape", json={"type": "single", "urls": ["http://10.1.2.3/"]}, headers=caller.headers
    )
    # accepted: the job is stored, then scheduling on the test's unreachable scrapyd answers 503
    assert ok.status_code == 503, ok.json
    assert ok.json["error"]["code"] == "service_unavailable"
    assert ok.json["error"]["details"]["job_id"].startswith("job_")
    refused = client.post(
        "/v1/scrape", json={"type": "single", "urls": ["http://127.0.0.1/"]}, headers=caller.headers
    )
    assert refused.status_code == 400


def test_a_refused_local_site_names_the_setting_that_allows_it(client: FlaskClient, caller) -> None:
    response = client.post(
        "/v1/scrape", json={"type": "single", "urls": ["http://127.0.0.1:8190/"]}, headers=caller.headers
    )
    assert response.status_code == 400
    reason = response.json["error"]["details"]["reason"]
    assert "not crawled" in reason and "LEADSCRAPER_ALLOW_PRIVATE_NETWORKS" in reason


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:6800/schedule.json",  # the app's scrapyd node (SCRAPYD_URLS)
        "http://2130706433:6800/",
        "http://localhost:6800/",
        "http://[::ffff:127.0.0.1]:8000/v1/account",  # the API itself (HOST/PORT)
    ],
)
def test_the_platforms_services_are_refused_even_where_the_network_is_allowed(
    app, client: FlaskClient, caller, url: str
) -> None:
    app.config["CRAWL_ALLOWED_NETWORKS"] = parse_allowlist("127.0.0.1/32")
    app.config["SCRAPYD_URLS"] = ["http://ops:s3cret@127.0.0.1:6800"]
    app.config["API_BIND"] = ("127.0.0.1", 8000)
    response = client.post("/v1/scrape", json={"type": "single", "urls": [url]}, headers=caller.headers)
    assert response.status_code == 400, response.json
    reason = response.json["error"]["details"]["reason"]
    assert "platform's own services are not crawled" in reason
    assert "s3cret" not in reason and "LEADSCRAPER_ALLOW_PRIVATE_NETWORKS" not in reason


def test_hosts_are_stored_the_one_way(app, client: FlaskClient, caller, db) -> None:
    from sqlalchemy import select

    from db.models import JobUrl

    app.config["CRAWL_ALLOWED_NETWORKS"] = parse_allowlist("127.0.0.1/32")
    urls = ["http://2130706433:8190/team", "HTTPS://Acme-Robotics.COM.:443/Contact", "http://müller.de/"]
    response = client.post("/v1/scrape", json={"type": "bulk", "urls": urls}, headers=caller.headers)
    assert response.status_code == 503  # stored, then refused by the test app's unreachable scrapyd
    job_id = response.json["error"]["details"]["job_id"]
    stored = db.scalars(select(JobUrl.url).where(JobUrl.job_id == job_id).order_by(JobUrl.position)).all()
    assert stored == [
        "http://127.0.0.1:8190/team",
        "https://acme-robotics.com/Contact",
        "http://xn--mller-kva.de/",
    ]
