"""Which e-mail addresses are contacts: role and placeholder mailboxes, tracking ids, real TLDs."""

from __future__ import annotations

import contextlib
import importlib.util
import re
from functools import lru_cache
from pathlib import Path

__all__ = ["ROLE_LOCALS", "is_role_email", "is_tld", "junk_reason"]

ROLE_LOCALS: frozenset[str] = frozenset(
    {
        "info", "contact", "contacts", "contactus", "contact-us", "sales", "support", "hello", "hi",
        "hallo", "office", "kontakt", "admin", "administrator", "team", "hr", "jobs", "job", "careers",
        "career", "recruiting", "recruitment", "bewerbung", "bewerbungen", "karriere", "press", "presse",
        "media", "pr", "marketing", "billing", "accounts", "accounting", "buchhaltung", "finance",
        "invoice", "invoices", "rechnung", "service", "kundenservice", "customerservice",
        "customer-service", "help", "helpdesk", "enquiries", "enquiry", "inquiries", "inquiry", "mail",
        "email", "post", "bonjour", "welcome", "noreply", "no-reply", "donotreply", "privacy", "legal",
        "webmaster", "hostmaster", "postmaster", "abuse", "security", "datenschutz", "impressum",
        "vertrieb", "verkauf", "anfrage", "anfragen", "bestellung", "orders", "order", "shop", "store",
        "booking", "bookings", "reservations", "reservation", "events", "feedback", "general", "mailbox",
        "reception", "empfang", "zentrale", "secretariat", "sekretariat", "business", "partners",
        "partner", "compliance", "dpo", "gdpr", "it", "tech", "ops", "operations", "purchasing",
        "einkauf", "procurement", "investors", "ir", "newsletter", "social", "commercial", "contato",
        "contacto", "servicio", "direction", "accueil", "administration", "frontdesk", "front-desk",
        "kanzlei", "praxis", "rezeption", "studio", "domaine", "boutique", "bureau",
        # departments and places of a firm (DE/FR/ES/NL): a workshop's or an office's mailbox
        "werkstatt", "buero", "verwaltung", "versand", "technik", "produktion", "lager", "redaktion",
        "atelier", "comptabilite", "ventas", "contabilidad", "administracion", "recepcion",
        "secretaria", "kantoor", "verkoop", "administratie", "boekhouding", "receptie",
    }
)  # fmt: skip

