"""The built-in scorer against hand-written labels: one real ``scrapy crawl leads`` job over the 24
labelled company sites (``tests/sites/site_labelled.py``), then each company's status from the database
compared with ``tests.sites.expected.LABELLED``.

A company's status is the ``lead_status`` of its best stored lead (highest ``lead_score``); a company
with no stored lead is ``cold`` (see ``expected.py`` for the labelling rubric). The agreement table is
printed (run with ``-s`` to see it) and is the assertion message when the agreement drops below 90%.

    .venv/bin/pytest tests/crawler/test_labelled_scoring.py -q -s
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.models import Lead
from tests.crawler.conftest import CrawlResult
from tests.sites.expected import LABELLED
from tests.sites.runner import SitesServer

pytestmark = [pytest.mark.db, pytest.mark.slow]

MIN_AGREEMENT = 0.90


@dataclass(frozen=True)
class Verdict:
    host: str
    label: str
    got: str
    score: int | None
    best: str  # the best lead's key
    notes: str

    @property
    def agrees(self) -> bool:
        return self.label == self.got


def company_verdicts(engine: Engine, account_id: str) -> list[Verdict]:
    with Session(engine) as session:
        leads = list(session.scalars(select(Lead).where(Lead.account_id == account_id)))
        by_host: dict[str, list[Lead]] = {}
        for lead in leads:
            by_host.setdefault(lead.company_domain or "", []).append(lead)
        out = []
        for host, truth in LABELLED.items():
            scored = [lead for lead in by_host.get(host, []) if lead.lead_score is not None]
            if not scored:
                out.append(Verdict(host, truth.status, "cold", None, "-", "no scored lead stored"))
                continue
            best = max(scored, key=lambda lead: (lead.lead_score, lead.email or lead.phone or ""))
            out.append(
                Verdict(
                    host,
                    truth.status,
                    best.lead_status or "cold",
                    best.lead_score,
                    best.email or best.phone or "?",
                    best.qualification_notes or "",
                )
            )
        return out


def _excerpt(notes: str) -> str:
    """The signals part and the point breakdown of a lead's notes, shortened for the table."""
    signals = notes.split("Company signals: ", 1)[1].split(". ", 1)[0] if "Company signals: " in notes else ""
    signals = "; ".join(part.split(" — ")[0] for part in signals.split("; ")) if signals else "no signals"
    breakdown = notes.rsplit("= ", 1)[-1].rstrip(".") if "= " in notes else notes[-80:]
    return f"[{signals}] {breakdown}"[:150]


def table(verdicts: list[Verdict]) -> str:
    agree = sum(v.agrees for v in verdicts)
    lines = [
        f"{'host':<28} {'label':<5} {'got':<5} {'score':>5}  {'best lead':<36} notes",
        *(
            f"{v.host:<28} {v.label:<5} {v.got:<5} {v.score if v.score is not None else '-':>5}  "
            f"{v.best:<36} {'' if v.agrees else '<-- DISAGREES '}{_excerpt(v.notes)}"
            for v in verdicts
        ),
        f"agreement: {agree}/{len(verdicts)} = {agree / len(verdicts):.1%} (minimum {MIN_AGREEMENT:.0%})",
    ]
    return "\n".join(lines)


def test_builtin_scorer_agrees_with_the_labels(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine, account_id: str
) -> None:
    assert len(LABELLED) >= 20
    urls = ",".join(sites.url(host) for host in LABELLED)
    result = crawl(f"urls={urls}", "depth=2", f"account={account_id}", timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    verdicts = company_verdicts(engine, account_id)
    report = table(verdicts)
    print("\n" + report)
    agreement = sum(v.agrees for v in verdicts) / len(verdicts)
    assert agreement >= MIN_AGREEMENT, "\n" + report
