"""Webhooks: register (secret shown once), list, get, delete, test ping, delivery log and redelivery."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask.views import MethodView
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates
from sqlalchemy import func, select, update

from api.rest.auth import current_account
from api.rest.database import db_session
from api.rest.errors import Conflict, NotFound
from api.rest.netpolicy import webhook_policy
from api.rest.owned import get_owned
from api.rest.pagination import SortColumn, paginate
from api.rest.resources import RATE_LIMIT_HEADERS, Blueprint, documented_errors
from api.rest.schemas import PageArgsSchema, Timestamp, list_schema
from api.worker.webhooks import new_secret
from crawler.netguard import PLATFORM_REFUSAL, NetworkPolicy
from db.accounts import lock_account
from db.models import OutboxEvent, Webhook, WebhookDelivery
from db.outbox import EVENT_TYPES, TEST_EVENT, envelope
from db.types import utcnow

blp = Blueprint(
    "webhooks",
    __name__,
    url_prefix="/v1/webhooks",
    description="Webhook endpoints: signed, retried deliveries of job, lead, credit and company-signal "
    "events (company.signal_detected: a re-crawl found a new buying signal, with its evidence).",
)

MAX_URL_LENGTH = 2048
MAX_WEBHOOKS = 25  # per account; each event is sent to every subscribed endpoint


class WebhookUrl(fields.String):
    """https only; plain http and private addresses only for hosts the operator's webhook allowlist
    covers; never the platform's own services (the sender checks again at every delivery)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if len(text) > MAX_URL_LENGTH:
            raise ValidationError(f"URL longer than {MAX_URL_LENGTH} characters")
        try:
            parts = urlsplit(text)
            host = parts.hostname
            port = parts.port
        except ValueError:
            raise ValidationError("Malformed URL") from None
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not host:
            raise ValidationError("Must be an absolute https:// URL")
        if parts.username or parts.password:
            raise ValidationError("Credentials in the URL are not allowed")
        port = port or (443 if scheme == "https" else 80)
        policy = webhook_policy()
        refused = policy.host_reason(host, port)
        if refused and PLATFORM_REFUSAL in refused:
            raise ValidationError(f"Webhooks are not sent to the platform's own services ({refused})")
        if refused:
            raise ValidationError(f"Webhooks are not sent to private addresses ({refused})")
        # allowed, yet refused under a public-only rule: a local host the operator allows
        local = NetworkPolicy(setting=policy.setting).host_reason(host, port) is not None
        if scheme == "http" and not local:
            raise ValidationError("Must be https (plain http only for local hosts the operator allows)")
        return text


class WebhookCreateSchema(Schema):
    class Meta:
        unknown = RAISE

    url = WebhookUrl(required=True, metadata={"description": "Endpoint URL (must be HTTPS)"})
    events = fields.List(
        fields.String(validate=validate.OneOf(EVENT_TYPES)),
        required=True,
        validate=validate.Length(min=1, max=len(EVENT_TYPES)),
        metadata={"description": "Any of: " + ", ".join(EVENT_TYPES)},
    )
    description = fields.String(allow_none=True, validate=validate.Length(max=500))

    @validates("events")
    def _unique(self, value: list[str], **_: Any) -> None:
        if len(set(value)) != len(value):
            raise ValidationError("Duplicate events")


class WebhookSchema(Schema):
    id = fields.String(metadata={"example": "webhook_01JD3Z8V6M4W9QX2N7B5C1KTRE"})
    url = fields.String()
    events = fields.List(fields.String())
    description = fields.String(allow_none=True)
    is_active = fields.Boolean(metadata={"description": "false once the receiver answered 410 Gone"})
    last_triggered_at = Timestamp(allow_none=True, metadata={"description": "Last delivery attempt"})
    failing_since = Timestamp(
        allow_none=True,
        metadata={"description": "Set when a delivery exhausted its retries (or 410); cleared on success"},
    )
    disabled_reason = fields.String(allow_none=True)
    created_at = Timestamp()


