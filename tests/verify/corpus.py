"""Hand-written team pages of small companies: the (name, address) pairs each one publishes.

Written to look like the web, not like the inference: most firms keep one pattern, but founders
keep their short address, newer staff get the new scheme, nicknames and second given names slip in,
namesakes get a variant, and a few sites mix patterns outright. German, Austrian, Swiss, French,
Dutch, Belgian, Spanish, Italian, Polish, Danish, British and American names, with the accents,
umlauts, particles and double surnames they come with.
"""

from __future__ import annotations

from crawler.verify.evaluation import Site


def _site(domain: str, *people: tuple[str, str]) -> Site:
    return Site(domain, tuple((name, f"{local}@{domain}") for name, local in people))


SITES: tuple[Site, ...] = (
    # --- German-speaking -------------------------------------------------------------------
    _site(
        "mueller-maschinenbau.de",
        ("Thomas Müller", "thomas.mueller"),
        ("Sabine Groß", "sabine.gross"),
        ("Jürgen Bäumer", "juergen.baeumer"),
        ("Katrin Schäfer", "katrin.schaefer"),
        ("Michael Wagner", "michael.wagner"),
        ("Stefanie Köhler", "stefanie.koehler"),
        ("Dr.-Ing. Andreas Hoffmann", "andreas.hoffmann"),
        ("Lena Fischer", "lena.fischer"),
    ),
    _site(
        "weber-steuerberatung.de",
        ("Markus Weber", "mweber"),
        ("Anja Krüger", "akrueger"),
        ("Petra Schulz", "pschulz"),
        ("Tobias Lang", "tlang"),
        ("Ömer Demir", "odemir"),
    ),
    _site(
        "kanzlei-hartmann.de",
        ("Dr. Klaus Hartmann", "k.hartmann"),
        ("Julia Becker", "j.becker"),
        ("Sven Jürgens", "s.juergens"),
        ("Miriam Özdemir", "m.oezdemir"),
        ("Prof. Dr. Werner Scholz", "w.scholz"),
    ),
    _site(
        "brauerei-koenig.de",
        ("Franz König", "franz"),
        ("Maria Huber", "maria"),
        ("Sepp Maier", "sepp"),
    ),
    _site(
        "solartec-nord.de",
        ("Jörg Lüders", "jorg.luders"),
        ("Anke Möller", "anke.moller"),
        ("Kai Brandt", "kai.brandt"),
        ("Uwe Schröder", "uwe.schroder"),
    ),
    _site(
        "autohaus-schneider.de",
        ("Wolfgang Schneider", "ws"),  # the owner kept his short address
        ("Nadine Vogel", "nadine.vogel"),
        ("Dennis Wolf", "dennis.wolf"),
        ("Sandra Neumann", "sandra.neumann"),
        ("Heike Zimmermann", "heike.zimmermann"),
    ),
    _site(
        "architekten-vonberg.de",
        ("Carl von Berg", "carl.vonberg"),
        ("Friederike von Hausen", "friederike.vonhausen"),
        ("Lars Meier", "lars.meier"),
        ("Ines Haas", "ines.haas"),
    ),
    _site(
        "lindner-partner.de",
        ("Anna-Lena Brück-Heinemann", "anna-lena.brueck-heinemann"),
        ("Hans-Peter Lindner", "hans-peter.lindner"),
        ("Eva Roth", "eva.roth"),
        ("Karl-Heinz Vogt", "karl-heinz.vogt"),
    ),
    _site(
        "elektro-kraemer.de",
        ("Uwe Krämer", "uwe.kraemer"),
        ("Jörg Böhm", "joerg.boehm"),
        ("Tanja Mayer", "tanja.mayer"),
        ("Günther Schütz", "guenther.schuetz"),
        ("Sören Hübner", "soeren.huebner"),
    ),
    _site(
        "pixelwerk-agentur.de",
        ("Nina Berger", "nina_berger"),
        ("Felix Hahn", "felix_hahn"),
        ("Paul Schuster", "paul_schuster"),
    ),
    _site(
        "schmitt-gruppe.de",
        ("Thomas Schmitt", "tschmitt"),
        ("Tanja Schmitt", "taschmitt"),  # the namesake got a variant
        ("Peter Braun", "pbraun"),
        ("Claudia Frank", "cfrank"),
        ("Holger Schmitt", "hschmitt"),
    ),
    _site(
        "praxis-klein.de",
        ("Dr. med. Martina Klein", "klein"),
        ("Ralf Sommer", "sommer"),
        ("Birgit Jäger", "jaeger"),
    ),
    _site(
        "tischlerei-bauer.de",
        ("Stefan Bauer", "stefan.bauer"),
        ("Monika Bauer", "m.bauer"),
    ),
    _site(
        "kaffee-roth.de",
        ("Daniel Roth", "daniel.roth"),
        ("Jana Keller", "jana.keller"),
    ),
    _site(
        "gruber-immobilien.at",
        ("Mag. Christian Gruber", "c.gruber"),
        ("Elisabeth Pichler", "e.pichler"),
        ("Florian Wimmer", "f.wimmer"),
        ("Theresa Hofbauer", "t.hofbauer"),
        ("Lukas Steiner", "lukas.steiner"),  # newer staff, newer scheme
    ),
    _site(
        "treuhand-meier.ch",
        ("Hans Meier", "hans.meier"),
        ("Ursula Brunner", "ursula.brunner"),
        ("Beat Zürcher", "beat.zuercher"),
        ("Reto Müller", "reto.mueller"),
        ("Anna Maria Keller", "annamaria.keller"),  # both given names, as she signs
    ),
    # --- French / Belgian ------------------------------------------------------------------
    _site(
        "dupont-associes.fr",
        ("Sophie Dupont", "sophie.dupont"),
        ("Jean-Pierre Lefèvre", "jean-pierre.lefevre"),
        ("Hélène Moreau", "helene.moreau"),
        ("François Girard", "francois.girard"),
        ("Céline Roux", "celine.roux"),
        ("Stéphane Bonnet", "stephane.bonnet"),
    ),
    _site(
        "cabinet-leclerc.fr",
        ("Marc Leclerc", "mleclerc"),
        ("Amélie Faure", "afaure"),
        ("Benoît Chevalier", "bchevalier"),
        ("Élodie Garnier", "egarnier"),
        ("Luc Mercier", "lmercier"),
    ),
    _site(
        "boulangerie-martin.fr",
        ("Pierre Martin", "pierre"),
        ("Claire Martin", "claire"),
    ),
    _site(
        "agence-delaroche.fr",
        ("Antoine de La Roche", "antoine.delaroche"),
        ("Marie Dubois", "marie.dubois"),
        ("Nicolas Petit", "nicolas.petit"),
        ("Juliette d'Arcy", "juliette.darcy"),
        ("Thibault Lemaire", "thibault.lemaire"),
    ),
    _site(
        "conseil-bernard.fr",
        ("Thierry Bernard", "t.bernard"),
        ("Isabelle Lambert", "i.lambert"),
        ("Olivier Fontaine", "o.fontaine"),
        ("Camille Rousseau", "camille.rousseau"),
    ),
    _site(
        "bureau-janssens.be",
        ("Koen Janssens", "koen.janssens"),
        ("Els De Smet", "els.desmet"),
        ("Wim Peeters", "wim.peeters"),
        ("Sarah Van den Broeck", "sarah.vandenbroeck"),
        ("Geert Maes", "geert.maes"),
    ),
    # --- Dutch -----------------------------------------------------------------------------
    _site(
        "vandermeer-bouw.nl",
        ("Jan van der Meer", "jan.vandermeer"),
        ("Pieter de Vries", "pieter.devries"),
        ("Sanne Bakker", "sanne.bakker"),
        ("Daan Visser", "daan.visser"),
        ("Femke van Dijk", "femke.vandijk"),
        ("Lotte Jansen", "lotte.jansen"),
    ),
    _site(
        "advocaten-dejong.nl",
        ("mr. Maarten de Jong", "m.dejong"),
        ("Eva Smit", "e.smit"),
        ("Thijs van Leeuwen", "t.vanleeuwen"),
        ("Roos Mulder", "r.mulder"),
    ),
    _site(
        "hendriks-it.nl",
        ("Bram Hendriks", "bram"),
        ("Iris de Boer", "iris"),
        ("Ruud van den Heuvel", "ruud"),
        ("Noor Peters", "noor"),
    ),
    # --- Spanish / Italian / Polish / Danish ------------------------------------------------
    _site(
        "garcia-abogados.es",
        ("José García López", "jose.garcia"),
        ("María Fernández Ruiz", "maria.fernandez"),
        ("Javier Martínez Sánchez", "javier.martinez"),
        ("Lucía Gómez Pérez", "lucia.gomez"),
        ("Carmen Díaz Moreno", "carmen.diaz"),
    ),
    _site(
        "construcciones-navarro.es",
        ("Antonio Navarro Gil", "anavarro"),
        ("Elena Romero Vidal", "eromero"),
        ("Pablo Torres Ramos", "ptorres"),
        ("Nuria Castillo Ortega", "ncastillo"),
    ),
    _site(
        "estudio-serrano.es",
        ("Ana Ruiz Soto", "ana"),
        ("Miguel Ángel Serrano", "miguelangel"),  # a two-word given name
        ("Laura Vega", "laura"),
        ("Sergio Molina", "sergio"),
    ),
    _site(
        "studio-rossi.it",
        ("Marco Rossi", "m.rossi"),
        ("Giulia Bianchi", "g.bianchi"),
        ("Luca Esposito", "l.esposito"),
        ("Francesca De Luca", "f.deluca"),
        ("Niccolò Ferrari", "n.ferrari"),
    ),
    _site(
        "kowalski-logistyka.pl",
        ("Łukasz Kowalski", "lukasz.kowalski"),
        ("Agnieszka Wiśniewska", "agnieszka.wisniewska"),
        ("Paweł Zieliński", "pawel.zielinski"),
        ("Małgorzata Wójcik", "malgorzata.wojcik"),
    ),
    _site(
        "nordisk-design.dk",
        ("Søren Kjær", "sk"),
        ("Mette Hansen", "mh"),
        ("Lars Nielsen", "ln"),
        ("Anne Sørensen", "as"),
    ),
    # --- English ---------------------------------------------------------------------------
    _site(
        "northwind-consulting.com",
        ("John Smith", "john.smith"),
        ("Sarah O'Connor", "sarah.oconnor"),
        ("Michael Brown", "michael.brown"),
        ("Emily Davis", "emily.davis"),
        ("Robert Johnson", "robert.johnson"),
        ("Jennifer Wilson", "jennifer.wilson"),
        ("Christopher Taylor", "chris.taylor"),  # goes by Chris
    ),
    _site(
        "harbor-dental.com",
        ("Dr. Emily Carter", "emily"),
        ("James Lee", "james"),
        ("Olivia Martin", "olivia"),
    ),
    _site(
        "brightpath.io",
        ("Alex Kim", "alex"),
        ("Priya Patel", "priya"),
        ("Sam Green", "sam"),
        ("Jordan Blake", "jordan"),
    ),
    _site(
        "hale-morgan.com",
        ("David Hale", "dhale"),
        ("Susan Morgan", "smorgan"),
        ("Kevin O'Neill", "koneill"),
        ("Laura Chen", "lchen"),
        ("Mark Davies", "mdavies"),
        ("Rachel Morgan", "rmorgan"),
    ),
    _site(
        "fletcher-estates.co.uk",
        ("Tom Fletcher", "tomfletcher"),
        ("Hannah Wright", "hannahwright"),
        ("Oliver Hughes", "oliverhughes"),
    ),
    _site(
        "creative-loft.com",
        ("Anna Novak", "anna"),
        ("Ben Carter", "ben.carter"),
        ("Mia Lopez", "mlopez"),
    ),
    _site(
        "summit-advisors.com",
        ("William J. Parker", "bill.parker"),  # goes by Bill
        ("Elizabeth Turner", "elizabeth.turner"),
        ("Daniel Wright", "daniel.wright"),
    ),
)
