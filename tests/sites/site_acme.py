"""acme-robotics.com: a US collaborative-robot maker in Austin, TX (English, ``lang="en"``).

Link graph (depth = link hops from ``/``): ``/`` -> ``/about``, ``/team``, ``/careers``,
``/contact`` (header nav) and ``/privacy``, ``/imprint`` (footer) at depth 1;
``/about`` -> ``/about/leadership`` (depth 2) -> ``/about/leadership/board`` (depth 3).
"""

# ruff: noqa: E501  (page copy: long lines of HTML prose read better unwrapped)

from __future__ import annotations

import json

from tests.sites.layout import (
    COOKIE_SCRIPT,
    Ctx,
    Response,
    Site,
    analytics_script,
    cookie_banner,
    document,
    esc,
    html_response,
    not_found_main,
    text_response,
)

HOST = "acme-robotics.com"
NAME = "Acme Robotics"
SENTRY_DSN = "https://8c4f1e2a9b7d4c3e8f6a5b4c3d2e1f0a@o450213.ingest.sentry.io/5521987"


def _header() -> str:
    return """<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
  <div class="container">
    <a class="brand" href="/" aria-label="Acme Robotics home">
      <img src="/static/img/logo.png" srcset="/static/img/logo@2x.png 2x" alt="Acme Robotics" width="160" height="40">
    </a>
    <nav aria-label="Main">
      <ul>
        <li><a href="/">Home</a></li>
        <li><a href="/about">About</a></li>
        <li><a href="/team">Team</a></li>
        <li><a href="/careers">Careers</a></li>
        <li><a href="/contact" class="btn">Contact sales</a></li>
      </ul>
    </nav>
  </div>
</header>"""


def _footer(ctx: Ctx) -> str:
    return f"""<footer class="site-footer">
  <div class="container grid">
    <div>
      <img src="/static/img/logo-white@2x.png" alt="Acme Robotics" width="140" height="35">
      <p>Collaborative robots for small and mid-size manufacturers. Designed, built and supported in Austin, Texas.</p>
    </div>
    <address>
      <strong>Acme Robotics, Inc.</strong><br>
      2100 East Cesar Chavez Street, Suite 300<br>
      Austin, TX 78702<br>
      <a href="tel:+15125550147">(512) 555-0147</a>
    </address>
    <div>
      <h2 class="visually-hidden">Follow us</h2>
      <ul class="social">
        <li><a href="https://www.linkedin.com/company/acme-robotics/" rel="noopener" target="_blank">LinkedIn</a></li>
        <li><a href="https://x.com/acmerobotics" rel="noopener" target="_blank">X (Twitter)</a></li>
        <li><a href="https://www.youtube.com/@acmerobotics" rel="noopener" target="_blank">YouTube</a></li>
      </ul>
    </div>
    <ul class="legal">
      <li><a href="{ctx.abs("/privacy")}">Privacy Policy</a></li>
      <li><a href="{ctx.abs("/imprint")}">Legal Notice</a></li>
    </ul>
  </div>
  <div class="container"><p class="copyright">&copy; 2024 Acme Robotics, Inc. All rights reserved.</p></div>
</footer>"""


def _scripts() -> str:
    return f"""{analytics_script("G-7QX3K9LM2P")}
<script src="https://cdn.jsdelivr.net/npm/lodash@4.17.21/lodash.min.js" crossorigin="anonymous"></script>
<script src="https://browser.sentry-cdn.com/7.91.0/bundle.min.js" crossorigin="anonymous"></script>
<script>
  Sentry.init({{
    dsn: "{SENTRY_DSN}",
    release: "acme-web@3.4.1",
    environment: "production",
    tracesSampleRate: 0.1
  }});
</script>
{COOKIE_SCRIPT}"""


