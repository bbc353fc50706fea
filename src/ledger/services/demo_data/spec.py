"""Content of the sample ledger built by ``ledger demo``.

Everything here is sample data: the outlets, authors, news agencies, observatory and
interviewee are fictional, and the source files are reconstructions written for
the demo (each file says so in its header). Public figures are named as they
would be in ordinary reporting on the June 2024 Moscow-Pyongyang summit.

``ARTICLES`` and ``SOURCES`` are keyed by a local handle that ``CLAIMS`` refers
to. Article bodies live in ``articles/<file>`` and archived sources in
``sources/<file>``; every appearance quote occurs exactly once in its article
and every excerpt occurs verbatim in its source file.
"""

from __future__ import annotations

ARTICLES = [
    {
        "key": "veilleur-visite",
        "file": "veilleur-visite.txt",
        "title": "À Pyongyang, Poutine vient chercher un allié (exemple)",
        "outlet": "Le Veilleur",
        "author": "Camille Draveil (auteur fictif, données d'exemple)",
        "url": "https://example.org/sample/le-veilleur/2024/06/poutine-pyongyang-visite",
        "published": "2024-06-19",
        "lang": "fr",
        "state": "published",
    },
    {
        "key": "gazette-traite",
        "file": "gazette-traite.txt",
        "title": "Russie et Corée du Nord scellent un pacte d'assistance mutuelle (exemple)",
        "outlet": "La Gazette de l'Est",
        "author": "Bastien Kerlo (auteur fictif, données d'exemple)",
        "url": "https://example.org/sample/gazette-de-l-est/2024/06/traite-russie-coree-du-nord",
        "published": "2024-06-20",
        "lang": "fr",
        "state": "approved",
    },
    {
        "key": "harbour-summit",
        "file": "harbour-summit.txt",
        "title": "Putin and Kim sign defence pact in Pyongyang (sample)",
        "outlet": "The Harbour Ledger",
        "author": "Maya Oduya (fictional sample author)",
        "url": "https://example.org/sample/harbour-ledger/2024/06/putin-kim-defence-pact",
        "published": "2024-06-19",
        "lang": "en",
        "state": "in_review",
    },
    {
        "key": "northgate-munitions",
        "file": "northgate-munitions.txt",
        "title": "The supply line behind the Pyongyang summit (sample)",
        "outlet": "The Northgate Courier",
        "author": "Leo Brannigan (fictional sample author)",
        "url": "https://example.org/sample/northgate-courier/2024/06/pyongyang-supply-line",
        "published": "2024-06-21",
        "lang": "en",
        "state": "draft",
    },
]

