"""The people extractor's vocabulary: job-title words, name words, labels and class hints (en/de/fr/es/nl)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources


def words(text: str) -> frozenset[str]:
    """A word set written as one wrapped string (long vocabularies stay readable)."""
    return frozenset(text.split())


WHITESPACE_RE = re.compile(r"\s+")

# Job-title words. Acronyms are matched case-sensitively (so "ceo" inside prose doesn't count),
# words case-insensitively; German compounds (Vertriebsleiterin, Geschäftsführer) by their stems.
TITLE_ACRONYM_RE = re.compile(
    r"(?<![\w-])(?:CEO|CTO|CFO|COO|CMO|CIO|CISO|CPO|CRO|CSO|CDO|CCO|CHRO|VP|SVP|EVP|AVP|HR|RH|UX|UI|QA|PR|SEO|PDG|DG|DRH|DAF)(?![\w-])"
)
TITLE_WORD_RE = re.compile(
    r"(?<![\w-])(?:"
    # English
    r"co-?founder|founder|founding partner|co-?owner|owner|president|vice[- ]president|"
    r"chair(?:man|woman|person)?|"
    r"head of|director|managing|manager|team lead|tech(?:nical)? lead|lead|engineer|partner|sales|marketing|"
    r"principal|consultant|specialist|coordinator|assistant|associate|representative|officer|executive|"
    r"developer|designer|architect|architecte|architekt(?:in)?|analyst|accountant|administrator|advis[eo]r|attorney|lawyer|counsel|"
    r"secretary|treasurer|recruiter|scientist|researcher|business development|human resources|supervisor|"
    r"technician|editor|chief|board member|member of the board|trainee|intern|apprentice|controller|"
    r"bookkeeper|receptionist|strategist|producer|product owner|scrum master|"
    # short role labels of team grids, boards, committees, churches and schools
    r"tech|design|finance|operations|legal|admin|copywriter|writer|photographer|illustrator|animator|"
    r"programmer|planner|co-?chairs?|chairs|committee|trustees?|treasurer|pastor|minister|ministry|worship|"
    r"deacon|elder|organi[sz]ers?|coach|trainer|therapist|physiotherapist|psychologist|teacher|lecturer|"
    r"professor|curator|librarian|auditor|notary|paralegal|solicitor|barrister|"
    # German
    r"geschäftsführer(?:in)?|geschäftsführung|inhaber(?:in)?|leitung|vertrieb\w*|vorstand\w*|"
    r"prokurist(?:in)?|gesellschafter(?:in)?|referent(?:in)?|assistenz|"
    r"sachbearbeiter(?:in)?|techniker(?:in)?|einkauf|buchhaltung|"
    r"personalwesen|kundenservice|kundenbetreuung|außendienst|innendienst|verkauf\w*|"
    r"gründer(?:in)?|mitgründer(?:in)?|aufsichtsrat\w*|vorsitzender?|"
    r"disponent(?:in)?|sekretariat|steuerberater(?:in)?|rechtsanwält(?:in)?|rechtsanwalt|"
    r"justiziar(?:in)?|expert(?:e|in)|partnerin|"
    # law firms, associations (Verein), parishes
    r"notar(?:in)?|wirtschaftsprüfer(?:in)?|"
    r"mediator(?:in)?|kassierer(?:in)?|schatzmeister(?:in)?|schriftführer(?:in)?|beisitzer(?:in)?|"
    r"(?:kassen|jugend|sport|presse|geräte|frauen|übungs|abteilungs|spiel|kampfrichter)wart(?:in)?|"
    r"pfarrer(?:in)?|diakon(?:in)?|trainer(?:in)?|erzieher(?:in)?|sekretärin|"
    r""
    # French
    r"directeur|directrice|gérante?|responsable|présidente?|vice-présidente?|fondat(?:eur|rice)|"
    r"co-?fondat(?:eur|rice)|chargée? d[e'’]|chef d[e'’]|ingénieure?|commerciale?|associée?|"
    r"conseill(?:er|ère)|propriétaire|vigneronne?|"
    r"comptable|assistante|secrétaire|développeu(?:r|se)|technicien(?:ne)?|consultante|gestionnaire|"
    r"déléguée?|attachée? d[e'’]|administrat(?:eur|rice)|ébéniste|menuisi(?:er|ère)|artisan|apprentie?|"
    r"stagiaire|conducteur de travaux|chef de chantier|décorat(?:eur|rice)|"
    r"(?:schreiner|tischler|elektro|maler|dachdecker|zimmerer|installateur|kfz|friseur)meister(?:in)?|"
    r"tischler(?:in)?|schreiner(?:in)?|elektriker(?:in)?|monteur(?:in)?|"
    # Spanish, Italian, Dutch
    r"gerente|fundador(?:a)?|directora?|socia?|jef[ea]|direttore|titolare|eigenaar|oprichter|bedrijfsleider|"
    r"desarrollador(?:a)?|diseñador(?:a)?|coordinador(?:a)?|asesora?|abogad[oa]|técnic[oa]|contable|"
    r"presidenta|consejer[oa] delegad[oa]|ingenier[oa]|"
    # Dutch
    r"werkvoorbereider|adviseur|vennoot|boekhouder|verkoper|uitvoerder|directie|"
    # compounds by their last part (Vertriebsleiterin, Fachanwalt, Projectleider): one \w* for all of
    # them, since the engine backtracks through the word once per \w* alternative
    r"\w*(?:leiter(?:in)?|berater(?:in)?|assistent(?:in)?|ingenieur(?:in)?|entwickler(?:in)?|manager(?:in)?|"
    r"beauftragter?|koordinator(?:in)?|spezialist(?:in)?|anwält(?:in|e|innen)?|anwalt|fachangestellter?|"
    r"vorsitzender?|monteur(?:in)?|medewerker|(?<=\w)kauf(?:mann|frau)|(?<=\w)leider)"
    r")(?![\w-])"
    # French "… d'atelier": the elided article glues the next word on
    r"|(?<![\w-])(?:chargée?|chef|attachée?|responsable|directeur|directrice|architecte)\s+d['’]",
    re.I,
)
# Lines with these words are job ads, prices, calls to action or prose, not someone's title.
NOT_TITLE_RE = re.compile(
    r"(?:\b(?:m/w/d|w/m/d|m/f/d|f/m/d|d/m/w|h/f|f/h|hiring|we are|we're|wir suchen|gesucht|apply|bewerb\w*|"
    r"vacanc\w*|open positions?|job|jobs|stellen\w*|karriere|career\w*|price|preis\w*|prix|request|anfrage|"
    r"bestell\w*|buy|kaufen|download|read more|mehr erfahren|learn more|click|free|kostenlos|cookie\w*|"
    r"our|unser\w*|your|ihr\w*|votre|nos|notre|nuestr[oa]s?|onze|jouw|you|sie|this|that|here|hier|time|zeit|"
    r"is|ist|es)\b|[€$£?!@]|https?:|www\.)",
    re.I,
)
# Title words that also name departments or appear in product copy ("Lead time", "Sales tools"):
# a line whose only title words are these must not read like prose (lower-case words).
WEAK_TITLE_WORDS = words(
    """
    lead sales marketing partner executive associate officer principal chair managing chief
    representative editor producer intern vertrieb einkauf verkauf leitung commercial commerciale
    tech design finance operations legal admin ministry worship committee directie
    """
)
TITLE_GLUE_WORDS = frozenset(
    {"of", "and", "&", "de", "du", "des", "la", "le", "für", "und", "the", "et", "d'", "y"}
)
TITLE_LABEL_RE = re.compile(r"^(?:position|funktion|title|role|rolle|poste|fonction|job title)\s*:\s*", re.I)

# Capitalised words that head, label or decorate a page but are nobody's name.
STOPWORDS = words(
    """
    our team the meet contact us get in touch about management leadership board executive staff
    people members home products product solutions solution services service news blog careers
    career jobs job read more learn request demo call email e-mail mail phone telephone tel fax
    mobile address street road avenue lane drive suite floor building straße strasse str weg platz
    allee gasse ring rue boulevard chemin privacy policy terms cookie cookies settings accept
    decline reject all necessary statistics preferences imprint impressum datenschutz kontakt unser
    unsere ihr ihre ansprechpartner ansprechpartnerin über uns startseite notre nos équipe equipe
    contactez nous mentions légales qui sommes accueil welcome hello thank thanks you your we are is
    and or for with of to at by from on new free now today view see show open close menu search
    login sign up download subscribe newsletter follow share like customer customers client clients
    support help faq case study studies success stories story award awards event events webinar
    industry industries technology technologies software hardware platform company group holding
    international global europe germany deutschland america usa france gmbh ag kg ug ohg gbr inc llc
    ltd limited corp corporation co sa sas sarl plc bv nv srl spa automation systems system
    consulting digital office headquarters hq location locations standort opening hours monday
    tuesday wednesday thursday friday saturday sunday montag dienstag mittwoch donnerstag freitag
    samstag sonntag january february march april june july august september october november
    december januar februar märz juni juli oktober dezember north south east west central city new
    san los las series edition model version lite ultra mini pro plus robot robots robotics machine
    machines maschinenbau engineering technik gripper arm cloud data ai api app apps online store
    shop cart checkout account price pricing plan plans enterprise business partners partner
    überblick overview history geschichte mission vision values werte jetzt now mehr weitere alle
    cookie-einstellungen einstellungen akzeptieren ablehnen speichern save okay ok got it senior
    junior deputy interim acting general regional national area country district branch key inside
    technical creative project operations quality business human public relations communications
    research development strategy supply chain data web content social media brand finance financial
    tax legal accounts account compliance procurement purchasing logistics innovation training
    academy stellvertretender stellvertretende kaufmännischer kaufmännische technischer technische
    leitender leitende amtsgericht registergericht handelsregister landgericht finanzamt gericht
    register
    current latest recent upcoming featured popular openings opening vacancies vacancy positions
    position releases release press presse insights resources downloads gallery portfolio references
    referenzen testimonials reviews transformation corporate strategic planning funding applications
    büro buero studio studios kanzlei filiale niederlassung zweigstelle zentrale werk standorte
    vestiging vestigingen kantoor oficina oficinas sede agence agencia agentur bureau atelier boutique
    magasin tienda winkel hotel restaurant café cafe praxis klinik clinic campus
    university universität universidad université università universiteit college institute institut
    instituto school schule hochschule hospital klinikum foundation stiftung fondation fundación society
    verein association politecnico
    """
)
PARTICLES = words(
    """
    von van de da del della der den di du la le zu zum zur vom dos das do ten ter bin ibn al el y
    des st. mac
    """
)
# Salutations and academic titles are dropped from names (so "Dr. Anna Schmidt" and "Anna
# Schmidt" are one person); trailing degrees likewise.
HONORIFIC_RE = re.compile(
    r"^(?:(?:Herrn?|Frau|Hr\.|Fr\.|Mr\.?|Mrs\.?|Ms\.?|Miss|Mx\.?|Mme\.?|Mlle\.?|M\.|Monsieur|Madame|Sir|Dame|"
    r"Dr\.-Ing\.|Dr\.(?:\s?(?:rer|med|phil|jur|iur|ing|oec|h\.?\s?c)\.(?:\s?(?:nat|pol|soc|techn)\.)?)?|Prof\.|"
    r"Pastor|Pastorin|Pfarrer|Pfarrerin|Rev\.|Reverend|Rabbi|Imam|"
    r"Dipl\.-?\s?[A-Za-zäöüÄÖÜ]+\.(?:\s?\(FH\))?|Dipl\.|Ing\.|Mag\.|MBA|B\.\s?Sc\.|M\.\s?Sc\.|B\.\s?A\.|M\.\s?A\.)\s*)+"
)
DEGREE_SUFFIX_RE = re.compile(
    r"(?:,?\s+(?:MBA|M\.?\s?Sc\.?|B\.?\s?Sc\.?|M\.?\s?A\.?|B\.?\s?A\.?|Ph\.?\s?D\.?|LL\.?\s?M\.?|MD|CPA|CFA|PMP|"
    r"Dipl\.-?\s?[A-Za-zäöü]+\.|\(FH\)))+\.?$"
)
INITIAL_RE = re.compile(r"^(?:[A-ZÀ-Þ]\.){1,2}$")
NAME_CHARS_RE = re.compile(r"^[^\W\d_](?:[^\W\d_]|['’\-])*$")

QUOTE_STARTS = ("“", '"', "„", "«", "‚", "‘", "»", "'")
TESTIMONIAL_RE = re.compile(r"\b(?:said|says|sagt|sagte|meint|déclare|explique|dice)\b|★|⭐", re.I)
EXTERNAL_TITLE_RE = re.compile(r"\s(?:at|bei|chez|@)\s+(.+)$", re.I)

# "Geschäftsführer: Max Müller", "Vertreten durch: ...", "Managing Directors: A, B".
_IMPRINT_LABEL = (
    r"(?:(?:vertretungsberechtigter?n?\s+|alleinige?r?\s+)?(?:geschäftsführer(?:in(?:nen)?)?|geschäftsführende[rn]?\s+gesellschafter(?:in)?|"
    r"geschäftsführung|gesch\.-?f(?:ührer)?\.?|inhaber(?:in)?|vorstand(?:svorsitzender?)?|vorstände|"
    r"vorsitzender? des (?:vorstands|aufsichtsrate?s)|aufsichtsratsvorsitzender?|prokurist(?:in|en)?|"
    r"(?:persönlich haftende[rn]?\s+)?gesellschafter(?:in)?)"
    r"|vertreten durch(?:\s+(?:den|die|das))?(?:\s+(?:geschäftsführer(?:in)?|vorstand|inhaber(?:in)?))?"
    r"|vertretungsberechtigte?r?(?:\s+person(?:en)?)?"
    r"|verantwortlich(?:e[rn]?)?\s+"
    r"(?:für\s+(?:den\s+)?inhalt|i\.?\s?s\.?\s?d\.?|gem(?:äß|\.)|nach|im sinne)[^:]*"
    r"|v\.?\s?i\.?\s?s\.?\s?d\.?\s?p\.?"
    r"|managing directors?|(?:board of )?directors?|chief executive officer|owners?|represented by|"
    r"authori[sz]ed representatives?|legal representatives?|chairman of the (?:supervisory )?board|"
    r"responsible for (?:the )?content[^:]*"
    r"|directeur de (?:la )?publication|directrice de (?:la )?publication|gérante?|"
    r"représentée? (?:légalement )?par|présidente?)"
)
IMPRINT_LINE_RE = re.compile(
    rf"^(?P<label>{_IMPRINT_LABEL}(?:\s*(?:/|,|&|und|and|et)\s*{_IMPRINT_LABEL})*)\s*(?P<colon>[:：])?\s*(?P<rest>.*)$",
    re.I,
)
IMPRINT_NO_TITLE_RE = re.compile(
    r"^(?:vertreten|vertretungsberechtigt|verantwortlich|v\.?\s?i|represented|authori|legal|responsible|"
    r"représenté|directeur de|directrice de)",
    re.I,
)
CONTACT_LABEL_RE = re.compile(
    r"^(?:(?:ihr|ihre|your|votre|vos|unser|unsere|press|presse|media|medien|sales|vertriebs?|support)\s+)?(?:persönliche[rn]?\s+)?(?:ansprechpartner(?:in)?|"
    r"kontaktperson|contact person|contact|point of contact|interlocut(?:eur|rice)|kontakt)\b"
    r"[^:]{0,40}:?\s*(?P<rest>.*)$",
    re.I,
)
NAME_SPLIT_RE = re.compile(r"\s*(?:[,;/]|\s(?:und|and|sowie|et|&)\s)\s*")
PAREN_RE = re.compile(r"\(([^)]*)\)")
INNER_REPRESENTED_RE = re.compile(
    r"(?:vertreten durch|represented by|représentée? par)\s*(?:den|die|the)?\s*", re.I
)

# Splits a one-line "Name, Title" / "Name – Title" / "Name (Title)" / "Name | Title".
NAME_TITLE_SEP_RE = re.compile(r"\s*(?:,|\||–|—|·|/|\s-\s|:)\s*|\s*\(")

# Common given names (accents folded). Not a filter -- plenty of real names are missing -- but one
# piece of evidence that a two-word heading is a person rather than a product ("Stock Pilot").
# Extended by the shipped list (data/given_names.txt, its sources and licence in it), less stop words.
_COMMON_FIRST_NAMES = words(
    """
    aaron abdul abdullah adam adrian agnes ahmed ahmet aidan aisha alan albert alberto alejandro
    aleksandra alex alexander alexandra alexandre alexis alfred ali alice alicia alina alison amanda
    amber amelia amir amy ana anastasia andrea andreas andrew andy angela angelika angelo anita anja
    ann anna annabelle anne annette annika anthony antoine anton antonia antonio arjun arnaud arne
    arthur astrid aurelie axel aylin ayse barbara bastian beatrice beatriz ben benedikt benjamin
    bernard bernd bernhard bettina bianca birgit bjorn bob boris brandon brian bruno camille carina
    carl carla carlos carmen carol caroline carsten cassandra catherine cecile cedric celine charles
    charlotte chen chiara chloe chris christa christian christina christine christoph christophe
    christopher claire clara claudia claudio colin conor constance corinna cornelia craig cristina
    daniel daniela danielle daria david dean debbie deborah deepak denis dennis derek diana diane
    dieter dimitri dirk dominik dominique donald doris dorothea dylan edward eleanor elena elias
    elif elisa elisabeth eliza elizabeth ella ellen elodie emil emilia emily emma emmanuel enrico
    eric erik erika ernst esther ethan eva evelyn fabian fabienne fabio fatima felix fernando filip
    finn florian france frances francesca francesco francois frank franz franziska frederic frederik
    gabriel gabriele gabriella gareth gary gauthier georg george georgia gerald gerhard gianluca
    gilles giorgio giovanni giulia giuseppe grace graham gregor gregory guido guillaume gunter hana
    hannah hannes hans harald harry hassan heike heiko heinrich heinz helen helena helene helga
    helmut hendrik henrik henry herbert hugo ian ibrahim ida ines ingo ingrid irene iris isabel
    isabella isabelle ivan jack jacob jacqueline jakob james jan jana jane janet janina janine
    jannik jasmin jason javier jean jeanne jennifer jens jeremy jerome jessica jiawei jing joachim
    joanna jochen joe johan johanna johannes john jonas jonathan jordan jorg jose josef joseph
    joshua julia julian juliane julie julien julius jurgen justin kai karim karin karina karl
    karolina kasper katarina katharina katherine kathrin katja katrin kemal kevin kim klaus konrad
    kristina kurt lana lars laura laurence laurent lea leah lena leo leon leonie li liam lin lina
    linda lisa lorenzo louis louise luca lucas lucia lucie ludwig luis luisa luka lukas maja manfred
    manon manuel manuela marc marcel marco marcus margaret maria marian marie marina mario marion
    mark markus marta martin martina mary mathias mathieu matthew matthias mattia max maxime
    maximilian mehmet mei melanie melissa mia michael michaela michel michele michelle miguel mika
    mike milan mira miriam mohamed mohammad mohammed monika moritz muhammad mustafa nadia nadine
    natalia natalie nathalie nathan neil nicholas nick nicola nicolas nicole niklas nikolai nils
    nina noah noemi norbert olaf olga oliver olivia omar oscar oskar pablo pamela paola pascal
    patricia patrick paul paula pauline pedro peter petra philip philipp philippe pia pierre pieter
    pietro priya rachel rafael rahul rainer raj ralf ralph raphael rebecca regina reinhard rene
    ricardo richard rita robert roberto robin roger roland roman ronald rosa ruben rudolf ruth ryan
    sabine sabrina samantha samuel sandra sara sarah sascha sebastian selin serena sergio simon
    simone siobhan sofia sonja sophia sophie stefan stefanie steffen stella stephan stephane
    stephanie stephen steve steven susan susanne svea sven sylvia sylvie tanja tatiana teresa
    thierry thomas thorsten tim timo tobias tom tomas tony torsten ulrich ulrike ursula uwe valentin
    valentina valerie vanessa vera veronika victor victoria viktor vincent virginie volker walter
    wei werner wilhelm william wolfgang xavier yannick yasmin yusuf yves zoe
    """
)


@lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    text = resources.files("crawler.extract.people").joinpath("data", "given_names.txt").read_text("utf-8")
    listed = {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}
    return frozenset((listed | _COMMON_FIRST_NAMES) - STOPWORDS)


FIRST_NAMES = _given_names()
# Class/id words of blocks that hold people, and of blocks that hold anything but.
PEOPLE_HINT_RE = re.compile(
    r"(?:^|[\s_-])(?:team\w*|member\w*|mitglied\w*|person\w*|people|staff|employees?|mitarbeiter\w*|"
    r"ansprechpartner\w*|contacts?|kontakt\w*|[ée]quipe|membres?|authors?|leaders?\w*|leadership|management|"
    r"geschaeftsfuehrung|geschäftsführung|vorstand|board|founders?|speakers?|profiles?|bio|vcard|h-card|crew|"
    r"directors?|partners?-?list|our-?people|who-?we-?are)(?:$|[\s_-])",
    re.I,
)
OTHER_HINT_RE = re.compile(
    r"(?:^|[\s_-])(?:products?|pricing|prices?|plans?|features?|solutions?|services?|jobs?|careers?|karriere|"
    r"vacanc\w*|stellen\w*|posts?|news|blog|events?|webinars?|case-?stud\w*|projects?|portfolio|referenz\w*|"
    r"references?|logos?|clients?|customers?|kunden|awards?|sponsors?|shop|cart|offers?|courses?)(?:$|[\s_-])",
    re.I,
)
CALL_TO_ACTION_RE = re.compile(
    r"[€$£]|\b(?:learn more|read more|mehr erfahren|weiterlesen|en savoir plus|buy now|add to cart|"
    r"in den warenkorb|per month|pro monat|par mois|/mo)\b",
    re.I,
)

# Where a list item's name ends: "Maria Rossi, Politecnico di Milano", "Ewa Nowak (Warsaw)",
# "Jonas Lindqvist – KTH", "Fußball: Karl-Heinz Brandt".
LIST_ITEM_SEP_RE = re.compile(r"\s*(?:,|\(|\||:|\s[–—-]\s)\s*")
# A line of contact points under a listed name: an address, a number, or its label.
AT_OR_DIGITS_RE = re.compile(r"@|\d{3}|\b(?:tel|phone|fon|telefon|mobil|mobile|fax|e-?mail|mail)\b", re.I)
# "Fotos: Anna Berger", "Webdesign: ...": credits name a supplier, not someone of the company.
CREDIT_LABEL_RE = re.compile(
    r"\b(?:fotos?|photos?|photography|fotografie|bild\w*|images?|webdesign|umsetzung|realisation|"
    r"réalisation|konzept|credits?|illustrations?|texte?|programmierung|hosting|quellen?|sources?)\b",
    re.I,
)