def _page(
    ctx: Ctx, title: str, description: str, main: str, *, head_extra: str = "", status: int = 200
) -> Response:
    banner = cookie_banner(
        "We use cookies to understand how visitors use our site and to improve it.",
        "Accept all",
        "Necessary only",
        '<a href="/privacy">Read our privacy policy</a>.',
    )
    body = f"{_header()}\n{main}\n{_footer(ctx)}\n{banner}"
    return html_response(
        document(
            ctx,
            lang="en",
            title=title,
            description=description,
            site_name=NAME,
            body=body,
            head_extra=head_extra,
            scripts=_scripts(),
        ),
        status=status,
    )


def home(ctx: Ctx) -> Response:
    share_url = ctx.abs("/")
    main = f"""<main id="main">
  <section class="hero">
    <div class="container">
      <h1>Robots that work alongside your team</h1>
      <p class="lead">Acme Robotics builds collaborative robot arms for machine tending, packaging and quality
      inspection. Our cobots are set up in an afternoon, programmed by the people who already run your line,
      and backed by a service team that answers the phone.</p>
      <p><a class="btn" href="/contact">Book a demo</a> <a href="/about">Why Acme?</a></p>
    </div>
  </section>

  <section class="container">
    <h2>Built for the shop floor</h2>
    <div class="grid">
      <article class="card">
        <h3>AR-7 Collaborative Arm</h3>
        <p>Seven kilograms of payload, 850&nbsp;mm reach and force sensing in every joint. The AR-7 stops the moment
        it touches something it should not, so it can share a workstation with your operators.</p>
      </article>
      <article class="card">
        <h3>Gripper Starter Kit</h3>
        <p>Two-finger adaptive gripper, vacuum cup set and tool changer, pre-configured for the AR-7.</p>
        <p class="price">Starting at <strong>$1,299.00</strong></p>
      </article>
      <article class="card">
        <h3>Acme Studio</h3>
        <p>Drag-and-drop programming that runs in the browser. Teach a pick-and-place task by moving the arm by hand,
        then fine-tune the path on a tablet.</p>
      </article>
    </div>
  </section>

  <section class="container">
    <h2>Trusted in 1,200+ cells across North America</h2>
    <blockquote>
      <p>&ldquo;We put two AR-7s on our injection molding line in March and had them running a full shift by the end
      of the week. Scrap is down 18% and nobody has to stand at the press all night anymore.&rdquo;</p>
      <footer>Laura Chen, Operations Manager, Hill Country Plastics</footer>
    </blockquote>
  </section>

  <section class="container news">
    <h2>News</h2>
    <article>
      <p><time datetime="2024-01-15">2024-01-15</time></p>
      <h3>Acme Robotics opens a second assembly facility in Austin</h3>
      <p>The new 40,000 sq ft site on the east side doubles our production capacity and brings our service and
      training center under one roof. We expect to ship more than 900 arms this year.</p>
      <p class="share">Share:
        <a href="https://twitter.com/intent/tweet?url={esc(share_url)}&amp;text=Acme%20Robotics%20opens%20a%20second%20assembly%20facility" rel="noopener" target="_blank">Post on X</a>
        <a href="https://www.facebook.com/sharer/sharer.php?u={esc(share_url)}" rel="noopener" target="_blank">Share on Facebook</a>
        <a href="https://www.linkedin.com/sharing/share-offsite/?url={esc(share_url)}" rel="noopener" target="_blank">Share on LinkedIn</a>
      </p>
    </article>
  </section>
</main>"""
    return _page(
        ctx,
        "Acme Robotics | Collaborative robots for manufacturers",
        "Collaborative robot arms for machine tending, packaging and inspection, built in Austin, Texas.",
        main,
    )


