"""helio-labs.io: a React-style single-page site whose contacts exist only after its scripts run.

``/`` is an empty ``<div id="root">`` that ``/static/js/app.js`` fills (hero, a hello@ address as a
``mailto:`` link, the CEO's card, links to the other pages). ``/contact`` is ordinary HTML whose
sales address is glued together by an inline script. ``/team`` loads its people from
``/api/team.json`` with ``fetch()``. ``/hang`` is a shell whose script never finishes downloading (the
browser times out on it). A plain HTTP crawl finds no contact on any of them.
"""

# ruff: noqa: E501  (page copy and scripts read better unwrapped)

from __future__ import annotations

import json

from tests.sites.layout import (
    STOP,
    Ctx,
    Response,
    Site,
    document,
    html_response,
    not_found_main,
    text_response,
)

HOST = "helio-labs.io"
NAME = "Helio Labs"

SHELL = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Helio Labs</title>
  <link rel="icon" href="/favicon.ico">
  <link rel="stylesheet" href="/static/css/site.css">
</head>
<body>
  <noscript>You need to enable JavaScript to run this app.</noscript>
  <div id="root"></div>
  <script src="{script}"></script>
</body>
</html>
"""

APP_JS = r"""/*! helio web 3.2.0 */
(function () {
  var root = document.getElementById('root');
  var user = 'hello', domain = 'helio-labs' + '.' + 'io';
  root.innerHTML =
    '<header class="site-header"><nav><a href="/">Helio Labs</a> <a href="/team">Team</a> <a href="/contact">Contact</a></nav></header>' +
    '<main class="container"><h1>Solar forecasting for grid operators</h1>' +
    '<p>Helio Labs predicts rooftop solar output fifteen minutes to seven days ahead, so utilities can plan reserves with confidence.</p>' +
    '<p>Questions about a pilot? Write to <a href="mailto:' + user + '@' + domain + '">' + user + '@' + domain + '</a>.</p>' +
    '<section class="team-card"><h3>Mira Okonkwo</h3><p class="role">Chief Executive Officer</p>' +
    '<p><a href="mailto:mira@' + domain + '">mira@' + domain + '</a></p></section>' +
    '</main><footer class="site-footer"><p>&copy; 2024 Helio Labs, Inc. &middot; Oakland, CA</p></footer>';
})();
"""

HANG_SECONDS = 60.0

TEAM_JSON = [
    {
        "name": "Jonas Berg",
        "title": "Head of Sales",
        "email": "jonas.berg@helio-labs.io",
        "phone": "+1 415 555 0199",
    },
]


def home(ctx: Ctx) -> Response:
    return html_response(SHELL.format(script="/static/js/app.js"))


def hang(ctx: Ctx) -> Response:
    return html_response(SHELL.format(script="/static/js/hang.js"))


def _page(ctx: Ctx, title: str, main: str, scripts: str = "", status: int = 200) -> Response:
    body = f"""<header class="site-header"><nav class="container">
  <a href="/">Helio Labs</a> <a href="/team">Team</a> <a href="/contact">Contact</a>
</nav></header>
{main}
<footer class="site-footer"><div class="container"><p>&copy; 2024 Helio Labs, Inc. &middot; 1 Kaiser Plaza, Oakland, CA 94612</p></div></footer>"""
    return html_response(
        document(ctx, lang="en", title=title, description=title, site_name=NAME, body=body, scripts=scripts),
        status=status,
    )


def contact(ctx: Ctx) -> Response:
    main = """<main id="main" class="container narrow">
  <h1>Talk to us</h1>
  <p>Helio Labs works with distribution system operators, community solar developers and energy retailers
  across North America. Most pilots start with twelve months of historical meter data and go live within six
  weeks. Tell us about your territory and the decisions you want better forecasts for.</p>
  <p>Our sales team answers within one business day: <span id="sales-email">(loading&hellip;)</span></p>
  <p>For press and analyst enquiries, please use the contact form and choose &ldquo;Press&rdquo;.</p>
</main>"""
    script = """<script>
  (function () {
    var local = 'sales', host = 'helio-labs' + '.io';
    var el = document.getElementById('sales-email');
    el.innerHTML = '<a href="mailto:' + local + '@' + host + '">' + local + '@' + host + '</a>';
  })();
</script>"""
    return _page(ctx, "Contact Helio Labs", main, script)


def team(ctx: Ctx) -> Response:
    main = """<main id="main" class="container">
  <h1>The team behind Helio</h1>
  <p>We are meteorologists, power-systems engineers and software people who spent the last decade building
  forecasting tools for some of the largest utilities in the United States. We started Helio Labs because
  rooftop solar is now the biggest unknown in every operator's load forecast.</p>
  <div id="people" class="team-grid"><p>Loading the team&hellip;</p></div>
</main>"""
    script = """<script>
  fetch('/api/team.json').then(function (r) { return r.json(); }).then(function (people) {
    document.getElementById('people').innerHTML = people.map(function (p) {
      return '<article class="team-card"><h3>' + p.name + '</h3><p class="role">' + p.title + '</p>' +
        '<p><a href="mailto:' + p.email + '">' + p.email + '</a></p><p>Tel. ' + p.phone + '</p></article>';
    }).join('');
  });
</script>"""
    return _page(ctx, "Team - Helio Labs", main, script)


def app_js(ctx: Ctx) -> Response:
    return Response(body=APP_JS.encode(), content_type="application/javascript; charset=utf-8")


def _never_ending_script(handler, ctx: Ctx, head: bool) -> None:
    """Headers, then silence: the page's load event never fires, so the browser's navigation hangs.

    (A busy ``while (true)`` script would hang it too, but would also eat a CPU core of the test box.)
    """
    handler.send_response(200)
    handler.send_header("Content-Type", "application/javascript; charset=utf-8")
    handler.send_header("Content-Length", "64")
    handler.end_headers()
    try:
        handler.wfile.flush()
    except OSError:
        return
    STOP.wait(HANG_SECONDS)
    handler.close_connection = True


def hang_js(ctx: Ctx) -> Response:
    return Response(stream=_never_ending_script)


def team_json(ctx: Ctx) -> Response:
    return text_response(json.dumps(TEAM_JSON), content_type="application/json")


def robots(ctx: Ctx) -> Response:
    return text_response("User-agent: *\nAllow: /\n")


def not_found(ctx: Ctx) -> Response:
    return _page(
        ctx, "Not found", not_found_main("Page not found", "This page does not exist.", "Home"), status=404
    )


SITE = Site(
    host=HOST,
    name=NAME,
    routes={
        "/": home,
        "/contact": contact,
        "/team": team,
        "/hang": hang,
        "/static/js/app.js": app_js,
        "/static/js/hang.js": hang_js,
        "/api/team.json": team_json,
        "/robots.txt": robots,
    },
    not_found=not_found,
)