SOURCES = [
    {
        "key": "nato-presser",
        "file": "nato-presser.txt",
        "url": "https://example.org/sample/nato/press-conference-2024-06-18",
        "title": "Press conference by the NATO Secretary General (sample reconstruction)",
        "publisher": "NATO",
        "author": "Jens Stoltenberg",
        "kind": "official",
        "published": "2024-06-18",
        "accessed": "2024-06-19",
        "reliability": "A",
    },
    {
        "key": "nato-presser-fr",
        "file": "nato-presser-fr.txt",
        "url": "https://example.org/sample/nato/press-conference-2024-06-18-fr",
        "title": "Conférence de presse du secrétaire général de l'OTAN, version française (reconstitution d'exemple)",
        "publisher": "NATO",
        "author": "Jens Stoltenberg",
        "kind": "official",
        "published": "2024-06-18",
        "accessed": "2024-06-19",
        "reliability": "A",
    },
    {
        "key": "whitehouse-briefing",
        "file": "whitehouse-briefing.txt",
        "url": "https://example.org/sample/white-house/briefing-2024-06-17",
        "title": "Press briefing with NSC spokesman John Kirby (sample reconstruction)",
        "publisher": "The White House",
        "author": "John Kirby",
        "kind": "official",
        "published": "2024-06-17",
        "accessed": "2024-06-18",
        "reliability": "B",
    },
    {
        "key": "rodong-oped",
        "file": "rodong-oped.txt",
        "url": None,
        "title": "Putin article and editorial, Rodong Sinmun front page (illustrative rendering, sample data)",
        "publisher": "Rodong Sinmun",
        "author": "Vladimir Putin",
        "kind": "document",
        "published": "2024-06-18",
        "accessed": "2024-06-18",
        "reliability": "C",
    },
    {
        "key": "abp-wire",
        "file": "abp-wire.txt",
        "url": "https://example.org/sample/abp/wire/2024-06-19-russia-nkorea-treaty",
        "title": "Putin and Kim sign mutual defence treaty (fictional wire, sample data)",
        "publisher": "Agence Boréale de Presse (fictional)",
        "author": None,
        "kind": "wire",
        "published": "2024-06-19",
        "accessed": "2024-06-19",
        "reliability": "B",
    },
    {
        "key": "acp-wire",
        "file": "acp-depeches.txt",
        "url": "https://example.org/sample/acp/depeches/2024-06-19-russie-coree-du-nord",
        "title": "Dépêches ACP sur la visite de Vladimir Poutine en Corée du Nord (agence fictive, données d'exemple)",
        "publisher": "Agence Continentale de Presse (fictional)",
        "author": None,
        "kind": "wire",
        "published": "2024-06-19",
        "accessed": "2024-06-19",
        "reliability": "B",
    },
    {
        "key": "reported-events",
        "file": "reported-events.csv",
        "url": "https://example.org/sample/open-conflict-monitor/nk-arms-events.csv",
        "title": "Reported events involving North Korean arms, 2024 (fictional sample dataset)",
        "publisher": "Open Conflict Monitor (fictional)",
        "author": None,
        "kind": "dataset",
        "published": "2024-06-19",
        "accessed": "2024-06-20",
        "reliability": "C",
    },
    {
        "key": "observatory-analysis",
        "file": "observatory-analysis.html",
        "url": "https://example.org/sample/eastern-affairs-observatory/shells-for-satellites",
        "title": "Shells for satellites? Reading the Moscow–Pyongyang bargain (sample page)",
        "publisher": "Eastern Affairs Observatory (fictional)",
        "author": "Ines Varga (fictional)",
        "kind": "web",
        "published": "2024-06-17",
        "accessed": "2024-06-18",
        "reliability": "C",
    },
    {
        "key": "lindqvist-interview",
        "file": "lindqvist-interview.md",
        "url": None,
        "title": "Interview notes: Hana Lindqvist, artillery analyst (fictional, sample data)",
        "publisher": "Le Veilleur",
        "author": "Camille Draveil (fictional)",
        "kind": "person",
        "published": None,
        "accessed": "2024-06-18",
        "reliability": "C",
    },
    {
        "key": "kremlin-statements",
        "file": None,
        "url": "https://example.org/sample/kremlin/press-statements-2024-06-19",
        "title": "Press statements after Russian–North Korean talks (url-only sample reference)",
        "publisher": "Kremlin press service",
        "author": None,
        "kind": "official",
        "published": "2024-06-19",
        "accessed": "2024-06-20",
        "reliability": "B",
    },
    {
        "key": "jcs-statement",
        "file": "jcs-statement.txt",
        "url": "https://example.org/sample/rok-jcs/statement-2024-06-18",
        "title": "Statement on the crossing of the military demarcation line (English translation, sample reconstruction)",
        "publisher": "Republic of Korea Joint Chiefs of Staff",
        "author": None,
        "kind": "official",
        "published": "2024-06-18",
        "accessed": "2024-06-19",
        "reliability": "A",
    },
]

