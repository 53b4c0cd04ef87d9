"""What some tests need from the machine beyond Python: Chromium, Redis, Node.js, a second loopback address.

On a developer's machine a missing one skips the tests that need it, naming what to install. Under CI
(the ``CI`` environment variable set and not empty, as ``.ci/run`` and hosted runners do) the same
tests fail instead: a green CI run that skipped the browser tests would vouch for a crawler whose
rendered pages, and their network guard, were never exercised.

Two ways in, one rule:

- ``missing("Redis", "no Redis on 127.0.0.1:6379")`` inside a test or fixture, where the check
  needs a connection;
- ``@requires("Chromium", browser_available, "apt-get install chromium")`` on a test, checked when
  the test is set up (``tests/conftest.py``), so collecting the suite never probes the machine.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import NoReturn

import pytest

MARKER = "requires_feature"


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


def missing(feature: str, reason: str) -> NoReturn:
    """Skip the running test for want of ``feature``, or fail it when running under CI."""
    message = f"{feature} not available: {reason}"
    if in_ci():
        pytest.fail(f"{message} (CI is set: a missing feature fails rather than skips)", pytrace=False)
    pytest.skip(message)


def requires(feature: str, available: Callable[[], bool], reason: str) -> pytest.MarkDecorator:
    """Mark a test as needing ``feature``; ``available`` is called when the test is set up."""
    return getattr(pytest.mark, MARKER)(feature=feature, available=available, reason=reason)


def check_marks(item: pytest.Item) -> None:
    """``missing`` for the first feature a test is marked with that the machine lacks."""
    for mark in item.iter_markers(MARKER):
        if not mark.kwargs["available"]():
            missing(mark.kwargs["feature"], mark.kwargs["reason"])
