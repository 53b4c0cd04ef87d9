"""atelier-dupont.fr: a Paris cabinet-making and interior fit-out workshop (French, ``lang="fr"``).

Link graph: ``/`` -> ``/realisations``, ``/equipe``, ``/contact`` (nav) and ``/mentions-legales``
(footer), all at depth 1.
"""

# ruff: noqa: E501  (page copy: long lines of HTML prose read better unwrapped)

from __future__ import annotations

from tests.sites.layout import (
    COOKIE_SCRIPT,
    Ctx,
    Response,
    Site,
    analytics_script,
    cookie_banner,
    document,
    html_response,
    not_found_main,
    text_response,
)

HOST = "atelier-dupont.fr"
NAME = "Atelier Dupont"


def _header() -> str:
    return """<a class="skip-link" href="#main">Aller au contenu</a>
<header class="site-header">
  <div class="container">
    <a class="brand" href="/"><img src="/static/img/atelier-dupont.png" alt="Atelier Dupont – ébénisterie" width="170" height="44"></a>
    <nav aria-label="Navigation principale">
      <ul>
        <li><a href="/">Accueil</a></li>
        <li><a href="/realisations">Réalisations</a></li>
        <li><a href="/equipe">L&#39;équipe</a></li>
        <li><a href="/contact" class="btn">Contact</a></li>
      </ul>
    </nav>
  </div>
</header>"""


def _footer(ctx: Ctx) -> str:
    return f"""<footer class="site-footer">
  <div class="container grid">
    <address>
      <strong>Atelier Dupont</strong><br>
      12 rue de Miromesnil<br>
      75008 Paris<br>
      Tél. <a href="tel:+33142685300">01 42 68 53 00</a>
    </address>
    <div>
      <p>Ébénisterie, agencement et mobilier sur mesure à Paris depuis 2009.</p>
      <ul class="social">
        <li><a href="https://www.instagram.com/atelierdupont/" rel="noopener" target="_blank">Instagram</a></li>
        <li><a href="https://www.linkedin.com/company/atelier-dupont/" rel="noopener" target="_blank">LinkedIn</a></li>
        <li><a href="https://www.pinterest.fr/atelierdupont/" rel="noopener" target="_blank">Pinterest</a></li>
      </ul>
    </div>
    <ul class="legal">
      <li><a href="{ctx.abs("/mentions-legales")}">Mentions légales</a></li>
    </ul>
  </div>
  <div class="container"><p class="copyright">&copy; 2024 Atelier Dupont &ndash; Tous droits réservés</p></div>
</footer>"""


def _page(ctx: Ctx, title: str, description: str, main: str, *, status: int = 200) -> Response:
    banner = cookie_banner(
        "Nous utilisons des cookies pour mesurer l&#39;audience de notre site et améliorer votre expérience.",
        "Tout accepter",
        "Continuer sans accepter",
        '<a href="/mentions-legales">En savoir plus</a>',
    )
    body = f"{_header()}\n{main}\n{_footer(ctx)}\n{banner}"
    scripts = f"{analytics_script('G-AD9F3K2W7X')}\n{COOKIE_SCRIPT}"
    return html_response(
        document(
            ctx, lang="fr", title=title, description=description, site_name=NAME, body=body, scripts=scripts
        ),
        status=status,
    )


def home(ctx: Ctx) -> Response:
    main = """<main id="main">
  <section class="hero">
    <div class="container">
      <h1>Le bois, sur mesure, depuis 2009</h1>
      <p class="lead">Atelier Dupont conçoit et fabrique dans son atelier parisien des bibliothèques, cuisines,
      dressings et agencements de boutiques. Chaque pièce est dessinée pour son lieu et réalisée à la main dans des
      essences françaises issues de forêts gérées durablement.</p>
      <p><a class="btn" href="/contact">Parlons de votre projet</a></p>
    </div>
  </section>
  <section class="container">
    <h2>Notre savoir-faire</h2>
    <div class="grid">
      <article class="card"><h3>Mobilier sur mesure</h3><p>Bibliothèques, bureaux et rangements dessinés au
      centimètre près, en chêne, noyer ou frêne massif.</p></article>
      <article class="card"><h3>Agencement de boutiques</h3><p>Comptoirs, vitrines et linéaires pour commerces et
      hôtels, livrés et posés en moins de six semaines.</p></article>
      <article class="card"><h3>Restauration</h3><p>Remise en état de boiseries anciennes et de mobilier
      d&#39;époque, dans le respect des techniques traditionnelles.</p></article>
    </div>
  </section>
  <section class="container">
    <h2>En chiffres</h2>
    <p>Plus de 600 projets livrés en Île-de-France, 14 artisans et un atelier de 450&nbsp;m² dans le 8e
    arrondissement. Label Entreprise du Patrimoine Vivant depuis le 12/03/2019.</p>
  </section>
</main>"""
    return _page(
        ctx,
        "Atelier Dupont – Ébénisterie et agencement sur mesure à Paris",
        "Ébéniste à Paris 8e : mobilier sur mesure, agencement de boutiques et restauration.",
        main,
    )


