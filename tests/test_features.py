"""A feature the machine lacks skips its tests on a laptop and fails them under CI."""

from __future__ import annotations

import pytest

from tests import features


def test_a_missing_feature_skips_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="Redis not available: no Redis here"):
        features.missing("Redis", "no Redis here")


@pytest.mark.parametrize("value", ["1", "true"])
def test_a_missing_feature_fails_under_ci(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception, match="Chromium not available: apt-get install chromium"):
        features.missing("Chromium", "apt-get install chromium")


def test_an_empty_ci_variable_is_not_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception):
        features.missing("Node.js", "no node")


@features.requires("a feature every machine has", lambda: True, "never shown")
def test_a_mark_whose_feature_is_there_runs() -> None:
    assert features.MARKER == "requires_feature"


def test_a_mark_whose_feature_is_missing_is_checked_at_set_up(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "1")
    request.node.add_marker(features.requires("Teleporter", lambda: False, "not invented"))
    with pytest.raises(pytest.fail.Exception, match="Teleporter not available: not invented"):
        features.check_marks(request.node)