CLAIMS = [
    # 1
    {
        "text": "Vladimir Putin began a two-day visit to North Korea on 18 June 2024.",
        "kind": "assertion",
        "claimant": None,
        "date": "2024-06-18",
        "priority": 1,
        "appearances": [
            {"article": "veilleur-visite", "quote": "ce 18 juin que Vladimir Poutine a pris la route de la Corée du Nord pour une visite de deux jours"},
        ],
        "citations": [
            {"source": "abp-wire", "stance": "supports", "excerpt": "on the second and final day of a visit that began on 18 June", "locator": "para. 1"},
            {"source": "reported-events", "stance": "supports", "excerpt": "2024-06-18,Pyongyang,Vladimir Putin arrives for a two-day state visit", "locator": "row 7"},
        ],
        "history": [
            {"status": "in_progress", "note": "Dates checked against the wire and the events table.", "by": "Élise Marchand"},
            {"status": "verified", "note": "Two independent sources agree on the start date and length of the visit.", "by": "Élise Marchand"},
        ],
    },
    # 2
    {
        "text": "Putin's visit was his first trip to North Korea in more than thirty years.",
        "kind": "assertion",
        "claimant": None,
        "date": None,
        "priority": 1,
        "appearances": [
            {"article": "harbour-summit", "quote": "his first trip to North Korea in more than thirty years"},
        ],
        "citations": [
            {"source": "abp-wire", "stance": "refutes", "excerpt": "It is Putin's first visit to North Korea since July 2000", "locator": "para. 2"},
            {"source": "observatory-analysis", "stance": "refutes", "excerpt": "He last travelled to the North Korean capital in 2000", "locator": "para. 1"},
        ],
        "history": [
            {"status": "in_progress", "note": "Previous visit looked up.", "by": "Tomás Reyes"},
            {"status": "false", "note": "The previous visit was in July 2000, twenty-four years earlier. Desk told to correct.", "by": "Tomás Reyes"},
        ],
    },
    # 3
    {
        "text": "Putin's previous visit to North Korea was in July 2000.",
        "kind": "assertion",
        "claimant": None,
        "date": "2000-07-19",
        "priority": 2,
        "appearances": [
            {"article": "veilleur-visite", "quote": "sa première dans le pays depuis 2000"},
            {"article": "gazette-traite", "quote": "Pyongyang n’avait plus reçu de dirigeant russe depuis vingt-quatre ans"},
        ],
        "citations": [
            {"source": "abp-wire", "stance": "supports", "excerpt": "It is Putin's first visit to North Korea since July 2000", "locator": "para. 2"},
            {"source": "observatory-analysis", "stance": "supports", "excerpt": "He last travelled to the North Korean capital in 2000", "locator": "para. 1"},
        ],
        "history": [
            {"status": "verified", "note": "Wire and observatory agree; the 2000 visit is well documented.", "by": "Tomás Reyes"},
        ],
    },
    # 4
    {
        "text": 'Vladimir Putin wrote in Rodong Sinmun that Russia appreciates North Korea\'s "firm support" for its military operation in Ukraine.',
        "kind": "attribution",
        "claimant": "Vladimir Putin",
        "date": "2024-06-18",
        "priority": 2,
        "appearances": [
            {"article": "veilleur-visite", "quote": "remercie Pyongyang pour son « soutien ferme » à l'opération militaire menée en Ukraine"},
            {"article": "harbour-summit", "quote": "praising Pyongyang’s “firm support” for Russia’s war in Ukraine"},
        ],
        "citations": [
            {"source": "rodong-oped", "stance": "supports", "excerpt": "We highly appreciate the firm support of the DPRK for the special military operation in Ukraine", "locator": "para. 2"},
            {"source": "acp-wire", "stance": "supports", "excerpt": "M. Poutine remercie la Corée du Nord pour son « soutien ferme » à l'« opération militaire spéciale » russe en Ukraine", "locator": "ACP 4, §2"},
        ],
        "history": [
            {"status": "in_progress", "note": "Comparing the French wording with the newspaper's English rendering.", "by": "Élise Marchand"},
            {"status": "verified", "note": "Words found in the op-ed as published on the front page; the French words as printed are the ACP wire's translation.", "by": "Élise Marchand"},
        ],
    },
    # 5
    {
        "text": 'Rodong Sinmun\'s editorial greeted Putin as "the most dearest friend [sic]" of the Korean people.',
        "kind": "attribution",
        "claimant": "Rodong Sinmun",
        "date": "2024-06-18",
        "priority": 3,
        "appearances": [
            {"article": "harbour-summit", "quote": "greeted him as “the most dearest friend” of the Korean people"},
        ],
        "citations": [
            {"source": "rodong-oped", "stance": "context", "excerpt": "the most dearest friend of the Korean people", "locator": "para. 4"},
        ],
        "history": [
            {"status": "in_progress", "note": "Checking the paper's English rendering against the Korean original before we keep the [sic].", "by": "Nadia Okafor"},
        ],
    },
    # 6
    {
        "text": "Pyongyang's main avenues were decked with Russian flags and portraits of Putin for the visit.",
        "kind": "assertion",
        "claimant": None,
        "date": None,
        "priority": 3,
        "appearances": [
            {"article": "veilleur-visite", "quote": "les grandes avenues de la capitale avaient été pavoisées de drapeaux russes et de portraits du chef du Kremlin"},
        ],
        "citations": [
            {"source": "acp-wire", "stance": "supports", "excerpt": "Des drapeaux russes et des portraits géants de Vladimir Poutine ornaient les grandes avenues de Pyongyang", "locator": "ACP 4, §1"},
            {"source": "abp-wire", "stance": "supports", "excerpt": "Russian flags and large portraits of Putin lined the main avenues of Pyongyang for the visit.", "locator": "para. 8"},
        ],
        "history": [
            {"status": "verified", "note": "Two agencies with reporters in Pyongyang describe the same decorations.", "by": "Nadia Okafor"},
        ],
    },
    # 7
    {
        "text": "North Korean soldiers briefly crossed the military demarcation line on 18 June 2024 and withdrew after South Korean warning shots.",
        "kind": "assertion",
        "claimant": None,
        "date": "2024-06-18",
        "priority": 1,
        "appearances": [
            {"article": "veilleur-visite", "quote": "une vingtaine de militaires nord-coréens ont mis le pied au sud de la ligne de démarcation militaire, puis ont rebroussé chemin quand l'armée sud-coréenne a tiré des coups de semonce"},
            {"article": "northgate-munitions", "quote": "a group of North Korean soldiers stepped across the military demarcation line and retreated after South Korean troops fired warning shots"},
        ],
        "citations": [
            {"source": "jcs-statement", "stance": "supports", "excerpt": "After our forces broadcast warnings and fired warning shots, the North Korean soldiers withdrew to the north.", "locator": "para. 2"},
            {"source": "reported-events", "stance": "supports", "excerpt": "North Korean soldiers crossed the military demarcation line and withdrew after warning shots", "locator": "row 6"},
            {"source": "lindqvist-interview", "stance": "context", "excerpt": "She said the 18 June crossing looked like a work party building fortifications", "locator": "note 3"},
        ],
        "history": [
            {"status": "in_progress", "note": "Waiting for the Joint Chiefs of Staff statement.", "by": "Nadia Okafor"},
            {"status": "verified", "note": "Official South Korean statement confirms the crossing and the warning shots.", "by": "Nadia Okafor"},
        ],
    },
    # 8
    {
        "text": 'South Korea\'s Joint Chiefs of Staff said the border crossing "did not appear to be deliberate".',
        "kind": "attribution",
        "claimant": "South Korean Joint Chiefs of Staff",
        "date": "2024-06-18",
        "priority": 2,
        "appearances": [
            {"article": "veilleur-visite", "quote": "Séoul a estimé que l'incursion « ne semblait pas délibérée »"},
            {"article": "northgate-munitions", "quote": "Seoul’s Joint Chiefs of Staff said the incursion “did not appear to be deliberate”"},
        ],
        "citations": [
            {"source": "reported-events", "stance": "context", "excerpt": "Seoul said the crossing did not appear intentional", "locator": "row 6"},
            {"source": "jcs-statement", "stance": "supports", "excerpt": "Given their activity, the crossing did not appear to be deliberate.", "locator": "para. 3"},
            {"source": "acp-wire", "stance": "supports", "excerpt": "l'incursion « ne semblait pas délibérée », a précisé l'état-major dans un communiqué", "locator": "ACP 2, §2"},
        ],
        "history": [
            {"status": "in_progress", "note": "Only a link to the statement so far; need the exact wording before this can pass as an attribution.", "by": "Nadia Okafor"},
            {"status": "verified", "note": "Statement archived in its English translation; the French words as printed come from the ACP wire.", "by": "Nadia Okafor"},
        ],
    },
    # 9
    {
        "text": 'US officials said North Korean short-range ballistic missiles were "first launched at Kharkiv" in early January 2024.',
        "kind": "attribution",
        "claimant": "John Kirby (US National Security Council)",
        "date": "2024-06-17",
        "priority": 1,
        "appearances": [
            {"article": "veilleur-visite", "quote": "des missiles balistiques nord-coréens de courte portée avaient été « tirés pour la première fois sur Kharkiv début janvier »"},
        ],
        "citations": [
            {"source": "whitehouse-briefing", "stance": "supports", "excerpt": "Our assessment is that North Korean short-range ballistic missiles were first launched at Kharkiv in early January.", "locator": "answer 2"},
            {"source": "acp-wire", "stance": "supports", "excerpt": "« Selon notre évaluation, des missiles balistiques nord-coréens de courte portée ont été tirés pour la première fois sur Kharkiv début janvier. »", "locator": "ACP 1, §2"},
            {"source": "reported-events", "stance": "context", "excerpt": "2024-01-02,Kharkiv,Strike with a North Korean short-range ballistic missile,US government,high", "locator": "row 2"},
        ],
        "history": [
            {"status": "verified", "note": "Matches the White House briefing word for word in English and the ACP translation word for word in French.", "by": "Tomás Reyes"},
        ],
    },
    # 10
    {
        "text": "North Korea has supplied artillery shells and ballistic missiles to Russia for its war in Ukraine.",
        "kind": "assertion",
        "claimant": None,
        "date": None,
        "priority": 1,
        "appearances": [
            {"article": "gazette-traite", "quote": "Pyongyang aurait fourni à Moscou des obus et des missiles destinés au front ukrainien"},
            {"article": "harbour-summit", "quote": "North Korea has reportedly shipped artillery shells and ballistic missiles to Russia for use in Ukraine"},
            {"article": "northgate-munitions", "quote": "North Korea has sent Russia large quantities of artillery ammunition and a smaller number of ballistic missiles"},
        ],
        "citations": [
            {"source": "whitehouse-briefing", "stance": "supports", "excerpt": "North Korea has shipped artillery shells and ballistic missiles to Russia for use against Ukraine.", "locator": "answer 3"},
            {"source": "nato-presser", "stance": "supports", "excerpt": "Russia relies on drones from Iran and on shells and missiles from North Korea", "locator": "00:03:52"},
            {"source": "reported-events", "stance": "supports", "excerpt": "Missile debris matched to a North Korean design,Ukrainian prosecutors", "locator": "row 4"},
            {"source": "abp-wire", "stance": "context", "excerpt": "Moscow and Pyongyang both deny that North Korea has supplied weapons to Russia for the war in Ukraine.", "locator": "para. 7"},
        ],
        "history": [
            {"status": "in_progress", "note": "Same claim in three articles; the French one keeps the conditional, fine.", "by": "Élise Marchand"},
            {"status": "verified", "note": "Two official statements plus debris evidence; denials noted as context.", "by": "Élise Marchand"},
        ],
    },
    # 11
    {
        "text": "North Korea has delivered several million artillery shells to Russia.",
        "kind": "assertion",
        "claimant": None,
        "date": None,
        "priority": 1,
        "appearances": [
            {"article": "veilleur-visite", "quote": "Pyongyang aurait en outre livré plusieurs millions d'obus d'artillerie"},
            {"article": "northgate-munitions", "quote": "Estimates of several million shells circulate in Seoul and Kyiv"},
        ],
        "citations": [
            {"source": "observatory-analysis", "stance": "supports", "excerpt": "South Korean officials have put the total at more than three million shells, a figure that cannot be checked independently.", "locator": "para. 2"},
            {"source": "lindqvist-interview", "stance": "refutes", "excerpt": "My own reading of the rail traffic points to well under two million rounds so far.", "locator": "note 1"},
            {"source": "reported-events", "stance": "context", "excerpt": "Estimate based on container counts; disputed", "locator": "row 5"},
        ],
        "history": [
            {"status": "in_progress", "note": "Looking for the origin of the figure.", "by": "Tomás Reyes"},
            {"status": "disputed", "note": "Seoul's estimate and the analyst's count disagree; write it as an estimate with its source.", "by": "Tomás Reyes"},
        ],
    },
    # 12
    {
        "text": 'Jens Stoltenberg said Moscow is now "dependent on authoritarian regimes" to sustain its war in Ukraine.',
        "kind": "attribution",
        "claimant": "Jens Stoltenberg",
        "date": "2024-06-18",
        "priority": 2,
        "appearances": [
            {"article": "veilleur-visite", "quote": "une Russie désormais « dépendante de régimes autoritaires » pour tenir son effort de guerre"},
            {"article": "harbour-summit", "quote": "Moscow is now dependent on authoritarian regimes to keep fighting"},
        ],
        "citations": [
            {"source": "nato-presser", "stance": "supports", "excerpt": "It tells us that Moscow is now dependent on authoritarian regimes to sustain its war.", "locator": "00:03:52"},
            {"source": "nato-presser-fr", "stance": "supports", "excerpt": "Cela nous montre que Moscou est désormais dépendante de régimes autoritaires pour soutenir sa guerre.", "locator": "00:03:52"},
        ],
        "history": [
            {"status": "verified", "note": "Checked against the press conference transcript at 00:03:52, in English and in NATO's French version.", "by": "Nadia Okafor"},
        ],
    },
    # 13
    {
        "text": 'John Kirby said the deepening Russia-North Korea relationship "should worry the Ukrainian people" and anyone who cares about security on the Korean peninsula.',
        "kind": "attribution",
        "claimant": "John Kirby",
        "date": "2024-06-17",
        "priority": 2,
        "appearances": [
            {"article": "harbour-summit", "quote": "“The deepening relationship between Russia and North Korea should worry the Ukrainian people,”"},
            {"article": "gazette-traite", "quote": "ce rapprochement «\u202fdevrait inquiéter le peuple ukrainien\u202f»"},
        ],
        "citations": [
            {"source": "whitehouse-briefing", "stance": "supports", "excerpt": "The deepening relationship between Russia and North Korea should worry the Ukrainian people", "locator": "answer 1"},
            {"source": "acp-wire", "stance": "supports", "excerpt": "« Le renforcement de la relation entre la Russie et la Corée du Nord devrait inquiéter le peuple ukrainien », a déclaré lundi John Kirby", "locator": "ACP 1, §1"},
        ],
        "history": [
            {"status": "in_progress", "note": "Finding the briefing transcript.", "by": "Tomás Reyes"},
            {"status": "verified", "note": "English quote is exact; the French quote follows the ACP wire's translation.", "by": "Tomás Reyes"},
        ],
    },
    # 14
    {
        "text": "Russia and North Korea signed a comprehensive strategic partnership treaty in Pyongyang on 19 June 2024.",
        "kind": "assertion",
        "claimant": None,
        "date": "2024-06-19",
        "priority": 1,
        "appearances": [
            {"article": "gazette-traite", "quote": "les deux pays ont signé un traité de «\u202fpartenariat stratégique global\u202f»"},
            {"article": "harbour-summit", "quote": "the two leaders had signed a “comprehensive strategic partnership” treaty"},
        ],
        "citations": [
            {"source": "abp-wire", "stance": "supports", "excerpt": 'signed a "comprehensive strategic partnership" treaty in Pyongyang on Wednesday', "locator": "para. 1"},
            {"source": "kremlin-statements", "stance": "supports", "excerpt": None, "locator": None},
        ],
        "history": [
            {"status": "verified", "note": "Signature confirmed by the Kremlin and the wire.", "by": "Élise Marchand"},
        ],
    },
    # 15
    {
        "text": "The treaty obliges each party to assist the other with all means at its disposal if it comes under armed attack.",
        "kind": "assertion",
        "claimant": None,
        "date": "2024-06-19",
        "priority": 1,
        "appearances": [
            {"article": "gazette-traite", "quote": "si l’une des parties subit une agression armée, l’autre lui vient en aide"},
            {"article": "harbour-summit", "quote": "either side will provide assistance “with all means at its disposal” in the event of armed aggression"},
        ],
        "citations": [
            {"source": "abp-wire", "stance": "supports", "excerpt": 'If either party comes under armed attack, the other will provide military and other assistance "with all means at its disposal"', "locator": "para. 3"},
            {"source": "kremlin-statements", "stance": "supports", "excerpt": None, "locator": None},
        ],
        "history": [
            {"status": "in_progress", "note": "Full treaty text not yet published; relying on the leaders' statements.", "by": "Nadia Okafor"},
            {"status": "verified", "note": "Putin's own summary of the clause, reported by the wire and the Kremlin.", "by": "Nadia Okafor"},
        ],
    },
    # 16
    {
        "text": "The treaty commits Russia to send troops to the Korean peninsula in the event of a conflict.",
        "kind": "assertion",
        "claimant": None,
        "date": None,
        "priority": 1,
        "appearances": [
            {"article": "northgate-munitions", "quote": "it commits Russia to send troops to the peninsula if war breaks out there"},
        ],
        "citations": [
            {"source": "abp-wire", "stance": "refutes", "excerpt": "The published summary of the treaty does not mention the stationing of troops on either side's territory.", "locator": "para. 3"},
            {"source": "observatory-analysis", "stance": "context", "excerpt": "Nothing published so far suggests that a new treaty would oblige Russia to station troops in North Korea.", "locator": "para. 7"},
        ],
        "history": [
            {"status": "in_progress", "note": "Reads more into the clause than the text says.", "by": "Élise Marchand"},
            {"status": "misleading", "note": "The clause promises assistance by all means; nothing about troops. The Gazette rewrote its passage before approval; the Courier draft must be corrected too.", "by": "Élise Marchand"},
        ],
    },
    # 17
    {
        "text": 'Kim Jong Un described the treaty as "peaceful and defensive".',
        "kind": "attribution",
        "claimant": "Kim Jong Un",
        "date": "2024-06-19",
        "priority": 2,
        "appearances": [
            {"article": "gazette-traite", "quote": "Kim Jong-un a salué un texte «\u202fpacifique et défensif\u202f»"},
            {"article": "harbour-summit", "quote": "Kim called the agreement “peaceful and defensive”"},
        ],
        "citations": [
            {"source": "abp-wire", "stance": "supports", "excerpt": 'Kim said the treaty was "peaceful and defensive" in nature', "locator": "para. 4"},
            {"source": "acp-wire", "stance": "supports", "excerpt": "Kim Jong-un a qualifié le traité de texte « pacifique et défensif »", "locator": "ACP 5, §2"},
        ],
        "history": [
            {"status": "verified", "note": "Wording confirmed by the English and French wire reports of the press statements.", "by": "Nadia Okafor"},
        ],
    },
    # 18
    {
        "text": "Putin gave Kim Jong Un a Russian-made Aurus limousine.",
        "kind": "assertion",
        "claimant": None,
        "date": "2024-06-19",
        "priority": 3,
        "appearances": [
            {"article": "gazette-traite", "quote": "Vladimir Poutine a offert à son hôte une limousine Aurus de fabrication russe"},
            {"article": "harbour-summit", "quote": "Putin presented Kim with a Russian-made Aurus limousine"},
        ],
        "citations": [
            {"source": "abp-wire", "stance": "supports", "excerpt": "Putin presented Kim with a Russian-made Aurus limousine, the Kremlin said.", "locator": "para. 6"},
            {"source": "kremlin-statements", "stance": "supports", "excerpt": None, "locator": None},
        ],
        "history": [
            {"status": "verified", "note": "Confirmed by the Kremlin.", "by": "Tomás Reyes"},
        ],
    },
    # 19
    {
        "text": "Kim Jong Un gave Putin several artworks, including portraits of the Russian president.",
        "kind": "assertion",
        "claimant": None,
        "date": "2024-06-19",
        "priority": 3,
        "appearances": [
            {"article": "gazette-traite", "quote": "Kim Jong-un lui a remis plusieurs œuvres d’art, parmi lesquelles des portraits du président russe"},
        ],
        "citations": [
            {"source": "abp-wire", "stance": "supports", "excerpt": "Kim gave his guest several works of art, including portraits of the Russian president.", "locator": "para. 6"},
            {"source": "acp-wire", "stance": "supports", "excerpt": "M. Kim a offert à son invité plusieurs œuvres d'art, dont des portraits du président russe", "locator": "ACP 5, §4"},
        ],
        "history": [
            {"status": "in_progress", "note": "One wire so far; looking for a second, independent source.", "by": "Tomás Reyes"},
            {"status": "verified", "note": "A second agency, reporting separately from Pyongyang, lists the same gifts.", "by": "Tomás Reyes"},
        ],
    },
    # 20
    {
        "text": 'Vladimir Putin said UN sanctions against North Korea "should be revisited".',
        "kind": "attribution",
        "claimant": "Vladimir Putin",
        "date": "2024-06-19",
        "priority": 2,
        "appearances": [
            {"article": "gazette-traite", "quote": "les sanctions imposées par l’ONU à la Corée du Nord pour ses programmes nucléaire et balistique «\u202fdevraient être réexaminées\u202f»"},
            {"article": "harbour-summit", "quote": "Putin also said United Nations sanctions on North Korea “should be revisited”"},
        ],
        "citations": [
            {"source": "abp-wire", "stance": "supports", "excerpt": 'Putin said UN sanctions against North Korea "should be revisited"', "locator": "para. 5"},
            {"source": "acp-wire", "stance": "supports", "excerpt": "les sanctions de l'ONU contre la Corée du Nord « devraient être réexaminées »", "locator": "ACP 5, §3"},
            {"source": "kremlin-statements", "stance": "context", "excerpt": None, "locator": None},
        ],
        "history": [
            {"status": "in_progress", "note": "Checking the exact wording.", "by": "Élise Marchand"},
            {"status": "verified", "note": "The English and French wires quote the same words from the press statements.", "by": "Élise Marchand"},
        ],
    },
    # 21
    {
        "text": "North Korean missiles were first fired at Ukraine in March 2024.",
        "kind": "assertion",
        "claimant": None,
        "date": "2024-03-01",
        "priority": 1,
        "appearances": [
            {"article": "northgate-munitions", "quote": "North Korean missiles were first fired at Ukraine in March"},
        ],
        "citations": [
            {"source": "whitehouse-briefing", "stance": "refutes", "excerpt": "North Korean short-range ballistic missiles were first launched at Kharkiv in early January", "locator": "answer 2"},
            {"source": "reported-events", "stance": "refutes", "excerpt": "2024-01-02,Kharkiv,Strike with a North Korean short-range ballistic missile,US government,high,First reported use of a North Korean missile against Ukraine", "locator": "row 2"},
        ],
        "history": [
            {"status": "in_progress", "note": "Month does not match what the White House said.", "by": "Nadia Okafor"},
            {"status": "false", "note": "First reported use was early January, not March. Draft must be corrected.", "by": "Nadia Okafor"},
        ],
    },
    # 22
    {
        "text": "North Korea has become the only foreign supplier of arms to Russia's war effort.",
        "kind": "assertion",
        "claimant": None,
        "date": None,
        "priority": 2,
        "appearances": [
            {"article": "harbour-summit", "quote": "Pyongyang has become the sole foreign supplier of arms keeping Russia’s war going."},
        ],
        "citations": [
            {"source": "nato-presser", "stance": "refutes", "excerpt": "Russia relies on drones from Iran and on shells and missiles from North Korea", "locator": "00:03:52"},
            {"source": "observatory-analysis", "stance": "refutes", "excerpt": "North Korea is not Russia's only foreign arms supplier: Iran remains a major source of attack drones.", "locator": "para. 4"},
        ],
        "history": [
            {"status": "misleading", "note": "North Korea is a supplier, but not the only one: Iranian drones are left out.", "by": "Tomás Reyes"},
        ],
    },
    # 23
    {
        "text": 'Konstantin Asmolov said the rapprochement answers an emerging "Asian NATO" built by the United States with South Korea and Japan.',
        "kind": "attribution",
        "claimant": "Konstantin Asmolov",
        "date": None,
        "priority": 3,
        "appearances": [
            {"article": "veilleur-visite", "quote": "ce qu'il appelle une future « Otan asiatique »"},
            {"article": "northgate-munitions", "quote": "what he describes as an emerging “Asian NATO”"},
        ],
        "citations": [
            {"source": "observatory-analysis", "stance": "supports", "excerpt": 'what he calls an "Asian NATO" taking shape around the United States, South Korea and Japan', "locator": "para. 6"},
        ],
        "history": [
            {"status": "in_progress", "note": "Only a secondary report so far; request sent to the researcher for the original interview.", "by": "Nadia Okafor"},
            {"status": "unverifiable", "note": "No reply from the researcher and no original interview found. Keep the words attributed and say they come from the observatory's report.", "by": "Nadia Okafor"},
        ],
    },
    # 24
    {
        "text": "Russia offers North Korea help with its satellite programme and food aid in exchange for munitions.",
        "kind": "assertion",
        "claimant": None,
        "date": None,
        "priority": 2,
        "appearances": [
            {"article": "veilleur-visite", "quote": "Moscou offrirait son expertise pour le programme de satellites nord-coréen ainsi qu'une aide alimentaire, en échange des munitions"},
            {"article": "northgate-munitions", "quote": "Moscow is believed to be offering technical help with North Korea’s satellite programme, as well as food aid, in exchange for the munitions"},
        ],
        "citations": [
            {"source": "observatory-analysis", "stance": "context", "excerpt": "no document confirming such an exchange has been made public", "locator": "para. 3"},
            {"source": "lindqvist-interview", "stance": "context", "excerpt": "Whether Moscow has delivered either is another matter.", "locator": "note 4"},
        ],
        "history": [
            {"status": "in_progress", "note": "Asked both embassies and two analysts.", "by": "Élise Marchand"},
            {"status": "unverifiable", "note": "Plausible and widely repeated, but nobody can show the exchange. Keep the conditional.", "by": "Élise Marchand"},
        ],
    },
    # 25
    {
        "text": "A large share of North Korean artillery rounds fail to fire or fall short of their targets.",
        "kind": "assertion",
        "claimant": None,
        "date": None,
        "priority": 2,
        "appearances": [
            {"article": "northgate-munitions", "quote": "a large share of North Korean rounds fail to fire or land short of their targets"},
        ],
        "citations": [
            {"source": "lindqvist-interview", "stance": "supports", "excerpt": "a large share of North Korean rounds fail to fire or fall short", "locator": "note 2"},
            {"source": "observatory-analysis", "stance": "context", "excerpt": "no systematic data on failure rates has been published", "locator": "para. 5"},
        ],
        "history": [
            {"status": "in_progress", "note": "Front-line accounts only.", "by": "Tomás Reyes"},
            {"status": "disputed", "note": "Soldiers' accounts versus no published data; attribute it to the gunners.", "by": "Tomás Reyes"},
        ],
    },
    # 26
    {
        "text": "The United States, Japan and South Korea are considering closer cooperation in response to the treaty.",
        "kind": "assertion",
        "claimant": None,
        "date": None,
        "priority": 3,
        "appearances": [
            {"article": "harbour-summit", "quote": "The United States, Japan and South Korea are expected to discuss closer trilateral cooperation in the coming weeks."},
        ],
        "citations": [],
        "history": [],
    },
    # 27
    {
        "text": "Putin's visit to Pyongyang had been postponed twice since the autumn.",
        "kind": "assertion",
        "claimant": None,
        "date": None,
        "priority": 3,
        "appearances": [
            {"article": "veilleur-visite", "quote": "la visite aurait été reportée à deux reprises depuis l'automne"},
        ],
        "citations": [],
        "history": [
            {"status": "in_progress", "note": "Single anonymous source close to the preparations.", "by": "Nadia Okafor"},
            {"status": "unverifiable", "note": "No second source and no public record of planned dates.", "by": "Nadia Okafor"},
        ],
    },
    # 28
    {
        "text": "The published summary of the treaty says nothing about stationing troops on either country's territory.",
        "kind": "assertion",
        "claimant": None,
        "date": "2024-06-19",
        "priority": 1,
        "appearances": [
            {"article": "gazette-traite", "quote": "Le résumé rendu public du traité ne dit rien, en revanche, d’un éventuel stationnement de troupes sur le sol de l’un ou l’autre pays."},
        ],
        "citations": [
            {"source": "abp-wire", "stance": "supports", "excerpt": "The published summary of the treaty does not mention the stationing of troops on either side's territory.", "locator": "para. 3"},
            {"source": "kremlin-statements", "stance": "supports", "excerpt": None, "locator": None},
            {"source": "observatory-analysis", "stance": "context", "excerpt": "Nothing published so far suggests that a new treaty would oblige Russia to station troops in North Korea.", "locator": "para. 7"},
        ],
        "history": [
            {"status": "verified", "note": "Replaces the Gazette's earlier reading of the clause as a promise of troops; checked against the Kremlin's summary.", "by": "Élise Marchand"},
        ],
    },
    # 29
    {
        "text": "Ukrainian investigators recovered debris from strikes on Kharkiv that matched a North Korean missile design.",
        "kind": "assertion",
        "claimant": None,
        "date": None,
        "priority": 2,
        "appearances": [
            {"article": "northgate-munitions", "quote": "Ukrainian investigators later recovered debris from several strikes on Kharkiv that matched a North Korean design"},
        ],
        "citations": [
            {"source": "reported-events", "stance": "supports", "excerpt": "2024-02-07,Kharkiv,Missile debris matched to a North Korean design,Ukrainian prosecutors,medium", "locator": "row 4"},
        ],
        "history": [
            {"status": "in_progress", "note": "One dataset row citing Ukrainian prosecutors; report requested from the Kharkiv regional prosecutor's office.", "by": "Tomás Reyes"},
        ],
    },
]
