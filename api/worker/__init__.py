"""Background work: the worker loop and its tasks (webhook delivery, exports, schedules, retention)."""