def realisations(ctx: Ctx) -> Response:
    main = """<main id="main" class="container">
  <h1>Nos réalisations</h1>
  <p class="lead">Une sélection de projets récents, de l&#39;appartement haussmannien à la boutique de créateur.</p>
  <div class="grid">
    <article class="card"><img src="/static/img/realisations/bibliotheque-chene.jpg" alt="Bibliothèque en chêne" loading="lazy">
      <h2>Bibliothèque en chêne massif</h2><p>Appartement, Paris 16e &ndash; 2023. Onze mètres linéaires avec
      échelle coulissante en laiton.</p></article>
    <article class="card"><img src="/static/img/realisations/comptoir.jpg" alt="Comptoir d'accueil" loading="lazy">
      <h2>Comptoir d&#39;accueil</h2><p>Cabinet d&#39;avocats, Neuilly-sur-Seine &ndash; 2023. Noyer américain et
      pierre de Bourgogne.</p></article>
    <article class="card"><img src="/static/img/realisations/cuisine.jpg" alt="Cuisine en frêne" loading="lazy">
      <h2>Cuisine en frêne teinté</h2><p>Maison de ville, Vincennes &ndash; 2022. Façades cannées et plan de
      travail en terrazzo.</p></article>
  </div>
</main>"""
    return _page(ctx, "Réalisations – Atelier Dupont", "Projets récents de l'Atelier Dupont.", main)


def equipe(ctx: Ctx) -> Response:
    main = """<main id="main" class="container">
  <h1>L&#39;équipe</h1>
  <p class="lead">Quatorze artisans et concepteurs, une même exigence du détail. Voici vos interlocuteurs.</p>
  <div class="grid team">
    <article class="team-card">
      <h3>Sophie Dupont</h3>
      <p class="role">Fondatrice et gérante</p>
      <p>Ébéniste formée à l&#39;École Boulle, Sophie a fondé l&#39;atelier en 2009 après dix ans chez un
      restaurateur du faubourg Saint-Antoine.</p>
      <p><a href="mailto:s.dupont@atelier-dupont.fr">s.dupont@atelier-dupont.fr</a></p>
      <p><a href="https://www.linkedin.com/in/sophie-dupont-ebeniste/" rel="noopener" target="_blank">LinkedIn</a></p>
    </article>
    <article class="team-card">
      <h3>Claire Martin</h3>
      <p class="role">Directrice commerciale</p>
      <p>Claire accompagne les architectes, les hôteliers et les particuliers de la première visite jusqu&#39;à la
      livraison.</p>
      <p class="email">c.martin<span>@</span>atelier-dupont.fr</p>
      <p class="phone">Mobile : +33 6 12 34 56 78</p>
      <p><a href="https://www.linkedin.com/in/claire-martin-atelier/" rel="noopener" target="_blank">LinkedIn</a></p>
    </article>
    <article class="team-card">
      <h3>Thomas Leroy</h3>
      <p class="role">Chef d&#39;atelier</p>
      <p>Compagnon du Devoir, Thomas organise la fabrication et la pose. C&#39;est lui qu&#39;il faut appeler pour
      une question technique sur un chantier en cours.</p>
      <p class="phone">Tél. direct : 01 42 68 53 04</p>
    </article>
    <article class="team-card">
      <h3>Amélie Rousseau</h3>
      <p class="role">Architecte d&#39;intérieur</p>
      <p>Amélie dessine les projets d&#39;agencement et prépare les plans d&#39;exécution pour l&#39;atelier.</p>
      <p class="email">a.rousseau<!-- -->@<!-- -->atelier-dupont.fr</p>
      <p class="phone">06 98 76 54 32</p>
    </article>
  </div>
</main>"""
    return _page(ctx, "L'équipe – Atelier Dupont", "Les artisans et concepteurs de l'Atelier Dupont.", main)


