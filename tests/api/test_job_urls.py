"""GET /v1/jobs/:id/urls: each URL with its outcome, in cursor pages, filtered by outcome, per account;
GET /v1/jobs/:id counts the outcomes; a cancel ends the URLs no spider holds."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.jobs import claim_job_urls, finish_job_urls, url_outcome
from db.models import Job, JobUrl, JobUrlStatus, UrlOutcome
from tests.api.conftest import Caller
from tests.api.test_errors import assert_error

pytestmark = pytest.mark.db

URLS = [f"https://s{i}.example.org/" for i in range(5)]


def _ended_job(db: Session, make_job: Callable[..., Job], account_id: str) -> Job:
    """A completed job of five URLs: two ok (charged 2), one 404, one blocked, one left pending."""
    job = make_job(account_id, status="completed", urls=URLS)
    rows = sorted(claim_job_urls(db, job.id, 4, worker="test"), key=lambda r: r.position)
    finish_job_urls(
        db,
        [
            url_outcome(rows[0].id, JobUrlStatus.DONE, outcome=UrlOutcome.OK, credits_charged=2,
                        pages_crawled=4, leads_found=3),
            url_outcome(rows[1].id, JobUrlStatus.FAILED, reason="HTTP 404", outcome=UrlOutcome.HTTP_ERROR,
                        http_status=404, pages_failed=1, last_error="HTTP 404 (https://s1.example.org/)"),
            url_outcome(rows[2].id, JobUrlStatus.DONE, outcome=UrlOutcome.OK, credits_charged=2,
                        pages_crawled=1, leads_found=1),
            url_outcome(rows[3].id, JobUrlStatus.FAILED, reason="HTTP 403: the site refused the crawler",
                        outcome=UrlOutcome.BLOCKED, http_status=403, pages_failed=1),
        ],
    )  # fmt: skip
    db.commit()
    return job


def test_urls_list_each_url_with_its_outcome_in_submission_order(
    client: FlaskClient, caller: Caller, db: Session, make_job: Callable[..., Job]
) -> None:
    job = _ended_job(db, make_job, caller.account_id)
    response = client.get(f"/v1/jobs/{job.id}/urls", headers=caller.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert [u["url"] for u in body["data"]] == URLS
    assert [u["outcome"] for u in body["data"]] == ["ok", "http_error", "ok", "blocked", None]
    assert [u["credits_charged"] for u in body["data"]] == [2, 0, 2, 0, 0]
    first, broken = body["data"][0], body["data"][1]
    assert first == {
        "position": 0,
        "url": URLS[0],
        "status": "done",
        "outcome": "ok",
        "reason": None,
        "last_error": None,
        "http_status": None,
        "pages_crawled": 4,
        "pages_failed": 0,
        "leads_found": 3,
        "credits_charged": 2,
        "started_at": first["started_at"],
        "finished_at": first["finished_at"],
    }
    assert first["finished_at"].endswith("Z")
    assert (broken["status"], broken["reason"], broken["http_status"]) == ("failed", "HTTP 404", 404)
    assert broken["last_error"] == "HTTP 404 (https://s1.example.org/)"
    assert body["data"][4]["status"] == "pending"
    assert body["pagination"] == {"has_more": False, "next_cursor": None}


def test_job_status_counts_its_urls_by_outcome(
    client: FlaskClient, caller: Caller, db: Session, make_job: Callable[..., Job]
) -> None:
    job = _ended_job(db, make_job, caller.account_id)
    data = client.get(f"/v1/jobs/{job.id}", headers=caller.headers).get_json()
    assert data["outcome_counts"] == {"blocked": 1, "http_error": 1, "ok": 2}
    fresh = make_job(caller.account_id)
    assert client.get(f"/v1/jobs/{fresh.id}", headers=caller.headers).get_json()["outcome_counts"] == {}


def test_urls_come_in_cursor_pages_and_filter_by_outcome(
    client: FlaskClient, caller: Caller, db: Session, make_job: Callable[..., Job]
) -> None:
    job = _ended_job(db, make_job, caller.account_id)
    seen: list[str] = []
    query = f"/v1/jobs/{job.id}/urls?limit=2"
    while True:
        body = client.get(query, headers=caller.headers).get_json()
        seen += [u["url"] for u in body["data"]]
        if not body["pagination"]["has_more"]:
            break
        query = f"/v1/jobs/{job.id}/urls?limit=2&cursor={body['pagination']['next_cursor']}"
    assert seen == URLS
    ok = client.get(f"/v1/jobs/{job.id}/urls?outcome=ok&limit=1", headers=caller.headers).get_json()
    assert [u["url"] for u in ok["data"]] == [URLS[0]]
    assert ok["pagination"]["has_more"] is True
    cursor = ok["pagination"]["next_cursor"]
    rest = client.get(f"/v1/jobs/{job.id}/urls?outcome=ok&cursor={cursor}", headers=caller.headers)
    assert [u["url"] for u in rest.get_json()["data"]] == [URLS[2]]
    none = client.get(f"/v1/jobs/{job.id}/urls?outcome=timeout", headers=caller.headers).get_json()
    assert none["data"] == []
    # a cursor of one filter is not one of another
    assert_error(
        client.get(f"/v1/jobs/{job.id}/urls?outcome=blocked&cursor={cursor}", headers=caller.headers),
        400,
        "invalid_request",
        "cursor",
    )


def test_bad_filters_and_cursors_are_400(
    client: FlaskClient, caller: Caller, make_job: Callable[..., Job]
) -> None:
    job = make_job(caller.account_id)
    for query, field in (("outcome=fine", "outcome"), ("cursor=%%%", "cursor"), ("limit=0", "limit")):
        assert_error(
            client.get(f"/v1/jobs/{job.id}/urls?{query}", headers=caller.headers),
            400,
            "invalid_request",
            field,
        )


def test_another_accounts_job_urls_are_404(
    client: FlaskClient,
    caller: Caller,
    make_caller: Callable[..., Caller],
    db: Session,
    make_job: Callable[..., Job],
) -> None:
    job = _ended_job(db, make_job, caller.account_id)
    assert client.get(f"/v1/jobs/{job.id}/urls", headers=caller.headers).status_code == 200
    other = make_caller()
    assert_error(client.get(f"/v1/jobs/{job.id}/urls", headers=other.headers), 404, "not_found")
    assert_error(client.get("/v1/jobs/job_nope/urls", headers=caller.headers), 404, "not_found")


def test_a_cancel_ends_the_urls_no_spider_holds_as_cancelled_and_free(
    client: FlaskClient, caller: Caller, db: Session, make_job: Callable[..., Job]
) -> None:
    job = make_job(caller.account_id, status="processing", urls=URLS[:3],
                   scrapyd_jobs=[{"node": "http://127.0.0.1:9", "jobid": "gone"}])  # fmt: skip
    [held] = claim_job_urls(db, job.id, 1, worker="spider-1")
    db.commit()
    assert client.post(f"/v1/jobs/{job.id}/cancel", headers=caller.headers).status_code == 200
    body = client.get(f"/v1/jobs/{job.id}/urls", headers=caller.headers).get_json()
    assert [(u["status"], u["outcome"], u["credits_charged"]) for u in body["data"]] == [
        ("claimed", None, 0),  # the spider that holds it finishes or lets it go
        ("failed", "cancelled", 0),
        ("failed", "cancelled", 0),
    ]
    assert body["data"][1]["reason"] == "not crawled: the job was cancelled"
    db.expire_all()
    assert db.scalars(select(JobUrl.id).where(JobUrl.job_id == job.id, JobUrl.outcome.is_(None))).all() == [
        held.id
    ]
