"""The shipped disposable-provider list and the role-mailbox flag."""

from __future__ import annotations

import pytest

from crawler.verify import is_disposable_domain
from crawler.verify.flags import disposable_domains, is_role_email


def test_the_shipped_list_is_loaded_from_package_data() -> None:
    listed = disposable_domains()

    assert len(listed) > 10_000
    assert {"mailinator.com", "guerrillamail.com", "yopmail.com"} <= listed
    assert not {"gmail.com", "outlook.com", "gmx.de", "web.de", "t-online.de", "orange.fr"} & listed


@pytest.mark.parametrize(
    ("domain", "disposable"),
    [
        ("mailinator.com", True),
        ("MAILINATOR.COM.", True),
        ("team.mailinator.com", True),  # providers hand out subdomains
        ("acme.de", False),
        ("mailinator.com.acme.de", False),  # a parent, not a suffix match on text
        ("com", False),
    ],
)
def test_a_domain_or_its_parent_on_the_list_is_disposable(domain: str, disposable: bool) -> None:
    assert is_disposable_domain(domain) is disposable


def test_operator_entries_extend_the_list() -> None:
    assert is_disposable_domain("wegwerf.acme.de", frozenset({"acme.de"})) is True
    assert is_disposable_domain("acme.de") is False


def test_role_mailboxes_come_from_the_extractors_vocabulary() -> None:
    assert is_role_email("info@acme.de") is True
    assert is_role_email("vertrieb.berlin@acme.de") is True
    assert is_role_email("anna.schmidt@acme.de") is False
