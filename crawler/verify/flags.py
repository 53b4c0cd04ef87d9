"""Flags that need no network: shared (role) mailboxes and disposable-mail providers."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

# The one place this package reads the extractor's role vocabulary: that module may move, and a
# single import keeps the move a one-line change.
from crawler.extract.mailboxes import is_role_email

__all__ = ["disposable_domains", "is_disposable_domain", "is_role_email"]

_LIST = "disposable_domains.txt"


@lru_cache(maxsize=1)
def disposable_domains() -> frozenset[str]:
    """The shipped blocklist (``crawler/verify/data/disposable_domains.txt``; source and licence in it)."""
    text = resources.files("crawler.verify").joinpath("data", _LIST).read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def is_disposable_domain(domain: str, extra: frozenset[str] = frozenset()) -> bool:
    """True when ``domain`` or one of its parent domains is a known throwaway-mail provider.

    Parents count because these providers hand out subdomains (``x.mailinator.com``); ``extra``
    adds an operator's own entries.
    """
    labels = domain.strip().rstrip(".").lower().split(".")
    listed = disposable_domains()
    for i in range(len(labels) - 1):
        candidate = ".".join(labels[i:])
        if candidate in listed or candidate in extra:
            return True
    return False
