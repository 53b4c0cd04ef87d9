"""E-mail verification (is this address deliverable?) and e-mail finding (what is this person's address?)."""

from __future__ import annotations

from crawler.verify.errors import VerifierConfigError, VerifyError
from crawler.verify.flags import is_disposable_domain

__all__ = ["VerifierConfigError", "VerifyError", "is_disposable_domain"]