# Not contacts at all: automated senders and RFC-mandated mailboxes.
_NON_CONTACT_LOCALS = frozenset(
    {
        "noreply", "no-reply", "no_reply", "no.reply", "donotreply", "do-not-reply", "do_not_reply",
        "do.not.reply", "mailer-daemon", "mailerdaemon", "postmaster",
    }
)  # fmt: skip
_NON_CONTACT_PREFIXES = ("noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "do_not_reply")

_PLACEHOLDER_LOCALS = frozenset(
    {
        "name", "user", "username", "email", "e-mail", "mail.address", "emailaddress", "you", "someone",
        "somebody", "anyone", "firstname", "lastname", "firstname.lastname", "first.last",
        "first.lastname", "firstlast", "first_last", "name.surname", "vorname", "nachname",
        "vorname.nachname", "max.mustermann", "maxmustermann", "mustermann", "erika.mustermann",
        "john.doe", "jane.doe", "johndoe", "janedoe", "john_doe", "jdoe", "test", "testing", "example",
        "sample", "foo", "foobar", "address", "prenom.nom", "nom", "prenom", "nome.cognome", "nombre",
        "xyz", "abc",
    }
)  # fmt: skip
# Domains that appear in form hints and documentation. Sites that merely sound generic (test.de,
# mail.com) are left alone; email.com, though a real provider, is far more often a placeholder.
_PLACEHOLDER_DOMAINS = frozenset(
    {
        "domain.com", "domain.de", "domain.net", "domain.org", "email.com", "company.com", "test.com",
        "website.com", "sample.com", "site.com", "emailaddress.com", "placeholder.com", "musterfirma.de",
        "mustermann.de", "muster.de", "musterdomain.de", "testfirma.de",
    }
)  # fmt: skip
# "yourdomain", "your-company", "ihre-firma", "votre-domaine", "mysite": placeholder labels.
_PLACEHOLDER_LABEL_RE = re.compile(
    r"(?:your|ihre?|deine|votre|tu|my)[-_]?(?:domain|domaine|dominio|site|website|webseite|company|firma"
    r"|business|email|mail|name|shop|store|brand|url|host|unternehmen|entreprise|empresa)s?"
)
# "yourname@", "your.email@", "ihre.email@", "votre-nom@".
_PLACEHOLDER_LOCAL_RE = re.compile(
    r"(?:your|ihre?|deine|votre|tu)[._\-]?(?:name|full-?name|email|e-mail|mail|address|adresse|id|user"
    r"|username|login|vorname|nachname|nom|prenom)"
)
# A label that on its own marks a made-up domain (example.com, mail.example.org, beispiel.de).
_PLACEHOLDER_LABELS = frozenset(
    {"example", "beispiel", "exemple", "ejemplo", "esempio", "voorbeeld", "invalid"}
)
# Error-tracker ingest hosts and Wix's internal domain: their "addresses" are DSN keys and ids.
# (Sentry's own mailboxes, sales@sentry.io, are real; only its subdomains are ingest hosts.)
_TRACKING_DOMAIN_SUFFIXES = (".sentry.io", "wixpress.com", ".sentry-cdn.com")
# File extensions that email-validator would take for a top-level domain (logo@2x.png).
_ASSET_EXTS = frozenset(
    {
        "js", "mjs", "cjs", "css", "scss", "less", "map", "svg", "gif", "jpg", "jpeg", "png", "webp",
        "avif", "bmp", "tif", "tiff", "heic", "woff", "woff2", "ttf", "otf", "eot", "ico", "mp4", "webm",
        "mov", "mp3", "wav", "ogg", "pdf", "zip", "gz", "json", "xml", "html", "htm", "php", "asp",
        "aspx", "jsp", "txt", "csv", "doc", "docx", "xls", "xlsx", "ppt", "pptx",
    }
)  # fmt: skip
_HEX_LOCAL_RE = re.compile(r"[0-9a-f]{16,}")
_RETINA_LABEL_RE = re.compile(r"\d+(?:\.\d+)?x")
_ALL_X_RE = re.compile(r"x{2,}")
_HAS_LETTER_RE = re.compile(r"[^\W\d_]")

# --------------------------------------------------------------------------------------------
# Top-level domains: the last labels of the Public Suffix List that tldextract (a Scrapy
# dependency) ships, read straight from its file so no network or heavy import is involved.


@lru_cache(maxsize=1)
def _tlds() -> frozenset[str]:
    spec = importlib.util.find_spec("tldextract")
    names: set[str] = set()
    if spec and spec.origin:
        snapshot = Path(spec.origin).with_name(".tld_set_snapshot")
        try:
            lines = snapshot.read_text(encoding="utf-8").splitlines()
        except OSError:
            lines = []
        for line in lines:
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            label = line.rsplit(".", 1)[-1].lower()
            names.add(label)
            with contextlib.suppress(UnicodeError):
                names.add(label.encode("idna").decode("ascii"))
    return frozenset(names)


def is_tld(label: str) -> bool:
    """True if ``label`` is a real top-level domain (``com``, ``de``, ``xn--p1ai``), any case."""
    label = label.lower()
    tlds = _tlds()
    if not tlds:  # no suffix list available: accept any alphabetic label of a sane length
        return bool(re.fullmatch(r"[^\W\d_]{2,24}|xn--[a-z0-9-]+", label))
    return label in tlds


def junk_reason(local: str, domain: str) -> str | None:
    """Why a lower-cased address is not a contact, or None. Cheap checks, run before the validator."""
    labels = domain.split(".")
    tld = labels[-1]
    if tld in _ASSET_EXTS:
        return "asset"
    if not is_tld(tld):
        return "tld"
    if any(_RETINA_LABEL_RE.fullmatch(label) for label in labels):
        return "asset"
    if domain in _PLACEHOLDER_DOMAINS or _PLACEHOLDER_LABELS.intersection(labels):
        return "placeholder"
    if any(_PLACEHOLDER_LABEL_RE.fullmatch(label) for label in labels[:-1]):
        return "placeholder"
    if any(_ALL_X_RE.fullmatch(label) for label in labels):
        return "placeholder"
    if any(domain == d or domain.endswith(d if d[0] == "." else "." + d) for d in _TRACKING_DOMAIN_SUFFIXES):
        return "tracking"
    base = local.split("+", 1)[0]
    if base in _NON_CONTACT_LOCALS or base.startswith(_NON_CONTACT_PREFIXES):
        return "non-contact"
    if base in _PLACEHOLDER_LOCALS or _PLACEHOLDER_LOCAL_RE.fullmatch(base) or _ALL_X_RE.fullmatch(base):
        return "placeholder"
    if _HEX_LOCAL_RE.fullmatch(base.replace("-", "")):
        return "tracking"
    if not _HAS_LETTER_RE.search(base) and len(base) > 12:  # long digit ids, not mailboxes
        return "tracking"
    return None


def is_role_email(email: str) -> bool:
    """True for a shared mailbox (info@, sales@, kontakt@, info.berlin@ ...) rather than a person's."""
    local = email.rpartition("@")[0].lower().split("+", 1)[0]
    if not local:
        return False
    if local in ROLE_LOCALS:
        return True
    first = re.split(r"[._\-]", local, maxsplit=1)[0]
    return first in ROLE_LOCALS and first not in {"it", "pr", "ir", "hi"}
