"""A small ledger built the same way every time, for the export golden files and import tests.

Every timestamp the store writes comes from a frozen clock (one minute per call, from a fixed
start), so rows, event hashes and therefore every export are identical run after run. The texts
are written for these tests; one article is full of what must be escaped (markup, a formula, a
terminal escape sequence).
"""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

import ledger.store.events as events_module
from ledger import store

START = datetime(2024, 6, 20, 8, 0, tzinfo=timezone.utc)


class FrozenClock:
    def __init__(self, start: datetime = START):
        self.t = start

    def __call__(self) -> str:
        self.t += timedelta(minutes=1)
        return self.t.isoformat(timespec="microseconds").replace("+00:00", "Z")


def freeze_clock(monkeypatch: pytest.MonkeyPatch) -> FrozenClock:
    """Replace ``now`` in every ledger module that imported it (a module first imported while an
    earlier test's clock was in place holds that clock: it is replaced too)."""
    clock = FrozenClock()
    original = events_module.now
    for name, module in list(sys.modules.items()):
        held = getattr(module, "now", None)
        if name.startswith("ledger") and (held is original or isinstance(held, FrozenClock)):
            monkeypatch.setattr(module, "now", clock)
    return clock


SUMMIT_FR = (
    "Le dirigeant russe est arrivé à Pyongyang dans la nuit du 18 juin pour une visite de deux jours.\n\n"
    "Les deux pays ont signé un accord de partenariat stratégique qui prévoit une aide militaire mutuelle. "
    "Selon des responsables américains, des obus nord-coréens seraient utilisés sur le front ukrainien.\n"
)
SUMMIT_EN = (
    "Russia's president landed in Pyongyang overnight on 18 June for a two-day state visit. "
    "The leaders signed a strategic partnership treaty with a mutual assistance clause. "
    "US officials say North Korean shells are being fired in Ukraine.\n"
)
TRICKY = (
    "=SUM(A1:A9) was the formula the council cited for its budget.\n"
    "-12 % in grants, said the mayor's office. <script>alert('x')</script> and [a link](javascript:alert(1)).\n"
    "A line with an escape \x1b[31mred\x1b[0m sequence.\n"
)
EVIDENCE = (
    "Wire, 19 June 2024. The Russian president arrived in Pyongyang early on Wednesday for a two-day visit.\n"
    "The treaty signed on Wednesday includes a mutual assistance clause.\n"
)


def build(lg, tmp: Path) -> dict[str, int]:  # noqa: ANN001 - Ledger
    """Fill ``lg`` (an empty ledger) with the fixture; returns the ids by name."""
    ids: dict[str, int] = {}
    ids["fr"] = lg.add_article(title="Poutine à Pyongyang : un pacte et des obus", body=SUMMIT_FR,
                               outlet="Le Guetteur", author="Sam Testeur", url="https://example.org/guetteur/pyongyang",
                               published="2024-06-19", lang="fr")
    ids["en"] = lg.add_article(title="Putin and Kim sign a pact", body=SUMMIT_EN, outlet="The Example Post",
                               url="https://example.org/post/pact", published="2024-06-20", lang="en")
    ids["tricky"] = lg.add_article(title="<script>alert(1)</script> & *Budget* | =2024 # [x](javascript:1)",
                                   body=TRICKY, outlet="=cmd|' /C calc'!A0", published="2024-06-21", lang="en")
    evidence = tmp / "wire.txt"
    evidence.write_text(EVIDENCE, encoding="utf-8")
    ids["wire"] = lg.add_source(title="Putin arrives in Pyongyang", file=evidence, publisher="Example Wire Agency",
                                kind="wire", published="2024-06-19", accessed="2024-06-20", reliability="B")
    ids["briefing"] = lg.add_source(title="State Department briefing, 20 June 2024", url="https://example.org/state/briefing",
                                    publisher="US Department of State", author="Matthew Example", kind="official",
                                    published="2024-06-20", accessed="2024-06-21", reliability="A", fetch=False)
    # a link that is not a web address, as older ledgers and imported files may hold (adding a source
    # refuses it now): exports must still never make it a link
    with lg.db.write() as conn:
        ids["odd"] = store.add_source(conn, title="@Council *minutes* <b>draft</b>", url="javascript:alert(1)",
                                      kind="document", accessed=date(2024, 6, 21), actor=lg.actor, publisher=None,
                                      author=None, published=None, reliability=None, sha256=None, file_name=None,
                                      media_type=None, size=None)
    c = lg.add_claim(article_id=ids["fr"], quote="est arrivé à Pyongyang dans la nuit du 18 juin",
                     text="Putin arrived in Pyongyang on the night of 18 June 2024.", claim_date="18 juin", priority=1)
    lg.link_claim(claim_id=c, article_id=ids["en"], quote="landed in Pyongyang overnight on 18 June")
    lg.cite(claim_id=c, source_id=ids["wire"], stance="supports", excerpt="arrived in Pyongyang early on Wednesday",
            locator="para. 1")
    lg.set_status(claim_id=c, status="in_progress", note="Checking the arrival time.")
    lg.set_status(claim_id=c, status="verified", note="The wire confirms the arrival.")
    ids["arrival"] = c
    c = lg.add_claim(article_id=ids["fr"], quote="des obus nord-coréens seraient utilisés sur le front ukrainien",
                     kind="attribution", claimant="US officials", text="North Korean shells are used in Ukraine.")
    lg.link_claim(claim_id=c, article_id=ids["en"], quote="North Korean shells are being fired in Ukraine")
    lg.cite(claim_id=c, source_id=ids["briefing"], stance="context", locator="00:14:30")
    lg.set_status(claim_id=c, status="disputed", note="Only one official source so far.")
    ids["shells"] = c
    c = lg.add_claim(article_id=ids["en"], quote="a mutual assistance clause", text="The treaty has a mutual assistance clause.")
    lg.cite(claim_id=c, source_id=ids["wire"], stance="refutes", excerpt="includes a mutual assistance clause",
            locator="p. 2")
    lg.set_status(claim_id=c, status="false", note="Test verdict: \x1b[1mbold\x1b[0m note | with a pipe")
    ids["clause"] = c
    c = lg.add_claim(article_id=ids["tricky"], quote="=SUM(A1:A9) was the formula the council cited",
                     text="=SUM(A1:A9) was cited by the council", claimant="+council", kind="attribution")
    lg.cite(claim_id=c, source_id=ids["odd"], stance="supports", locator="-p. 3")
    ids["formula"] = c
    c = lg.add_claim(article_id=ids["tricky"], quote="-12 % in grants", text="@mayor: -12 % in grants")
    ids["grants"] = c
    lg.add_claim(article_id=ids["tricky"], quote="<script>alert('x')</script>", text="<b>bold</b> & # heading")
    return ids
