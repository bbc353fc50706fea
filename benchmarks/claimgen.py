"""A generator of claims and of texts that restate them, in English and French, for the matching
benchmark and the re-ranker's training.

Each fact is a concept (supply, strike, visit, treaty, gift, troops, sanctions, budget) with
slots (who, to whom, what, how many, where, when), drawn from lexicons built on the facts of the
Moscow-Pyongyang story (a summit, munitions and missiles supplied, strikes on Kharkiv, a
mutual-assistance treaty, gifts) and widened to other countries, cities and figures so a
million distinct claims can be drawn. A claim is the fact in one wording; a restatement of it
uses another template (reordering, passive voice, attribution moved), other synonyms for the
verb, the nouns and the actors (``Pyongyang`` for ``North Korea``), figures written another
way, may be truncated, and may carry social-media noise (handles, links, emoji, hashtags, RT).
All sentences are written here; none is taken from a published article.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# actor: (en names, fr names) -- the first is the canonical name, the others are aliases
ACTORS = [
    (("North Korea", "Pyongyang", "the North Korean regime"), ("la Corée du Nord", "Pyongyang", "le régime nord-coréen")),
    (("Russia", "Moscow", "the Kremlin"), ("la Russie", "Moscou", "le Kremlin")),
    (("Iran", "Tehran"), ("l'Iran", "Téhéran")),
    (("China", "Beijing"), ("la Chine", "Pékin")),
    (("the United States", "Washington", "the US"), ("les États-Unis", "Washington")),
    (("Ukraine", "Kyiv"), ("l'Ukraine", "Kiev")),
    (("Belarus", "Minsk"), ("la Biélorussie", "Minsk")),
    (("South Korea", "Seoul"), ("la Corée du Sud", "Séoul")),
    (("Japan", "Tokyo"), ("le Japon", "Tokyo")),
    (("France", "Paris"), ("la France", "Paris")),
    (("Germany", "Berlin"), ("l'Allemagne", "Berlin")),
    (("the United Kingdom", "London", "Britain"), ("le Royaume-Uni", "Londres")),
    (("Poland", "Warsaw"), ("la Pologne", "Varsovie")),
    (("Turkey", "Ankara"), ("la Turquie", "Ankara")),
    (("Syria", "Damascus"), ("la Syrie", "Damas")),
    (("Venezuela", "Caracas"), ("le Venezuela", "Caracas")),
    (("Cuba", "Havana"), ("Cuba", "La Havane")),
    (("India", "New Delhi"), ("l'Inde", "New Delhi")),
    (("Pakistan", "Islamabad"), ("le Pakistan", "Islamabad")),
    (("Israel", "Jerusalem"), ("Israël", "Jérusalem")),
    (("Egypt", "Cairo"), ("l'Égypte", "Le Caire")),
    (("Serbia", "Belgrade"), ("la Serbie", "Belgrade")),
    (("Hungary", "Budapest"), ("la Hongrie", "Budapest")),
    (("Mali", "Bamako"), ("le Mali", "Bamako")),
    (("Niger", "Niamey"), ("le Niger", "Niamey")),
    (("Sudan", "Khartoum"), ("le Soudan", "Khartoum")),
    (("Myanmar", "Naypyidaw"), ("la Birmanie", "Naypyidaw")),
    (("Vietnam", "Hanoi"), ("le Vietnam", "Hanoï")),
    (("Kazakhstan", "Astana"), ("le Kazakhstan", "Astana")),
    (("Georgia", "Tbilisi"), ("la Géorgie", "Tbilissi")),
    (("Armenia", "Yerevan"), ("l'Arménie", "Erevan")),
    (("Azerbaijan", "Baku"), ("l'Azerbaïdjan", "Bakou")),
    (("Moldova", "Chisinau"), ("la Moldavie", "Chisinau")),
    (("Finland", "Helsinki"), ("la Finlande", "Helsinki")),
    (("Sweden", "Stockholm"), ("la Suède", "Stockholm")),
    (("Norway", "Oslo"), ("la Norvège", "Oslo")),
    (("Lithuania", "Vilnius"), ("la Lituanie", "Vilnius")),
    (("Latvia", "Riga"), ("la Lettonie", "Riga")),
    (("Estonia", "Tallinn"), ("l'Estonie", "Tallinn")),
    (("Romania", "Bucharest"), ("la Roumanie", "Bucarest")),
]
PEOPLE = [
    (("Vladimir Putin", "the Russian president", "Putin"), ("Vladimir Poutine", "le président russe", "Poutine")),
    (("Kim Jong Un", "the North Korean leader", "Kim"), ("Kim Jong-un", "le dirigeant nord-coréen", "Kim")),
    (("Jens Stoltenberg", "the NATO secretary general", "Stoltenberg"),
     ("Jens Stoltenberg", "le secrétaire général de l'Otan", "Stoltenberg")),
    (("John Kirby", "the White House spokesman", "Kirby"), ("John Kirby", "le porte-parole de la Maison Blanche", "Kirby")),
    (("Sergei Lavrov", "the Russian foreign minister", "Lavrov"), ("Sergueï Lavrov", "le chef de la diplomatie russe", "Lavrov")),
    (("Choe Son Hui", "the North Korean foreign minister"), ("Choe Son-hui", "la ministre nord-coréenne des Affaires étrangères")),
    (("Xi Jinping", "the Chinese president", "Xi"), ("Xi Jinping", "le président chinois", "Xi")),
    (("Volodymyr Zelensky", "the Ukrainian president", "Zelensky"), ("Volodymyr Zelensky", "le président ukrainien", "Zelensky")),
    (("Antony Blinken", "the US secretary of state", "Blinken"), ("Antony Blinken", "le secrétaire d'État américain", "Blinken")),
    (("Yoon Suk Yeol", "the South Korean president", "Yoon"), ("Yoon Suk-yeol", "le président sud-coréen", "Yoon")),
    (("Sergei Shoigu", "the former Russian defence minister", "Shoigu"), ("Sergueï Choïgou", "l'ancien ministre russe de la Défense", "Choïgou")),
    (("Dmitry Peskov", "the Kremlin spokesman", "Peskov"), ("Dmitri Peskov", "le porte-parole du Kremlin", "Peskov")),
]
CITIES = ["Kharkiv", "Zaporizhzhia", "Odesa", "Dnipro", "Kherson", "Mykolaiv", "Sumy", "Poltava", "Lviv", "Chernihiv",
          "Kramatorsk", "Pokrovsk", "Bakhmut", "Avdiivka", "Izium", "Kupiansk", "Sloviansk", "Vuhledar", "Mariupol",
          "Berdiansk", "Melitopol", "Nikopol", "Kryvyi Rih", "Uman", "Vinnytsia", "Zhytomyr", "Rivne", "Lutsk",
          "Ternopil", "Khmelnytskyi", "Cherkasy", "Kropyvnytskyi", "Bilhorod", "Belgorod", "Kursk", "Bryansk",
          "Voronezh", "Rostov", "Taganrog", "Novorossiysk", "Sevastopol", "Kerch", "Simferopol", "Yevpatoria",
          "Feodosia", "Donetsk", "Luhansk", "Horlivka", "Makiivka", "Tokmak"]
MONTHS = [("January", "janvier"), ("February", "février"), ("March", "mars"), ("April", "avril"), ("May", "mai"),
          ("June", "juin"), ("July", "juillet"), ("August", "août"), ("September", "septembre"),
          ("October", "octobre"), ("November", "novembre"), ("December", "décembre")]
WEAPONS = [  # (en synonyms, fr synonyms)
    (("artillery shells", "shells", "artillery rounds"), ("obus d'artillerie", "obus", "munitions d'artillerie")),
    (("ballistic missiles", "missiles", "short-range missiles"), ("missiles balistiques", "missiles", "missiles de courte portée")),
    (("attack drones", "drones", "kamikaze drones"), ("drones d'attaque", "drones", "drones kamikazes")),
    (("rifles", "assault rifles", "small arms"), ("fusils", "fusils d'assaut", "armes légères")),
    (("rocket launchers", "multiple rocket launchers"), ("lance-roquettes", "lance-roquettes multiples")),
    (("tanks", "battle tanks"), ("chars", "chars de combat")),
    (("anti-tank mines", "landmines", "mines"), ("mines antichars", "mines terrestres", "mines")),
    (("air defence systems", "anti-aircraft systems"), ("systèmes de défense aérienne", "systèmes antiaériens")),
]
GIFTS = [(("limousine", "luxury car"), ("limousine", "voiture de luxe")), (("tea set", "porcelain tea service"),
         ("service à thé", "service à thé en porcelaine")), (("pair of hunting dogs", "two hunting dogs"),
         ("paire de chiens de chasse", "deux chiens de chasse")), (("painting", "portrait"), ("tableau", "portrait")),
         (("sword", "ceremonial sword"), ("épée", "épée d'apparat"))]

VERBS = {  # concept -> (en synonyms, fr synonyms)
    "supply": (("supplied", "delivered", "shipped", "sent", "provided"), ("a fourni", "a livré", "a expédié", "a envoyé", "a transféré")),
    "strike": (("hit", "struck", "targeted"), ("ont frappé", "ont touché", "ont visé")),
    "visit": (("began", "started", "opened"), ("a entamé", "a commencé", "a ouvert")),
    "sign": (("signed", "concluded", "sealed"), ("ont signé", "ont conclu", "ont scellé")),
    "gift": (("gave", "offered", "presented"), ("a offert", "a donné", "a remis")),
    "troops": (("deployed", "sent", "dispatched"), ("a déployé", "a envoyé", "a dépêché")),
    "sanctions": (("said", "declared", "stated"), ("a déclaré", "a affirmé", "a dit")),
    "budget": (("raised", "increased", "boosted"), ("a relevé", "a augmenté", "a accru")),
}
TEMPLATES = {  # concept -> (en templates, fr templates); {v} the verb, slots in braces
    "supply": ([
        "{A} has {v} {n} {w} to {B}.",
        "{A} {v} {n} {w} to {B}, officials say.",
        "{n} {w} were {v} to {B} by {A}.",
        "According to officials, {B} received {n} {w} {v} by {A}.",
    ], [
        "{A} {v} {n} {w} à {B}.",
        "Selon des responsables, {A} {v} {n} {w} à {B}.",
        "{n} {w} ont été livrés à {B} par {A}.",
        "{B} a reçu {n} {w} que {A} {v}, selon des sources officielles.",
    ]),
    "strike": ([
        "{w} supplied by {A} {v} {c} in {m} {y}.",
        "In {m} {y}, {w} from {A} {v} the city of {c}.",
        "{c} was {v} in {m} {y} by {w} that {A} had supplied.",
    ], [
        "Des {w} fournis par {A} {v} {c} en {m} {y}.",
        "En {m} {y}, des {w} venus de {A} {v} la ville de {c}.",
        "{c} a été frappée en {m} {y} par des {w} fournis par {A}.",
    ]),
    "visit": ([
        "{P} {v} a {d}-day visit to {B} on {day} {m}.",
        "On {day} {m}, {P} {v} a visit of {d} days to {B}.",
        "A {d}-day visit to {B} was {v} by {P} on {day} {m}.",
    ], [
        "{P} {v} le {day} {m} une visite de {d} jours en {B}.",
        "Le {day} {m}, {P} {v} une visite de {d} jours à {B}.",
        "Une visite de {d} jours à {B} a été entamée par {P} le {day} {m}.",
    ]),
    "sign": ([
        "{A} and {B} {v} a mutual defence treaty in {c} in {y}.",
        "In {y}, a mutual defence pact was {v} by {A} and {B} in {c}.",
        "{B} and {A} {v} a treaty of mutual assistance in {c} in {y}.",
    ], [
        "{A} et {B} {v} un traité de défense mutuelle à {c} en {y}.",
        "En {y}, {B} et {A} {v} à {c} un pacte d'assistance mutuelle.",
        "Un traité d'assistance mutuelle a été signé à {c} en {y} par {A} et {B}.",
    ]),
    "gift": ([
        "{P} {v} {Q} a {g} during their meeting in {y}.",
        "During their {y} meeting, {Q} was {v} a {g} by {P}.",
        "A {g} was what {P} {v} {Q} at their meeting in {y}.",
    ], [
        "{P} {v} une {g} à {Q} lors de leur rencontre en {y}.",
        "Lors de leur rencontre de {y}, {Q} a reçu une {g} de {P}.",
        "En {y}, {P} {v} à {Q} une {g} pendant leur rencontre.",
    ]),
    "troops": ([
        "{A} has {v} {n} soldiers to {B}.",
        "{n} troops were {v} to {B} by {A}.",
        "{A} {v} {n} of its soldiers to {B}, according to intelligence services.",
    ], [
        "{A} {v} {n} soldats en {B}.",
        "Selon les services de renseignement, {A} {v} {n} soldats vers {B}.",
        "{n} militaires ont été envoyés en {B} par {A}.",
    ]),
    "sanctions": ([
        "{P} {v} in {y} that sanctions against {A} should be lifted.",
        "Sanctions on {A} must be lifted, {P} {v} in {y}.",
        "In {y}, {P} {v} the sanctions imposed on {A} should end.",
    ], [
        "{P} {v} en {y} que les sanctions contre {A} devaient être levées.",
        "Les sanctions visant {A} doivent être levées, {v} {P} en {y}.",
        "En {y}, {P} {v} qu'il fallait lever les sanctions imposées à {A}.",
    ]),
    "budget": ([
        "{A} {v} its defence budget by {n} percent in {y}.",
        "In {y}, {A} {v} military spending by {n} percent.",
        "The defence budget of {A} was {v} by {n}% in {y}.",
    ], [
        "{A} {v} son budget de défense de {n} % en {y}.",
        "En {y}, {A} {v} ses dépenses militaires de {n} %.",
        "Le budget de défense de {A} a été relevé de {n} % en {y}.",
    ]),
}
CONCEPTS = tuple(TEMPLATES)
LANG_INDEX = {"en": 0, "fr": 1}


@dataclass(frozen=True)
class Fact:
    concept: str
    lang: str
    values: tuple[int, ...]  # one per name of SLOTS: an index into a lexicon, or a number

    @property
    def slots(self) -> dict[str, int]:
        return dict(zip(SLOTS, self.values))


SLOTS = ("A", "B", "P", "Q", "w", "g", "c", "m", "y", "day", "d", "n", "t", "v")


def _figure(n: int, lang: str, rng: random.Random, vary: bool) -> str:
    if not vary or n < 1000:
        return str(n)
    style = rng.randrange(3)
    if style == 0:
        return str(n)
    if lang == "en":
        return f"{n:,}"
    return f"{n:,}".replace(",", "\u202f" if style == 1 else " ")


def random_fact(rng: random.Random, lang: str | None = None) -> Fact:
    concept = rng.choice(CONCEPTS)
    lang = lang or rng.choice(("en", "fr"))
    a, b = rng.sample(range(len(ACTORS)), 2)
    p, q = rng.sample(range(len(PEOPLE)), 2)
    slots = {"A": a, "B": b, "P": p, "Q": q, "w": rng.randrange(len(WEAPONS)), "g": rng.randrange(len(GIFTS)),
             "c": rng.randrange(len(CITIES)), "m": rng.randrange(12), "y": rng.randrange(1995, 2027),
             "day": rng.randrange(1, 29), "d": rng.randrange(2, 8),
             "n": rng.choice((rng.randrange(2, 100), rng.randrange(100, 100_000), rng.randrange(10, 100) * 1000)),
             "t": rng.randrange(len(TEMPLATES[concept][0])), "v": rng.randrange(3)}
    if concept == "budget":
        slots["n"] = rng.randrange(2, 60)
    return Fact(concept, lang, tuple(slots[k] for k in SLOTS))


def render(fact: Fact, rng: random.Random, *, restate: bool = False) -> str:
    """The fact as a claim (its own template and words), or restated in other words."""
    s = fact.slots
    li = LANG_INDEX[fact.lang]
    templates = TEMPLATES[fact.concept][li]
    t = s["t"]
    if restate:
        t = rng.choice([i for i in range(len(templates)) if i != t])
    verbs = VERBS[fact.concept][li]
    v = s["v"] if not restate else rng.choice([i for i in range(len(verbs)) if i != s["v"]])

    def name(table, idx: int) -> str:
        names = table[idx][li]
        return names[0] if not restate else rng.choice(names)

    def word(table, idx: int) -> str:
        names = table[idx][li]
        return names[0] if not restate else rng.choice(names)

    values = {
        "A": name(ACTORS, s["A"]), "B": name(ACTORS, s["B"]), "P": name(PEOPLE, s["P"]), "Q": name(PEOPLE, s["Q"]),
        "w": word(WEAPONS, s["w"]), "g": word(GIFTS, s["g"]), "c": CITIES[s["c"]], "m": MONTHS[s["m"]][li],
        "y": str(s["y"]), "day": str(s["day"]), "d": str(s["d"]),
        "n": _figure(s["n"], fact.lang, rng, restate), "v": verbs[v],
    }
    out = templates[t].format(**values)
    return out[0].upper() + out[1:]


NOISE_EN = ["BREAKING:", "Wow.", "Unbelievable!!", "Thread 🧵", "Read this:", "Confirmed?"]
NOISE_FR = ["URGENT :", "Incroyable !!", "À lire :", "Info ou intox ?", "Fil 🧵"]
EMOJI = ["🚨", "🔥", "😱", "👇", "🇷🇺", "🇰🇵", "‼️", "🤔", "💥", "📢"]


def noisy(text: str, lang: str, rng: random.Random) -> str:
    """A social post carrying ``text``: handles, links, emoji, hashtags, a lead-in, maybe an RT."""
    words = text.rstrip(".").split()
    if len(words) > 6 and rng.random() < 0.5:  # truncation
        words = words[: max(6, int(len(words) * rng.uniform(0.6, 0.85)))]
    for i, w in enumerate(words):
        if w[:1].isupper() and i and rng.random() < 0.3:
            words[i] = "#" + w.strip(",")
    parts = []
    if rng.random() < 0.3:
        parts.append(f"RT @{rng.choice(['osint', 'news', 'watcher', 'info'])}_{rng.randrange(999)}:")
    if rng.random() < 0.5:
        parts.append(rng.choice(NOISE_EN if lang == "en" else NOISE_FR))
    parts.append(" ".join(words))
    parts.append("".join(rng.choice(EMOJI) for _ in range(rng.randrange(1, 4))))
    if rng.random() < 0.6:
        parts.append(f"https://t.co/{rng.randrange(16**8):08x}")
    if rng.random() < 0.5:
        parts.append(f"@{rng.choice(['desk', 'factcheck', 'editor'])}{rng.randrange(99)}")
    return " ".join(parts)


def restatement(fact: Fact, rng: random.Random, *, noise: float = 0.5) -> str:
    text = render(fact, rng, restate=True)
    return noisy(text, fact.lang, rng) if rng.random() < noise else text


# the slots that make a fact what it is (the others only choose its wording)
IDENTITY = {"supply": "ABnw", "strike": "Acmyw", "sign": "ABcy", "gift": "PQgy", "troops": "ABn",
            "sanctions": "APy", "budget": "Any"}
IDENTITY["visit"] = ("P", "B", "d", "day", "m")


def fact_key(f: Fact) -> tuple:
    s = f.slots
    names = IDENTITY[f.concept]
    values = [s[k] for k in names]
    if f.concept == "sign":  # A and B signed = B and A signed
        values[:2] = sorted(values[:2])
    return (f.lang, f.concept, *values)


def claims(n: int, seed: int = 1) -> list[Fact]:
    """``n`` distinct facts: no two say the same thing in the same language, whatever the wording."""
    rng = random.Random(seed)
    seen: set[tuple] = set()
    out: list[Fact] = []
    while len(out) < n:
        f = random_fact(rng)
        key = fact_key(f)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
