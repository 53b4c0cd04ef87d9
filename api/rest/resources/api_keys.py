"""API keys: create (the key is shown once), list (prefix only), revoke."""

from __future__ import annotations

from typing import Any

from flask import g
from flask.views import MethodView
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates
from sqlalchemy import select

from api.rest.auth import current_account
from api.rest.database import db_session
from api.rest.errors import Forbidden, NotFound
from api.rest.pagination import SortColumn, paginate
from api.rest.resources import RATE_LIMIT_HEADERS, Blueprint, documented_errors
from api.rest.schemas import PageArgsSchema, Timestamp, list_schema
from db.accounts import SCOPES, KeyBoundsError, create_api_key, revoke_api_key
from db.models import ApiKey
from db.types import utcnow

blp = Blueprint("api_keys", __name__, url_prefix="/v1/api-keys", description="Manage your API keys.")


class ApiKeyCreateSchema(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    scopes = fields.List(
        fields.String(validate=validate.OneOf(SCOPES)),
        required=True,
        validate=validate.Length(min=1, max=3),
        metadata={"description": "read (GET), write (POST/PATCH), delete (DELETE)"},
    )
    expires_at = Timestamp(
        allow_none=True,
        metadata={
            "description": "ISO 8601; must be in the future, and not after the expiry of the key that "
            "creates it (default: that key's expiry)"
        },
    )

    @validates("scopes")
    def _unique(self, value: list[str], **_: Any) -> None:
        if len(set(value)) != len(value):
            raise ValidationError("Duplicate scopes")

    @validates("expires_at")
    def _future(self, value: Any, **_: Any) -> None:
        if value is not None and value <= utcnow():
            raise ValidationError("Must be in the future")


class ApiKeySchema(Schema):
    id = fields.String(metadata={"example": "key_01JD3Z8V6M4W9QX2N7B5C1KTRE"})
    name = fields.String()
    key_prefix = fields.String(metadata={"description": "First characters of the key, to tell keys apart"})
    scopes = fields.List(fields.String())
    last_used_at = Timestamp(allow_none=True, metadata={"description": "Updated at most once a minute"})
    expires_at = Timestamp(allow_none=True)
    created_at = Timestamp()


class ApiKeyCreatedSchema(ApiKeySchema):
    key = fields.String(metadata={"description": "The full key. Shown only in this response: store it."})

    class Meta:
        exclude = ("last_used_at",)


ApiKeyListSchema = list_schema(ApiKeySchema, "ApiKeyList")
KEY_SORT = [
    SortColumn(ApiKey.created_at, lambda k: k.created_at, "datetime"),
    SortColumn(ApiKey.id, lambda k: k.id, "str"),
]


@blp.route("")
class ApiKeys(MethodView):
    @blp.arguments(ApiKeyCreateSchema)
    @blp.response(201, ApiKeyCreatedSchema, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, body=True)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create an API key (the full key is only shown in this response)

        A key never outranks nor outlives the key that creates it: only scopes it holds itself,
        an expiry no later than its own (its own when none is given), 403 otherwise. Revoking a
        key revokes the keys made with it.
        """
        session = db_session()
        try:
            row, key = create_api_key(
                session,
                current_account().id,
                body["name"],
                body["scopes"],
                body.get("expires_at"),
                parent=g.api_key,
            )
        except KeyBoundsError as exc:
            message = (
                "A key cannot create a key with scopes it does not have itself"
                if exc.field == "scopes"
                else "A key cannot create a key that outlives it"
            )
            raise Forbidden(message, {"field": exc.field, "reason": exc.reason}) from None
        session.commit()
        return {
            **ApiKeySchema().dump(row),
            "key": key,
            "expires_at": row.expires_at,
            "created_at": row.created_at,
        }

    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, ApiKeyListSchema, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 400)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List your active (not revoked) API keys, newest first"""
        stmt = select(ApiKey).where(ApiKey.account_id == current_account().id, ApiKey.revoked_at.is_(None))
        page = paginate(
            db_session(),
            stmt,
            sort_name="keys:created_at:desc",
            columns=KEY_SORT,
            descending=True,
            limit=args["limit"],
            cursor=args.get("cursor"),
        )
        return {"data": page.items, "pagination": page.pagination()}


@blp.route("/<key_id>")
class ApiKeyById(MethodView):
    @blp.response(204, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 404)
    def delete(self, key_id: str) -> None:
        """Revoke an API key and the keys made with it (cannot be undone; they get 401 from now on)

        Revoking needs every scope the key holds (a `delete`-only key cannot revoke an all-scope
        key: 403).
        """
        session = db_session()
        key = session.scalar(
            select(ApiKey).where(
                ApiKey.id == key_id, ApiKey.account_id == current_account().id, ApiKey.revoked_at.is_(None)
            )
        )
        if key is None:
            raise NotFound(f"API key {key_id} not found", {"field": "id", "reason": "no such active key"})
        missing = [s for s in key.scopes or [] if s not in (g.api_key.scopes or [])]
        if missing:
            raise Forbidden(
                "A key cannot revoke a key with scopes it does not have itself",
                {"field": "id", "reason": f"your key lacks: {', '.join(missing)}"},
            )
        revoke_api_key(session, key)
        session.commit()
