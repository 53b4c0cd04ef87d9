"""Spider arguments arrive as strings (command line, scrapyd): validated into one typed object here."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.exceptions import UsageError

from crawler.netguard import normalize_url

JOB_TYPES = ("single", "bulk", "sitemap")
MAX_URLS = 10_000
RENDER_MODES = ("auto", "always", "never")
_BOOL = {
    "1": True,
    "true": True,
    "yes": True,
    "on": True,
    "0": False,
    "false": False,
    "no": False,
    "off": False,
}


def _bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    try:
        return _BOOL[str(value).strip().lower()]
    except KeyError:
        raise UsageError(f"-a {name}: expected true or false, got {value!r}") from None


# Every argument the spider takes; scrapyd adds ``_job`` (its job id) and maybe ``_version``.
NAMES = frozenset(
    {
        "job_id",
        "launch_token",
        "urls",
        "urls_file",
        "type",
        "depth",
        "account",
        "extract_emails",
        "extract_phones",
        "extract_social",
        "qualify_leads",
        "verify_emails",
        "render_js",
    }
)
SCRAPYD_NAMES = frozenset({"job_id", "launch_token", "_job", "_version"})


def check_url(url: str) -> str:
    """Return the URL stripped, its host normalized (one spelling per host), or raise UsageError
    saying what is wrong with it."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        _ = parts.port
    except ValueError:
        raise UsageError(f"{url!r}: malformed URL") from None
    if parts.scheme not in ("http", "https"):
        raise UsageError(f"{url!r}: only http and https URLs can be crawled (missing protocol?)")
    if not parts.hostname:
        raise UsageError(f"{url!r}: no host name")
    try:
        return normalize_url(url)
    except ValueError as exc:
        raise UsageError(f"{url!r}: {exc}") from None


def check_scrapyd_arguments(kwargs: dict[str, Any]) -> None:
    """A spider scrapyd started runs one job the API created, by its id and launch token: no URL
    list, file, account or option arguments, which anyone reaching scrapyd could pass."""
    refused = sorted(k for k in kwargs if k not in SCRAPYD_NAMES)
    if refused:
        raise UsageError(
            f"started by scrapyd: argument(s) {', '.join(refused)} refused; scrapyd runs only jobs "
            "the API created (job_id and launch_token)"
        )
    if not kwargs.get("job_id") or not kwargs.get("launch_token"):
        raise UsageError("started by scrapyd: job_id and launch_token are required")


@dataclass
class LeadsArgs:
    """The ``leads`` spider's arguments.

    - ``job_id``: run an existing job (scrapyd, API): URLs and options come from the database.
    - ``launch_token``: the token the API gave the job's launch; required (and checked against the
      job) when scrapyd started the spider.
    - ``urls``: comma- or whitespace-separated URLs (command line); a job row is created for them.
    - ``urls_file``: a file with one URL per line (``#`` comments allowed).
    - ``type``: ``single``, ``bulk`` or ``sitemap`` (read sitemaps to find each site's pages).
    - ``depth``: 1–3 link hops from each start page.
    - ``account``: account id or email that command-line jobs belong to (default: the first account).
    - ``extract_emails`` / ``extract_phones`` / ``extract_social`` / ``qualify_leads`` /
      ``verify_emails``: true|false.
    - ``render_js``: ``auto`` (render only pages that need it), ``always`` or ``never``.
    """

    job_id: str | None = None
    launch_token: str | None = None
    scrapyd: bool = False  # started by scrapyd: only job_id and launch_token were accepted
    urls: list[str] = field(default_factory=list)
    type: str = "single"
    depth: int = 1
    account: str | None = None
    options: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def parse(cls, *, scrapyd: bool = False, **kwargs: Any) -> LeadsArgs:
        if scrapyd:
            check_scrapyd_arguments(kwargs)
            return cls(job_id=str(kwargs["job_id"]), launch_token=str(kwargs["launch_token"]), scrapyd=True)
        kwargs.pop("launch_token", None)
        job_id = kwargs.pop("job_id", None) or None
        urls: list[str] = []
        if kwargs.get("urls"):
            urls += [u for u in str(kwargs.pop("urls")).replace(",", " ").split() if u]
        else:
            kwargs.pop("urls", None)
        if kwargs.get("urls_file"):
            path = Path(str(kwargs.pop("urls_file")))
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise UsageError(f"-a urls_file: cannot read {path}: {exc.strerror}") from None
            urls += [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
        else:
            kwargs.pop("urls_file", None)
        if job_id and urls:
            raise UsageError("give either -a job_id or -a urls/urls_file, not both")
        if not job_id and not urls:
            raise UsageError("nothing to crawl: give -a urls=https://... or -a urls_file=FILE (or -a job_id)")
        if len(urls) > MAX_URLS:
            raise UsageError(f"{len(urls)} URLs given; a job holds at most {MAX_URLS}")
        urls = list(dict.fromkeys(check_url(u) for u in urls))
        job_type = str(kwargs.pop("type", "") or ("bulk" if len(urls) > 1 else "single"))
        if job_type not in JOB_TYPES:
            raise UsageError(f"-a type: expected one of {', '.join(JOB_TYPES)}, got {job_type!r}")
        try:
            depth = int(kwargs.pop("depth", 1))
        except ValueError:
            raise UsageError("-a depth: expected a whole number from 1 to 3") from None
        if not 1 <= depth <= 3:
            raise UsageError(f"-a depth: expected 1 to 3, got {depth}")
        options: dict[str, Any] = {
            name: _bool(name, kwargs.pop(name))
            for name in (
                "extract_emails",
                "extract_phones",
                "extract_social",
                "qualify_leads",
                "verify_emails",
            )
            if name in kwargs
        }
        render_js = str(kwargs.pop("render_js", "") or "").strip().lower()
        if render_js:
            if render_js not in RENDER_MODES:
                raise UsageError(
                    f"-a render_js: expected one of {', '.join(RENDER_MODES)}, got {render_js!r}"
                )
            options["render_js"] = render_js
        account = kwargs.pop("account", None) or None
        return cls(job_id=job_id, urls=urls, type=job_type, depth=depth, account=account, options=options)
