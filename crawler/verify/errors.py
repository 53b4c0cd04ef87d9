"""The exceptions of the verification package."""

from __future__ import annotations


class VerifyError(Exception):
    """Raised for anything the verification package refuses to do; the base of the others."""


class VerifierConfigError(VerifyError, ValueError):
    """Raised when a verifier setting (or the environment variable behind it) is malformed."""