def about(ctx: Ctx) -> Response:
    org = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": "Acme Robotics",
        "legalName": "Acme Robotics, Inc.",
        "url": ctx.abs("/"),
        "logo": ctx.abs("/static/img/logo@2x.png"),
        "foundingDate": "2014",
        "numberOfEmployees": {"@type": "QuantitativeValue", "value": 45},
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "2100 East Cesar Chavez Street, Suite 300",
            "addressLocality": "Austin",
            "addressRegion": "TX",
            "postalCode": "78702",
            "addressCountry": "US",
        },
        "telephone": "+1-512-555-0147",
        "sameAs": ["https://www.linkedin.com/company/acme-robotics/", "https://x.com/acmerobotics"],
    }
    head = f'  <script type="application/ld+json">\n{json.dumps(org, indent=2)}\n  </script>\n'
    main = """<main id="main" class="container narrow">
  <h1>About Acme Robotics</h1>
  <p>Acme Robotics started in 2014 in a rented garage off Manor Road, when two mechanical engineers from the
  University of Texas got tired of watching small manufacturers get priced out of automation. The industrial
  robots of the time needed safety cages, a systems integrator and a six-figure budget. We thought a robot should
  be something a plant manager could unbox on Monday and put to work on Tuesday.</p>
  <p>Ten years later we are a team of 45 engineers, technicians and customer success people, and our arms are
  running in more than 1,200 cells from Monterrey to Winnipeg. We still design every joint, controller board and
  line of firmware in Austin, and every arm is assembled and tested here before it ships.</p>
  <h2>What we believe</h2>
  <ul>
    <li><strong>Automation should pay for itself in a year.</strong> If the numbers don&rsquo;t work, we will tell you.</li>
    <li><strong>Operators are the experts.</strong> Our software is built for the people on the line, not for programmers.</li>
    <li><strong>Service is part of the product.</strong> A real person answers our support line, day or night.</li>
  </ul>
  <h2>Certifications</h2>
  <p>Our arms are certified to ISO 10218-1:2011 and ISO/TS 15066, and our Austin facility operates an
  ISO 9001:2015 quality management system.</p>
  <p><a href="/about/leadership">Meet our leadership team &rarr;</a></p>
</main>"""
    return _page(
        ctx,
        "About us | Acme Robotics",
        "The story of Acme Robotics, a team of 45 building cobots in Austin.",
        main,
        head_extra=head,
    )


def _card(
    name: str,
    title: str,
    bio: str,
    slug: str,
    *,
    email: str | None = None,
    phone: tuple[str, str] | None = None,
) -> str:
    lines = []
    if email:
        lines.append(f'<li class="email"><a href="mailto:{email}">{email}</a></li>')
    if phone:
        lines.append(f'<li class="phone"><a href="tel:{phone[0]}">{phone[1]}</a></li>')
    lines.append(
        f'<li class="linkedin"><a href="https://www.linkedin.com/in/{slug}/" rel="noopener" '
        f'target="_blank" aria-label="{esc(name)} on LinkedIn">LinkedIn</a></li>'
    )
    contact = "\n        ".join(lines)
    return f"""<article class="team-card">
      <img src="/static/img/team/{slug}.jpg" alt="Portrait of {esc(name)}" width="240" height="240" loading="lazy">
      <h3>{esc(name)}</h3>
      <p class="role">{esc(title)}</p>
      <p>{bio}</p>
      <ul class="contact">
        {contact}
      </ul>
    </article>"""


def _dana_card() -> str:
    """The CEO's card: identical on /team and /about/leadership (one lead, two pages)."""
    return _card(
        "Dana Whitfield",
        "CEO & Co-Founder",
        "Dana co-founded Acme after eight years designing motion controllers for semiconductor equipment. "
        "She still reviews every new joint design and spends at least one day a month at a customer site.",
        "dana-whitfield",
        email="dana.whitfield@acme-robotics.com",
    )


