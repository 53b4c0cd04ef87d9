"""The LLM answer cache: validated answers keyed by model, prompt version and content hash."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from db.models import LlmAnswer
from db.types import utcnow


def cached_answer(session: Session, cache_key: str) -> dict[str, Any] | None:
    row = session.get(LlmAnswer, cache_key)
    return dict(row.answer) if row is not None else None


def store_answer(
    session: Session, cache_key: str, model: str, content_hash: str, answer: dict[str, Any]
) -> None:
    """Keep an answer; a concurrent writer of the same key wrote the same answer, so merge is fine."""
    session.merge(
        LlmAnswer(
            cache_key=cache_key, model=model, content_hash=content_hash, answer=answer, created_at=utcnow()
        )
    )
