"""E-mail verification (is this address deliverable?) and e-mail finding (what is this person's address?).

Pure of the crawl engine and the database, like ``crawler/netguard.py``: the crawler's pipelines and
the API's worker both use it. Everything goes in and out as plain values::

    verifier = Verifier(VerifierConfig.from_env())      # one per job: it caches per domain
    result = verifier.verify("anna.schmidt@acme.de")     # EmailVerification
    result.status, result.to_dict()                      # "deliverable", {"email_status": ..., ...}

    guess = guess_email("Jonas Weber", [("Anna Schmidt", "anna.schmidt@acme.de")])
    guess and verifier.verify_guess(guess).to_dict()     # {"address", "pattern", "confidence", "basis", ...}

Checks, in the order they are recorded (``email_checks``): ``syntax`` (email-validator), ``dns``
(MX, else the domain's own A/AAAA; the MX hosts' addresses), ``disposable`` (the shipped list),
``role`` (info@, sales@ ...: a flag only), ``smtp`` (``RCPT TO``, only when
``LEADSCRAPER_SMTP_PROBE=1``) and ``catch_all`` (``RCPT TO`` a random mailbox of the domain).

Status table — the first row that matches decides ``email_status``:

==  ==========================================================  ===============
#   checks                                                      status
==  ==========================================================  ===============
1   syntax ``invalid``                                          undeliverable
2   dns ``nxdomain``, ``null_mx`` or ``no_mail_host``           undeliverable
3   smtp ``rejected`` (550/551/553, 5.1.x)                      undeliverable
4   disposable ``yes``                                          risky
5   catch_all ``yes`` (a random mailbox is accepted too)        risky
6   smtp ``mailbox_full`` (452/552) or ``greylisted`` (450/451)  risky
7   smtp ``accepted`` and catch_all ``no``                      deliverable
8   smtp ``accepted`` and catch_all ``undetermined``            risky
9   anything else: probing off, dns ``error``, smtp              unknown
    ``unreachable`` / ``refused`` / ``inconclusive``
==  ==========================================================  ===============

Why: ``deliverable`` is a promise a sales team sends on, so it needs the mail host's own yes *and*
its no for a made-up mailbox — a catch-all domain says yes to everything, so its yes proves nothing
and the address is ``risky``. ``undeliverable`` needs proof that mail bounces. With probing off, an
address whose domain takes mail is ``unknown``, not ``risky``: nothing speaks against it, but nothing
confirms the mailbox either. A role address is flagged (``role``), never downgraded: info@ usually
exists; whether a shared mailbox is a lead is the scorer's business. Disposable domains are not
probed at all.

E-mail finding (:mod:`crawler.verify.patterns`) infers a company's address pattern from the
(name, address) pairs found on its domain and offers ``email_guess`` = {address, pattern,
confidence, basis} for a person without an address; a guess is never a lead's ``email``.
:mod:`crawler.verify.evaluation` measures the confidence against held-out addresses.

Probing rules: MX hosts by preference (at most ``max_mx_hosts``); every address of a host must pass
the network guard (``crawler.netguard``: no loopback, private, link-local ... unless allowlisted);
at most ``max_probes_per_host_per_second`` connections per host; each socket operation waits at
most ``connect_timeout`` and the whole address at most ``budget_seconds``; no DATA, ever.
"""

from __future__ import annotations

from crawler.verify.config import VerifierConfig
from crawler.verify.errors import VerifierConfigError, VerifyError
from crawler.verify.flags import is_disposable_domain
from crawler.verify.patterns import (
    EmailGuess,
    Pattern,
    SitePattern,
    guess_candidates,
    guess_email,
    infer_pattern,
    on_domain,
)
from crawler.verify.results import Answer, Check, CheckName, EmailStatus, EmailVerification
from crawler.verify.verifier import Verifier

__all__ = [
    "Answer",
    "Check",
    "CheckName",
    "EmailGuess",
    "EmailStatus",
    "EmailVerification",
    "Pattern",
    "SitePattern",
    "Verifier",
    "VerifierConfig",
    "VerifierConfigError",
    "VerifyError",
    "guess_candidates",
    "guess_email",
    "infer_pattern",
    "is_disposable_domain",
    "on_domain",
]
