"""northwind-analytics.io: a demand-forecasting startup whose pages are reachable only via sitemaps.

``/`` is a JavaScript-app shell with text but no links at all. ``/robots.txt`` names
``/sitemap_index.xml``, a sitemap index pointing at ``/sitemap-pages.xml.gz`` (gzipped,
``application/x-gzip``) and ``/sitemap-team.xml`` (plain XML).
"""

# ruff: noqa: E501  (page copy: long lines of HTML prose read better unwrapped)

from __future__ import annotations

import gzip

from tests.sites.layout import (
    Ctx,
    Response,
    Site,
    analytics_script,
    document,
    html_response,
    not_found_main,
    text_response,
)

HOST = "northwind-analytics.io"
NAME = "Northwind Analytics"

PAGES_SITEMAP = [
    ("/", "2024-05-02", "weekly", "1.0"),
    ("/product", "2024-04-18", "monthly", "0.8"),
    ("/company/contact", "2024-03-30", "yearly", "0.5"),
]
TEAM_SITEMAP = [
    ("/company/people/ana-lima", "2024-02-11", "yearly", "0.4"),
    ("/company/people/raj-patel", "2024-04-02", "yearly", "0.4"),
]


def _page(
    ctx: Ctx, title: str, description: str, main: str, *, status: int = 200, head_extra: str = ""
) -> Response:
    body = f"""<header class="site-header"><div class="container">
  <img src="/static/img/northwind-logo.png" alt="Northwind Analytics" width="150" height="36">
</div></header>
{main}
<footer class="site-footer"><div class="container">
  <p>&copy; 2024 Northwind Analytics, Inc. &middot; 548 Market Street, San Francisco, CA 94104</p>
</div></footer>"""
    return html_response(
        document(
            ctx,
            lang="en",
            title=title,
            description=description,
            site_name=NAME,
            body=body,
            head_extra=head_extra,
            scripts=analytics_script("G-NW2X8P4R6T"),
        ),
        status=status,
    )


def home(ctx: Ctx) -> Response:
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Northwind Analytics — Demand forecasting for mid-market supply chains</title>
  <meta name="description" content="Forecast demand at the SKU and store level with models that explain themselves.">
  <meta property="og:site_name" content="{NAME}">
  <link rel="canonical" href="{ctx.abs("/")}">
  <link rel="preload" href="/static/js/main.3f9c2a71.js" as="script">
  <link rel="stylesheet" href="/static/css/site.css">
</head>
<body>
  <noscript>You need to enable JavaScript to run this app.</noscript>
  <div id="root">
    <div class="ssr-shell">
      <h1>Know what will sell before your customers do.</h1>
      <p>Northwind Analytics forecasts demand at the SKU and store level for distributors, retailers and
      consumer brands doing $50M&ndash;$2B in revenue. Our models learn from your order history, promotions,
      weather and local events, and they tell you why a forecast moved, not just that it did.</p>
      <p>Teams using Northwind cut stockouts by 31% and excess inventory by 22% on average in their first two
      quarters. Connect your ERP in an afternoon; see your first forecast the same week.</p>
      <p>Loading the Northwind app&hellip;</p>
    </div>
  </div>
  <script>window.__INITIAL_STATE__ = {{"release":"2024.05.2","experiments":{{"hero_copy":"b"}},"region":"us-west-2"}};</script>
  <script src="/static/js/main.3f9c2a71.js" defer></script>
{analytics_script("G-NW2X8P4R6T")}
</body>
</html>
"""
    return html_response(page)


def app_js(ctx: Ctx) -> Response:
    js = (
        "/*! northwind web 2024.05.2 */\n(function(){var r=document.getElementById('root');"
        "if(r){r.setAttribute('data-hydrated','true');}})();\n"
    )
    return Response(body=js.encode(), content_type="application/javascript; charset=utf-8")


_BACK = '<p><a href="/">&larr; Northwind Analytics home</a></p>'


def product(ctx: Ctx) -> Response:
    main = f"""<main id="main" class="container narrow">
  <h1>The Northwind forecasting platform</h1>
  <p>Northwind combines gradient-boosted models with a hierarchical reconciliation layer, so SKU, category and
  regional forecasts always add up. Planners can override any number and see the impact on safety stock
  immediately.</p>
  <h2>Connectors</h2>
  <p>NetSuite, Microsoft Dynamics 365, SAP Business One, Shopify and any SQL warehouse. Data is refreshed every
  night, or every hour on the Scale plan.</p>
  <h2>Security</h2>
  <p>SOC 2 Type II audited. Customer data is encrypted at rest with per-tenant keys and never used to train
  models for other customers.</p>
  {_BACK}
</main>"""
    return _page(ctx, "Product | Northwind Analytics", "How the Northwind forecasting platform works.", main)


def company_contact(ctx: Ctx) -> Response:
    main = f"""<main id="main" class="container narrow">
  <h1>Contact Northwind</h1>
  <p>Questions about pricing, pilots or integrations? Our team usually replies the same day.</p>
  <section class="card">
    <h2>Email</h2>
    <p><a href="mailto:hello@northwind-analytics.io">hello@northwind-analytics.io</a></p>
  </section>
  <section class="card">
    <h2>San Francisco office</h2>
    <p>548 Market Street, Suite 62011<br>San Francisco, CA 94104</p>
    <p>Office line: <a href="tel:+14155550132">+1 (415) 555-0132</a></p>
  </section>
  {_BACK}