class WebhookCreatedSchema(WebhookSchema):
    secret = fields.String(
        metadata={"description": "Signing secret (whsec_...). Shown only in this response: store it."}
    )


class AttemptSchema(Schema):
    attempt = fields.Integer()
    at = fields.String(metadata={"description": "When the attempt was made (ISO 8601)"})
    outcome = fields.String(metadata={"enum": ["succeeded", "failed"]})
    response_code = fields.Integer(allow_none=True)
    latency_ms = fields.Integer(allow_none=True)
    error = fields.String(allow_none=True)
    next_attempt_at = fields.String(metadata={"description": "When the next retry is due, if any"})


class DeliverySchema(Schema):
    id = fields.String(metadata={"example": "dlv_01JD3Z8V6M4W9QX2N7B5C1KTRE"})
    event_id = fields.String(
        metadata={"description": "Also the webhook-id header: the same on every attempt"}
    )
    event_type = fields.String()
    status = fields.String(metadata={"enum": ["pending", "succeeded", "failed"]})
    attempts = fields.Integer()
    next_attempt_at = Timestamp(allow_none=True)
    response_code = fields.Integer(allow_none=True)
    latency_ms = fields.Integer(allow_none=True)
    error = fields.String(allow_none=True)
    created_at = Timestamp()
    delivered_at = Timestamp(allow_none=True)
    attempt_log = fields.List(fields.Nested(AttemptSchema), data_key="attempt_history")


WebhookListSchema = list_schema(WebhookSchema, "WebhookList")
DeliveryListSchema = list_schema(DeliverySchema, "WebhookDeliveryList")
WEBHOOK_SORT = [
    SortColumn(Webhook.created_at, lambda w: w.created_at, "datetime"),
    SortColumn(Webhook.id, lambda w: w.id, "str"),
]
DELIVERY_SORT = [
    SortColumn(WebhookDelivery.created_at, lambda d: d.created_at, "datetime"),
    SortColumn(WebhookDelivery.id, lambda d: d.id, "str"),
]


def get_own_webhook(webhook_id: str) -> Webhook:
    """The caller's webhook, or 404 (see api.rest.owned.get_owned)."""
    return get_owned(Webhook, webhook_id, "webhook")


def _with_event_types(deliveries: list[WebhookDelivery]) -> list[WebhookDelivery]:
    """Attach each delivery's event type (a plain attribute the schema reads; not stored)."""
    ids = {d.event_id for d in deliveries}
    types: dict[str, str] = {}
    if ids:
        rows = db_session().execute(
            select(OutboxEvent.id, OutboxEvent.event_type).where(OutboxEvent.id.in_(ids))
        )
        types = {event_id: event_type for event_id, event_type in rows}
    for delivery in deliveries:
        delivery.event_type = types.get(delivery.event_id)  # type: ignore[attr-defined]
    return deliveries


