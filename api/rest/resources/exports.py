"""Lead exports: request one (built by the worker), read its status, download the file by signed URL."""

from __future__ import annotations

import hmac
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Response, current_app, request, send_file, url_for
from flask.views import MethodView
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates
from sqlalchemy import func, select

from api.rest.auth import current_account
from api.rest.database import db_session
from api.rest.errors import NotFound
from api.rest.leadquery import LeadFilterSchema, filter_leads
from api.rest.owned import get_owned
from api.rest.resources import RATE_LIMIT_HEADERS, Blueprint, documented_errors
from api.rest.schemas import Timestamp
from api.worker.exports import CONTENT_TYPES, EXPORT_FIELDS, FORMATS
from db.models import Export, Lead
from db.types import utcnow

blp = Blueprint("exports", __name__, url_prefix="/v1", description="Export leads to CSV or JSON files.")
# The download is authorised by the token in its URL (it works in a browser or a plain curl), so it
# lives on a blueprint that api.rest.auth treats as public.
downloads_blp = Blueprint(
    "export_downloads",
    __name__,
    url_prefix="/v1/exports",
    description="Download export files by their signed, expiring URL.",
)


class ExportFiltersSchema(LeadFilterSchema):
    """GET /v1/leads' filters in a JSON body: numbers must be JSON numbers there (``70``, not ``"70"``)."""

    class Meta:
        unknown = RAISE

    score_min = fields.Integer(strict=True, validate=validate.Range(min=0, max=100))
    score_max = fields.Integer(strict=True, validate=validate.Range(min=0, max=100))


class ExportRequestSchema(Schema):
    class Meta:
        unknown = RAISE

    format = fields.String(
        required=True,
        validate=validate.OneOf(FORMATS),
        metadata={"description": "csv, json (one array) or jsonl (JSON Lines, extra)"},
    )
    filters = fields.Nested(
        ExportFiltersSchema, load_default=dict, metadata={"description": "Same filters as GET /v1/leads"}
    )
    fields_ = fields.List(
        fields.String(validate=validate.OneOf(EXPORT_FIELDS)),
        data_key="fields",
        validate=validate.Length(min=1, max=len(EXPORT_FIELDS)),
        metadata={
            "description": "Fields to include, in this order: any of the lead's (default: all of them) and "
            "of its company's (company_street, company_postal_code, company_city, company_region, "
            "company_country, company_social_profiles, company_signals, company_enrichment, company_score, "
            "company_lead_count, company_people_count; only when named)"
        },
    )

    @validates("fields_")
    def _unique(self, value: list[str], **_: Any) -> None:
        if len(set(value)) != len(value):
            raise ValidationError("Duplicate fields")


class ExportCreatedSchema(Schema):
    export_id = fields.String(metadata={"example": "export_01JD3Z8V6M4W9QX2N7B5C1KTRE"})
    status = fields.String(metadata={"enum": ["processing"]})
    estimated_completion = Timestamp()


class ExportSchema(Schema):
    export_id = fields.String(attribute="id")
    status = fields.String(metadata={"enum": ["processing", "completed", "failed", "expired"]})
    format = fields.String()
    download_url = fields.Method(
        "_download_url",
        allow_none=True,
        metadata={"type": "string", "description": "Signed URL, valid until expires_at (no API key needed)"},
    )
    expires_at = Timestamp(allow_none=True)
    total_leads = fields.Integer(allow_none=True)
    file_size = fields.Integer(allow_none=True, metadata={"description": "Bytes"})
    fields_ = fields.List(fields.String(), attribute="fields", data_key="fields")
    filters = fields.Dict()
    error = fields.String(allow_none=True)
    created_at = Timestamp()
    completed_at = Timestamp(allow_none=True)

    def _download_url(self, export: Export) -> str | None:
        """On the configured public URL (``LEADSCRAPER_PUBLIC_URL``), never on the request's ``Host``
        header: a forged Host must not get a link to another server that carries the token."""
        if export.status != "completed" or not export.download_token:
            return None
        path = url_for("export_downloads.ExportDownload", export_id=export.id, token=export.download_token)
        # the public URL includes any prefix the API is served under
        path = path[len(request.script_root) :] if path.startswith(request.script_root) else path
        return str(current_app.config["PUBLIC_URL"]).rstrip("/") + path


def get_own_export(export_id: str) -> Export:
    """The caller's export, or 404 (see api.rest.owned.get_owned)."""
    return get_owned(Export, export_id, "export")


@blp.route("/leads/export")
class LeadExport(MethodView):
    @blp.arguments(ExportRequestSchema)
    @blp.response(200, ExportCreatedSchema, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, body=True)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Export leads to a CSV or JSON file (built in the background; poll GET /v1/exports/{id})"""
        session = db_session()
        account = current_account()
        filters = body["filters"]
        matching = session.scalar(
            filter_leads(select(func.count()).select_from(Lead).where(Lead.account_id == account.id), filters)
        )
        now = utcnow()
        export = Export(
            account_id=account.id,
            format=body["format"],
            filters=ExportFiltersSchema().dump(filters),
            fields=list(body.get("fields_") or []),
            status="processing",
            created_at=now,
        )
        session.add(export)
        session.commit()
        # ~20,000 leads a second once the worker picks it up (it polls every second).
        eta = now + timedelta(seconds=2 + (matching or 0) / 20_000)
        return {"export_id": export.id, "status": export.status, "estimated_completion": eta}


@blp.route("/exports/<export_id>")
class ExportById(MethodView):
    @blp.response(200, ExportSchema, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 404)
    def get(self, export_id: str) -> Export:
        """Get an export's status; once completed, its download URL, expiry and lead count"""
        return get_own_export(export_id)


class DownloadArgsSchema(Schema):
    token = fields.String(required=True, metadata={"description": "From download_url"})


@downloads_blp.route("/<export_id>/download")
class ExportDownload(MethodView):
    @downloads_blp.arguments(DownloadArgsSchema, location="query")
    @downloads_blp.response(200, headers=RATE_LIMIT_HEADERS)
    @downloads_blp.alt_response(
        404, response="NOT_FOUND", description="`not_found`: unknown, expired or bad token"
    )
    @documented_errors(downloads_blp, 400)
    def get(self, args: dict[str, Any], export_id: str) -> Response:
        """Download an export file (authorised by the signed URL's token, valid until expires_at)"""
        export = db_session().scalar(select(Export).where(Export.id == export_id))
        missing = NotFound(
            "Export file not found or expired", {"field": "token", "reason": "invalid or expired"}
        )
        if export is None or not export.download_token or not export.file_path:
            raise missing
        # As bytes: compare_digest refuses non-ASCII text, and a token that merely cannot match must
        # answer exactly what a wrong one does (an error here would tell that the export exists).
        given = args["token"].encode("utf-8", "surrogatepass")
        if not hmac.compare_digest(export.download_token.encode(), given):
            raise missing
        if export.status != "completed" or (export.expires_at and export.expires_at <= utcnow()):
            raise missing
        path = Path(export.file_path)
        if not path.is_file():
            raise missing
        response = send_file(
            path,
            mimetype=CONTENT_TYPES[export.format],
            as_attachment=True,
            download_name=f"{export.id}.{export.format}",
            conditional=True,
            max_age=0,
        )
        response.headers["Cache-Control"] = "private, no-store"
        # send_file's conditional handling stamps a Date; the HTTP server adds its own (two Dates).
        response.headers.pop("Date", None)
        return response
