"""LeadScraper REST API v1: a Flask app factory with one flask-smorest blueprint per resource."""

from __future__ import annotations

from api.rest.app import create_app

__all__ = ["create_app"]
