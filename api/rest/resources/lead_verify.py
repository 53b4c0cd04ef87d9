"""POST /v1/leads/{id}/verify: check one lead's address again, or guess a person's missing one."""

from __future__ import annotations

import os

from flask import current_app
from flask.views import MethodView
from sqlalchemy import select

from api.rest.database import db_session
from api.rest.errors import Conflict, ServiceUnavailable
from api.rest.leadquery import LeadSchema
from api.rest.netpolicy import platform
from api.rest.resources import RATE_LIMIT_HEADERS, documented_errors
from api.rest.resources.leads import blp, get_own_lead
from crawler.verify import Verifier, VerifierConfig, VerifierConfigError, guess_email, on_domain
from db.models import Lead
from db.outbox import record_lead_qualified
from db.types import utcnow
from pipelines.scoring import Weights, rescore_own_facts


def verifier_config() -> VerifierConfig:
    """The verifier's settings: ``VERIFIER_CONFIG`` from the app's configuration (tests, embedders),
    else the ``LEADSCRAPER_SMTP_*`` / ``LEADSCRAPER_DNS_*`` environment; either way no probe reaches
    the platform's own services."""
    given = current_app.config.get("VERIFIER_CONFIG")
    try:
        config = given if isinstance(given, VerifierConfig) else VerifierConfig.from_env()
    except VerifierConfigError as exc:
        raise ServiceUnavailable(
            f"E-mail verification is misconfigured: {exc}",
            {"field": "verification", "reason": "the operator's verification settings are invalid"},
        ) from None
    return config.with_platform(platform())


def score_weights() -> Weights:
    """The score weights the crawls use (``LEADSCRAPER_SCORE_WEIGHTS``), for a lead scored again here."""
    try:
        return Weights.from_json(os.environ.get("LEADSCRAPER_SCORE_WEIGHTS"))
    except (ValueError, TypeError, AttributeError) as exc:
        raise ServiceUnavailable(
            f"The score weights are misconfigured: {exc}",
            {"field": "LEADSCRAPER_SCORE_WEIGHTS", "reason": "not a JSON object of known weights"},
        ) from None


def known_addresses(lead: Lead) -> list[tuple[str, str]]:
    """(name, address) of the named people of the lead's company with an address on its domain."""
    if not lead.company_domain:
        return []
    rows = db_session().execute(
        select(Lead.full_name, Lead.email).where(
            Lead.account_id == lead.account_id,
            Lead.company_domain == lead.company_domain,
            Lead.contact_type == "personal",
            Lead.email.is_not(None),
            Lead.full_name.is_not(None),
            Lead.id != lead.id,
        )
    )
    domain = lead.company_domain
    return [(name, email) for name, email in rows if name and email and on_domain(email, domain)]


@blp.route("/<lead_id>/verify")
class LeadVerify(MethodView):
    @blp.response(200, LeadSchema, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 404, 409)
    def post(self, lead_id: str) -> Lead:
        """Verify a lead's e-mail again, or guess and verify the address of a person without one

        A lead with an `email` gets a fresh `email_status`, `email_checks` and `verified_at`. A person
        without one gets a new `email_guess` from the addresses of their company's other people (never
        written to `email`); when no guess can be made the answer is 409 `conflict`. No credits are
        charged. A scored lead is scored again for the new status (its company's part as its last
        crawl scored it: `score_breakdown` shows the new line), and a lead that reaches 70 for the
        first time is announced (`lead.qualified`).
        """
        session = db_session()
        lead = get_own_lead(lead_id)
        verifier = Verifier(verifier_config())
        if lead.email:
            weights = score_weights()  # before the probe: a misconfiguration costs no SMTP session
            result = verifier.verify(lead.email)
            lead.email_status = result.status.value
            lead.email_checks = [check.to_dict() for check in result.checks]
            lead.verified_at = result.verified_at
            if rescore_own_facts(lead, weights):
                record_lead_qualified(session, lead.account_id, [lead.id], job_id=lead.job_id)
        else:
            known = known_addresses(lead)
            personal = lead.contact_type == "personal" and bool(lead.full_name)
            guess = guess_email(lead.full_name or "", known) if personal and known else None
            if guess is None:
                reason = (
                    "the lead has no email and no name to guess one from"
                    if not personal
                    else "too few of the company's addresses follow one pattern to guess from"
                )
                raise Conflict(
                    f"Lead {lead.id} has no email, and none can be guessed",
                    {"field": "email", "reason": reason},
                )
            lead.email_guess = verifier.verify_guess(guess).to_dict()
        lead.updated_at = utcnow()
        session.commit()
        return lead