def team(ctx: Ctx) -> Response:
    cards = [
        _dana_card(),
        _card(
            "Marcus Okafor",
            "VP of Sales",
            "Marcus leads our sales and channel partner teams across the US and "
            "Canada. Before Acme he spent eleven years selling CNC machines, so he knows what a cycle time is worth.",
            "marcus-okafor",
            email="marcus.okafor@acme-robotics.com",
            phone=("+15125550163", "(512) 555-0163"),
        ),
        _card(
            "Priya Raman",
            "Head of Engineering",
            "Priya runs the hardware and firmware teams. She joined from a "
            "medical-device startup and brought our defect rate down by two thirds in her first year.",
            "priya-raman",
            email="priya.raman@acme-robotics.com",
        ),
        _card(
            "Tyler Brooks",
            "Account Executive",
            "Tyler works with plastics, packaging and food manufacturers in "
            "Texas, Oklahoma and Louisiana. Call him to set up an on-site demo.",
            "tyler-brooks",
            phone=("+15125550178", "(512) 555-0178"),
        ),
    ]
    main = f"""<main id="main" class="container">
  <h1>Our team</h1>
  <p class="lead">The people you will work with when you bring an Acme cobot onto your floor. We are a team of 45,
  and these are the folks most customers meet first.</p>
  <div class="grid team">
    {(chr(10) + "    ").join(cards)}
  </div>
</main>"""
    return _page(ctx, "Team | Acme Robotics", "Meet the people behind Acme Robotics.", main)


def leadership(ctx: Ctx) -> Response:
    cards = [
        _dana_card(),
        _card(
            "Elena Vasquez",
            "Chief Financial Officer",
            "Elena oversees finance, supply chain and our leasing "
            "program for customers who would rather pay per month than up front. She was previously controller "
            "at a regional aerospace supplier.",
            "elena-vasquez",
            email="elena.vasquez@acme-robotics.com",
        ),
    ]
    main = f"""<main id="main" class="container">
  <nav class="breadcrumb" aria-label="Breadcrumb"><a href="/">Home</a> / <a href="/about">About</a> / Leadership</nav>
  <h1>Leadership</h1>
  <p>Acme is run by a small executive team that still sits on the same floor as the engineers.</p>
  <div class="grid team">
    {(chr(10) + "    ").join(cards)}
  </div>
  <p><a href="/about/leadership/board">Board of Directors &rarr;</a></p>
</main>"""
    return _page(ctx, "Leadership | Acme Robotics", "The executive team of Acme Robotics.", main)


def board(ctx: Ctx) -> Response:
    main = """<main id="main" class="container narrow">
  <nav class="breadcrumb" aria-label="Breadcrumb"><a href="/">Home</a> / <a href="/about">About</a> /
  <a href="/about/leadership">Leadership</a> / Board</nav>
  <h1>Board of Directors</h1>
  <p>Our board meets quarterly in Austin. Shareholder and governance correspondence can be sent to our
  independent director.</p>
  <article class="team-card">
    <h3>Robert Linde</h3>
    <p class="role">Independent Board Member</p>
    <p>Robert spent 22 years at a global automation group, most recently as president of its North American
    motion business. He joined our board in 2021 and chairs the audit committee.</p>
    <p class="email"><a href="mailto:rlinde@acme-robotics.com">rlinde@acme-robotics.com</a></p>
  </article>
</main>"""
    return _page(ctx, "Board of Directors | Acme Robotics", "The board of directors of Acme Robotics.", main)


def contact(ctx: Ctx) -> Response:
    main = """<main id="main" class="container">
  <h1>Contact us</h1>
  <p class="lead">Tell us what you make and where it hurts. A sales engineer will get back to you within one
  business day.</p>
  <div class="grid">
    <section class="card">
      <h2>Sales</h2>
      <p>Quotes, demos and ROI calculations.</p>
      <p><a href="mailto:sales@acme-robotics.com">sales@acme-robotics.com</a></p>
    </section>
    <section class="card">
      <h2>General inquiries</h2>
      <p>Press, partnerships and everything else.</p>
      <p>info [at] acme-robotics [dot] com</p>
    </section>
    <section class="card">
      <h2>Call us</h2>
      <p><a href="tel:+15125550147">(512) 555-0147</a></p>
      <p>Monday to Friday, 8&nbsp;am&ndash;6&nbsp;pm Central Time.</p>
    </section>
    <section class="card">
      <h2>Customer support</h2>
      <p>For customers with an active service plan, around the clock:</p>
      <p><a href="tel:+15125550191">(512) 555-0191</a></p>
    </section>
  </div>

  <section>
    <h2>Send us a message</h2>
    <form action="/contact" method="post" class="contact-form">
      <label>Full name <input type="text" name="name" autocomplete="name" required></label>
      <label>Work email <input type="email" name="email" placeholder="jane@yourcompany.com" autocomplete="email" required></label>
      <label>Company <input type="text" name="company" autocomplete="organization"></label>
      <label>How can we help?
        <textarea name="message" rows="5" placeholder="Describe the part, the cycle time and your current process."></textarea>
      </label>
      <label><input type="checkbox" name="consent" required> I agree to the <a href="/privacy">privacy policy</a>.</label>
      <button type="submit">Send message</button>
    </form>
  </section>

  <section>
    <h2>Visit us</h2>
    <p>Our headquarters and demo lab are on East Cesar Chavez Street, five minutes from downtown Austin. Visitor
    parking is in the garage behind the building; check in at the front desk on the third floor.</p>
  </section>
</main>"""
    return _page(
        ctx, "Contact | Acme Robotics", "Contact Acme Robotics sales, support and general inquiries.", main
    )