@blp.route("")
class Webhooks(MethodView):
    @blp.arguments(WebhookCreateSchema)
    @blp.response(201, WebhookCreatedSchema, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 409, body=True)
    def post(self, body: dict[str, Any]) -> Webhook:
        """Register a webhook endpoint (the signing secret is only shown in this response)"""
        session = db_session()
        account = current_account()
        # Registrations of one account queue here, so parallel requests cannot pass the cap together.
        lock_account(session, account.id)
        count = session.scalar(select(func.count()).where(Webhook.account_id == account.id)) or 0
        if count >= MAX_WEBHOOKS:
            raise Conflict(
                f"An account can register at most {MAX_WEBHOOKS} webhooks",
                {"field": "url", "reason": "too many webhooks; delete one first"},
            )
        hook = Webhook(
            account_id=account.id,
            url=body["url"],
            events=list(body["events"]),
            description=body.get("description"),
            secret=new_secret(),
            is_active=True,
            created_at=utcnow(),
        )
        session.add(hook)
        session.commit()
        return hook

    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, WebhookListSchema, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 400)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List your webhooks, newest first, with when each was last triggered"""
        page = paginate(
            db_session(),
            select(Webhook).where(Webhook.account_id == current_account().id),
            sort_name="webhooks:created_at:desc",
            columns=WEBHOOK_SORT,
            descending=True,
            limit=args["limit"],
            cursor=args.get("cursor"),
        )
        return {"data": page.items, "pagination": page.pagination()}


@blp.route("/<webhook_id>")
class WebhookById(MethodView):
    @blp.response(200, WebhookSchema, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 404)
    def get(self, webhook_id: str) -> Webhook:
        """Get a webhook (without its secret)"""
        return get_own_webhook(webhook_id)

    @blp.response(204, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 404)
    def delete(self, webhook_id: str) -> None:
        """Delete a webhook; deliveries still pending for it are dropped"""
        session = db_session()
        session.delete(get_own_webhook(webhook_id))
        session.commit()


@blp.route("/<webhook_id>/test")
class WebhookTest(MethodView):
    @blp.response(202, DeliverySchema, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 404, 409)
    def post(self, webhook_id: str) -> WebhookDelivery:
        """Send a signed `webhook.test` event to this endpoint (delivered by the worker, like any event)"""
        session = db_session()
        hook = get_own_webhook(webhook_id)
        if not hook.is_active:
            raise Conflict(
                "Webhook is disabled", {"field": "id", "reason": hook.disabled_reason or "disabled"}
            )
        now = utcnow()
        # job_id: null, so that every body carries data.job_id as README promises receivers.
        data = {"webhook_id": hook.id, "job_id": None, "message": "Test event from LeadScraper"}
        event = OutboxEvent(
            account_id=hook.account_id,
            event_type=TEST_EVENT,
            payload=envelope(TEST_EVENT, data, now),
            created_at=now,
            dispatched_at=now,  # addressed to this endpoint alone, never fanned out
        )
        session.add(event)
        session.flush()
        delivery = WebhookDelivery(
            webhook_id=hook.id,
            event_id=event.id,
            status="pending",
            attempts=0,
            next_attempt_at=now,
            attempt_log=[],
            created_at=now,
        )
        session.add(delivery)
        session.commit()
        return _with_event_types([delivery])[0]


@blp.route("/<webhook_id>/deliveries")
class WebhookDeliveries(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, DeliveryListSchema, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 400, 404)
    def get(self, args: dict[str, Any], webhook_id: str) -> dict[str, Any]:
        """List a webhook's deliveries, newest first, each with every attempt (time, code, latency, error)"""
        hook = get_own_webhook(webhook_id)
        page = paginate(
            db_session(),
            select(WebhookDelivery).where(WebhookDelivery.webhook_id == hook.id),
            sort_name="deliveries:created_at:desc",
            columns=DELIVERY_SORT,
            descending=True,
            limit=args["limit"],
            cursor=args.get("cursor"),
        )
        return {"data": _with_event_types(page.items), "pagination": page.pagination()}


@blp.route("/<webhook_id>/deliveries/<delivery_id>/redeliver")
class WebhookRedeliver(MethodView):
    @blp.response(202, DeliverySchema, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 404, 409)
    def post(self, webhook_id: str, delivery_id: str) -> WebhookDelivery:
        """Send a delivery again now (same event id and body), with a fresh retry schedule"""
        session = db_session()
        hook = get_own_webhook(webhook_id)
        if not hook.is_active:
            raise Conflict(
                "Webhook is disabled", {"field": "id", "reason": hook.disabled_reason or "disabled"}
            )
        delivery = session.scalar(
            select(WebhookDelivery).where(
                WebhookDelivery.id == delivery_id, WebhookDelivery.webhook_id == hook.id
            )
        )
        if delivery is None:
            raise NotFound(
                f"Delivery {delivery_id} not found",
                {"field": "delivery_id", "reason": "no such delivery for this webhook"},
            )
        # Attempts restart at 0 (a full retry schedule); the attempt history keeps every earlier try.
        session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == delivery.id)
            .values(status="pending", attempts=0, next_attempt_at=utcnow(), delivered_at=None)
        )
        session.commit()
        session.refresh(delivery)
        return _with_event_types([delivery])[0]