def contact(ctx: Ctx) -> Response:
    main = """<main id="main" class="container">
  <h1>Contact</h1>
  <p class="lead">Un projet, une question, une envie ? Écrivez-nous ou passez à l&#39;atelier, du lundi au
  vendredi de 9h à 18h.</p>
  <div class="grid">
    <section class="card">
      <h2>Écrivez-nous</h2>
      <p><a href="mailto:bonjour@atelier-dupont.fr">bonjour@atelier-dupont.fr</a></p>
      <p>Nous répondons sous 48&nbsp;heures ouvrées.</p>
    </section>
    <section class="card">
      <h2>Projets professionnels</h2>
      <p>Architectes, hôtels et commerces : contactez directement Claire Martin, directrice commerciale.</p>
      <p>Claire Martin &ndash; Directrice commerciale<br>
      <span class="email">c.martin<span>@</span>atelier-dupont.fr</span><br>
      +33 6 12 34 56 78</p>
    </section>
    <section class="card">
      <h2>Presse et partenariats</h2>
      <p>presse&#64;atelier-dupont&#46;fr</p>
    </section>
  </div>
  <section>
    <h2>Formulaire de contact</h2>
    <form action="/contact" method="post">
      <label>Nom <input type="text" name="nom" required></label>
      <label>E-mail <input type="email" name="email" placeholder="prenom.nom@exemple.fr" required></label>
      <label>Votre projet <textarea name="message" rows="5"></textarea></label>
      <button type="submit">Envoyer</button>
    </form>
  </section>
  <section>
    <h2>Accès</h2>
    <p>Métro Miromesnil (lignes 9 et 13) ou Saint-Augustin (ligne 9). L&#39;atelier se trouve au fond de la
    cour, porte B.</p>
  </section>
</main>"""
    return _page(ctx, "Contact – Atelier Dupont", "Contactez l'Atelier Dupont, ébéniste à Paris 8e.", main)


def mentions_legales(ctx: Ctx) -> Response:
    main = """<main id="main" class="container narrow legal">
  <h1>Mentions légales</h1>
  <h2>Éditeur du site</h2>
  <p>Atelier Dupont, SARL au capital de 20&nbsp;000&nbsp;€<br>
  Siège social : 12 rue de Miromesnil, 75008 Paris<br>
  RCS Paris 812 345 678<br>
  SIRET : 812 345 678 00024<br>
  Code APE : 3109B<br>
  N° TVA intracommunautaire : FR32 812 345 678</p>
  <p>Téléphone : 01 42 68 53 00<br>
  E-mail : <a href="mailto:bonjour@atelier-dupont.fr">bonjour@atelier-dupont.fr</a></p>
  <p>Directrice de la publication : Sophie Dupont, gérante.</p>
  <h2>Hébergement</h2>
  <p>OVH SAS, 2 rue Kellermann, 59100 Roubaix, France.</p>
  <h2>Propriété intellectuelle</h2>
  <p>L&#39;ensemble des contenus de ce site (textes, photographies, plans) est la propriété exclusive de
  l&#39;Atelier Dupont, sauf mention contraire. Toute reproduction, même partielle, est interdite sans
  autorisation écrite préalable.</p>
  <h2>Données personnelles</h2>
  <p>Les informations recueillies via le formulaire de contact sont destinées uniquement à l&#39;Atelier Dupont
  et ne sont conservées que le temps nécessaire au traitement de votre demande, dans la limite de trois ans.
  Conformément au règlement (UE) 2016/679 et à la loi n° 78-17 du 6 janvier 1978 modifiée, vous disposez
  d&#39;un droit d&#39;accès, de rectification et d&#39;effacement de vos données.</p>
  <p>Dernière mise à jour : 15/01/2024</p>
</main>"""
    return _page(ctx, "Mentions légales – Atelier Dupont", "Mentions légales de l'Atelier Dupont.", main)


def robots(ctx: Ctx) -> Response:
    return text_response("User-agent: *\nDisallow:\n")


def not_found(ctx: Ctx) -> Response:
    return _page(
        ctx,
        "Page introuvable – Atelier Dupont",
        "Page introuvable.",
        not_found_main(
            "Page introuvable",
            "La page que vous cherchez n&#39;existe pas ou a été déplacée.",
            "Retour à l&#39;accueil",
        ),
        status=404,
    )


SITE = Site(
    host=HOST,
    name=NAME,
    routes={
        "/": home,
        "/realisations": realisations,
        "/equipe": equipe,
        "/contact": contact,
        "/mentions-legales": mentions_legales,
        "/robots.txt": robots,
    },
    not_found=not_found,
)