</main>"""
    return _page(ctx, "Contact | Northwind Analytics", "Get in touch with Northwind Analytics.", main)


def _person(
    ctx: Ctx, *, name: str, title: str, slug: str, email: str, bio: str, phone: tuple[str, str] | None = None
) -> Response:
    import json

    person = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": name,
        "jobTitle": title,
        "email": f"mailto:{email}",
        "worksFor": {"@type": "Organization", "name": NAME},
        "url": ctx.abs(f"/company/people/{slug}"),
        "sameAs": [f"https://www.linkedin.com/in/{slug}/"],
    }
    if phone:
        person["telephone"] = phone[0]
    head = f'  <script type="application/ld+json">{json.dumps(person)}</script>\n'
    phone_html = f'\n    <p>Direct: <a href="tel:{phone[0]}">{phone[1]}</a></p>' if phone else ""
    main = f"""<main id="main" class="container narrow">
  <article class="person">
    <img src="/static/img/people/{slug}.jpg" alt="{name}" width="200" height="200">
    <h1>{name}</h1>
    <p class="role">{title}</p>
    <p>{bio}</p>
    <p><a href="mailto:{email}">{email}</a></p>{phone_html}
    <p><a href="https://www.linkedin.com/in/{slug}/" rel="noopener" target="_blank">LinkedIn</a></p>
  </article>
  {_BACK}
</main>"""
    return _page(
        ctx,
        f"{name} | Northwind Analytics",
        f"{name}, {title} at Northwind Analytics.",
        main,
        head_extra=head,
    )


def ana_lima(ctx: Ctx) -> Response:
    return _person(
        ctx,
        name="Ana Lima",
        title="Co-founder & CEO",
        slug="ana-lima",
        email="ana@northwind-analytics.io",
        bio="Ana ran demand planning for a 400-store grocery chain in São Paulo before starting Northwind "
        "in 2019. She holds a PhD in operations research from Stanford.",
    )


def raj_patel(ctx: Ctx) -> Response:
    return _person(
        ctx,
        name="Raj Patel",
        title="Head of Partnerships",
        slug="raj-patel",
        email="raj.patel@northwind-analytics.io",
        phone=("+14155550186", "+1 (415) 555-0186"),
        bio="Raj works with ERP vendors and consulting firms that resell and implement Northwind. "
        "Previously he led channel sales at a supply-chain software company.",
    )


def robots(ctx: Ctx) -> Response:
    return text_response(f"User-agent: *\nAllow: /\n\nSitemap: {ctx.abs('/sitemap_index.xml')}\n")


def _urlset(ctx: Ctx, entries: list[tuple[str, str, str, str]]) -> str:
    urls = "\n".join(
        f"  <url>\n    <loc>{ctx.abs(path)}</loc>\n    <lastmod>{lastmod}</lastmod>\n"
        f"    <changefreq>{freq}</changefreq>\n    <priority>{prio}</priority>\n  </url>"
        for path, lastmod, freq, prio in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "\n</urlset>\n"
    )


def sitemap_index(ctx: Ctx) -> Response:
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap>
    <loc>{ctx.abs("/sitemap-pages.xml.gz")}</loc>
    <lastmod>2024-05-02</lastmod>
  </sitemap>
  <sitemap>
    <loc>{ctx.abs("/sitemap-team.xml")}</loc>
    <lastmod>2024-04-02</lastmod>
  </sitemap>
</sitemapindex>
"""
    return Response(body=xml.encode(), content_type="application/xml; charset=utf-8")


def sitemap_pages(ctx: Ctx) -> Response:
    body = gzip.compress(_urlset(ctx, PAGES_SITEMAP).encode(), mtime=0)
    return Response(body=body, content_type="application/x-gzip")


def sitemap_team(ctx: Ctx) -> Response:
    return Response(body=_urlset(ctx, TEAM_SITEMAP).encode(), content_type="application/xml; charset=utf-8")


def not_found(ctx: Ctx) -> Response:
    return _page(
        ctx,
        "Not found | Northwind Analytics",
        "Page not found.",
        not_found_main("Page not found", "This page does not exist.", "Go to the home page"),
        status=404,
    )


SITE = Site(
    host=HOST,
    name=NAME,
    routes={
        "/": home,
        "/product": product,
        "/company/contact": company_contact,
        "/company/people/ana-lima": ana_lima,
        "/company/people/raj-patel": raj_patel,
        "/robots.txt": robots,
        "/sitemap_index.xml": sitemap_index,
        "/sitemap-pages.xml.gz": sitemap_pages,
        "/sitemap-team.xml": sitemap_team,
        "/static/js/main.3f9c2a71.js": app_js,
    },
    not_found=not_found,
)
