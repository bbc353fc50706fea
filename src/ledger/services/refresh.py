"""``ledger source refresh ID``: fetch a URL source again, keep the new capture beside the old.

The report says whether the page's text changed since the previous capture and since each
citing claim was last judged (compared with the capture that was current then), and which
citation excerpts no longer stand in the new text — so a checker knows what to look at again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ledger.errors import InvalidInput
from ledger.services import capture
from ledger.store import captures
from ledger.text.anchoring import find_all

if TYPE_CHECKING:
    from ledger.services.ledger import Ledger


@dataclass(frozen=True)
class RefreshReport:
    source_id: int
    capture_id: int
    version: int
    final_url: str
    fetched_at: str
    has_text: bool
    changed_since_previous: bool | None  # None: no earlier capture
    previous_version: int | None
    changed_for_claims: list[int] = field(default_factory=list)  # judged on a text that has changed since
    unchanged_for_claims: list[int] = field(default_factory=list)
    unknown_for_claims: list[int] = field(default_factory=list)  # judged before any capture
    missing_excerpts: list[int] = field(default_factory=list)  # citation ids

    def lines(self) -> list[str]:
        out = [f"source {self.source_id}: capture {self.version} of {self.final_url} at {self.fetched_at}"]
        if not self.has_text:
            out.append("  the page has no readable text: excerpts cannot be checked against it")
        if self.changed_since_previous is None:
            out.append("  first capture: nothing earlier to compare with")
        else:
            state = "changed" if self.changed_since_previous else "unchanged"
            out.append(f"  text {state} since capture {self.previous_version}")
        if self.changed_for_claims:
            out.append("  text changed since these citing claims were checked: "
                       + ", ".join(str(c) for c in self.changed_for_claims))
        if self.unchanged_for_claims:
            out.append("  text unchanged since these citing claims were checked: "
                       + ", ".join(str(c) for c in self.unchanged_for_claims))
        if self.unknown_for_claims:
            out.append("  checked before any capture (cannot tell): "
                       + ", ".join(str(c) for c in self.unknown_for_claims))
        if self.missing_excerpts:
            out.append("  excerpts no longer in the page: citation "
                       + ", ".join(str(c) for c in self.missing_excerpts))
        return out


def refresh_source(ledger: Ledger, source_id: int) -> RefreshReport:
    source = ledger.source(source_id)
    if not source.url:
        raise InvalidInput(f"source {source_id} has no URL to fetch again")
    staged = capture.stage_capture(ledger.workspace.sources_dir, capture.fetch(source.url))
    try:
        with ledger.db.write() as conn:
            report = _record(conn, ledger.actor, source_id, staged)
    except BaseException:
        staged.staged.discard()
        raise
    staged.staged.commit()
    return report


def _record(conn, actor: str, source_id: int, staged: capture.StagedCapture) -> RefreshReport:  # noqa: ANN001
    values = staged.columns()
    new_hash = values["text_sha256"]
    previous = captures.latest_capture(conn, source_id=source_id)
    changed_claims, same_claims, unknown_claims, missing = [], [], [], []
    for cit in captures.citing_claims(conn, source_id=source_id):
        if cit.excerpt and (staged.text is None or not find_all(staged.text, cit.excerpt)):
            missing.append(cit.id)
        then = captures.capture_before(conn, source_id=source_id, at=cit.at) if cit.at else None
        if then is None:
            bucket = unknown_claims
        else:
            bucket = same_claims if then.text_sha256 == new_hash else changed_claims
        if cit.claim_id not in bucket:
            bucket.append(cit.claim_id)
    changed = None if previous is None else previous[0].text_sha256 != new_hash
    summary = {"text_changed": changed, "changed_for_claims": changed_claims, "missing_excerpts": missing}
    capture_id = captures.add_capture(conn, source_id=source_id, values=values, actor=actor,
                                      source_changes=staged.source_columns(), summary=summary)
    version = previous[0].version + 1 if previous else 1
    return RefreshReport(source_id=source_id, capture_id=capture_id, version=version,
                         final_url=staged.fetched.final_url, fetched_at=staged.fetched.fetched_at,
                         has_text=staged.text is not None, changed_since_previous=changed,
                         previous_version=previous[0].version if previous else None,
                         changed_for_claims=changed_claims, unchanged_for_claims=same_claims,
                         unknown_for_claims=unknown_claims, missing_excerpts=missing)