def careers(ctx: Ctx) -> Response:
    roles = [
        (
            "Senior Controls Engineer",
            "Austin, TX &middot; On-site",
            "Own the servo loops and safety functions of our next-generation arm. C/C++ on embedded targets, "
            "EtherCAT experience a plus. Salary range $135,000&ndash;$165,000 plus equity.",
        ),
        (
            "Field Service Technician",
            "Remote &ndash; Texas &amp; Oklahoma",
            "Install, commission and maintain Acme cobots at customer sites. Roughly 60% travel, company vehicle provided.",
        ),
        (
            "Inside Sales Representative",
            "Austin, TX &middot; Hybrid",
            "Qualify inbound leads, run discovery calls and book demos for our account executives.",
        ),
    ]
    items = "\n".join(
        f"""    <article class="card job">
      <h3>{title}</h3>
      <p class="meta">{where}</p>
      <p>{text}</p>
      <p><a href="https://jobs.lever.co/acme-robotics" rel="noopener" target="_blank">Apply on Lever</a></p>
    </article>"""
        for title, where, text in roles
    )
    main = f"""<main id="main" class="container">
  <h1>We&rsquo;re hiring</h1>
  <p class="lead">Join a team of 45 people who like building things that move. We offer medical, dental and vision
  coverage from day one, a 401(k) with 4% match, and a workshop where you can actually touch the product.</p>
  <h2>Open roles</h2>
  <div class="grid">
{items}
  </div>
  <p>Don&rsquo;t see your role? Send your resume to <a href="mailto:careers@acme-robotics.com">careers@acme-robotics.com</a>
  and tell us what you would build here.</p>
</main>"""
    return _page(ctx, "Careers | Acme Robotics", "Open positions at Acme Robotics in Austin, Texas.", main)


def privacy(ctx: Ctx) -> Response:
    main = """<main id="main" class="container narrow legal">
  <h1>Privacy Policy</h1>
  <p><strong>Effective date:</strong> March 1, 2024 &middot; <strong>Last updated:</strong> 2024-02-28</p>
  <p>This Privacy Policy explains how Acme Robotics, Inc. (&ldquo;Acme&rdquo;, &ldquo;we&rdquo;, &ldquo;us&rdquo;)
  collects, uses and shares personal information when you visit our website, request a demo, buy our products
  or use Acme Studio. It applies to information collected on or after the effective date above; the previous
  version, dated 2021-06-30, remains available on request.</p>

  <h2>1. Information we collect</h2>
  <p>We collect information you give us directly, such as your name, company, job title, work email address and
  phone number when you fill in a form or talk to our sales team. When you use our website we automatically
  collect technical data, including your IP address, browser type, pages viewed, referring URL and the date and
  time of your visit. Acme Studio collects robot telemetry (joint temperatures, cycle counts and error codes)
  that is associated with your account but does not contain images of your facility.</p>

  <h2>2. How we use information</h2>
  <p>We use personal information to respond to your requests, provide and improve our products, process
  orders and warranty claims, send service notifications, and, where permitted, send marketing communications.
  You can unsubscribe from marketing emails at any time using the link in every message.</p>

  <h2>3. Cookies and analytics</h2>
  <p>We use strictly necessary cookies to keep the site working and, with your consent, analytics cookies from
  Google Analytics to understand how visitors use it. Analytics data is retained for 14 months. You can opt out
  at any time by clearing your cookie preferences in the banner at the bottom of each page.</p>

  <h2>4. Sharing</h2>
  <p>We share personal information with service providers that help us run our business (hosting, CRM, payment
  processing and shipping), with authorized resellers in your territory when you ask for a quote, and with
  authorities when the law requires it. We do not sell personal information and have not done so in the
  preceding 12 months.</p>

  <h2>5. Your rights</h2>
  <p>Depending on where you live, including California under the California Consumer Privacy Act as amended by
  the CPRA (Cal. Civ. Code &sect; 1798.100 et seq.) and the European Economic Area under Regulation (EU)
  2016/679, you may have the right to access, correct, delete or port your personal information, and to object
  to or restrict certain processing. We will respond to verified requests within 45 days.</p>

  <h2>6. Data retention and security</h2>
  <p>We keep customer records for as long as you have an active account and for seven years afterwards for tax
  and warranty purposes. We protect data with encryption in transit and at rest, role-based access and annual
  third-party penetration tests.</p>

  <h2>7. Children</h2>
  <p>Our website and products are intended for businesses and are not directed to children under 16.</p>

  <h2>8. Contact</h2>
  <p>Questions about this policy or requests to exercise your rights can be sent to
  <a href="mailto:privacy@acme-robotics.com">privacy@acme-robotics.com</a> or by mail to: Privacy Office,
  Acme Robotics, Inc., 2100 East Cesar Chavez Street, Suite 300, Austin, TX 78702, USA.</p>
</main>"""
    return _page(
        ctx,
        "Privacy Policy | Acme Robotics",
        "How Acme Robotics collects and uses personal information.",
        main,
    )


def imprint(ctx: Ctx) -> Response:
    main = """<main id="main" class="container narrow legal">
  <h1>Legal Notice</h1>
  <h2>Company information</h2>
  <p>Acme Robotics, Inc.<br>
  A Delaware corporation<br>
  2100 East Cesar Chavez Street, Suite 300<br>
  Austin, TX 78702, United States</p>
  <p>Main line: (512) 555-0147</p>
  <h2>Registration</h2>
  <p>Delaware file number: 5512874<br>
  Texas SOS file number: 0802345678<br>
  EIN: 74-3125548</p>
  <h2>Trademarks</h2>
  <p>Acme Robotics, AR-7 and Acme Studio are trademarks of Acme Robotics, Inc., registered in the United States
  (Reg. No. 6,123,457) and other countries. Other product names are the property of their respective owners.</p>
  <h2>Disclaimer</h2>
  <p>The information on this website is provided for general information only. Specifications, prices and
  availability are subject to change without notice. Performance figures are measured under laboratory
  conditions and may differ in your application.</p>
</main>"""
    return _page(
        ctx,
        "Legal Notice | Acme Robotics",
        "Company and registration information for Acme Robotics, Inc.",
        main,
    )


def robots(ctx: Ctx) -> Response:
    return text_response("User-agent: *\nDisallow: /admin/\nDisallow: /cart\n")


def not_found(ctx: Ctx) -> Response:
    return _page(
        ctx,
        "Page not found | Acme Robotics",
        "Page not found.",
        not_found_main(
            "Page not found",
            "Sorry, we couldn&rsquo;t find that page. It may have moved.",
            "Back to the home page",
        ),
        status=404,
    )


SITE = Site(
    host=HOST,
    name=NAME,
    routes={
        "/": home,
        "/about": about,
        "/about/leadership": leadership,
        "/about/leadership/board": board,
        "/team": team,
        "/contact": contact,
        "/careers": careers,
        "/privacy": privacy,
        "/imprint": imprint,
        "/robots.txt": robots,
    },
    not_found=not_found,
)
