"""The ledger's user actions, one transaction each, shared by the command line and the TUI.

``open_ledger()`` resolves the workspace (``--db``/``LEDGER_DB``/``./ledger.db``), opens the
database (migrating it if needed), reads ``ledger.toml`` and knows who is acting. Each method
validates its input, writes inside one transaction and returns plain read models; a refusal
raises ``LedgerError`` before anything is committed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ledger import store
from ledger.db import Database
from ledger.errors import InvalidInput
from ledger.models import (ArticleRow, ArticleView, CaptureRow, ClaimDetail, ClaimRow, EventRow, SearchHit,
                           SourceRow)
from ledger.services import archive
from ledger.services import material as _material
from ledger.services import excerpts, leftovers
from ledger.services.capture import StagedCapture
from ledger.services.config import LedgerConfig, check_statuses_in_use, load_config
from ledger.text.dates import parse_date
from ledger.services.fields import check_not_future, check_url
from ledger.store import browse, captures, corrections, relink
from ledger.store import search as store_search
from ledger.store.corrections import Retraction
from ledger.store.merge import resolve_claim_id
from ledger.store.plain import on_connection
from ledger.workspace import Workspace, resolve_actor, resolve_workspace

if TYPE_CHECKING:  # audit, workflow and integrity are imported by the actions that use them
    from ledger.services.audit import AuditReport
    from ledger.services.integrity import VerifyReport
    from ledger.services.workflow import RevisionSummary, StateChange


def _opt_date(text: str | None, *, field: str, reference: date | None = None) -> date | None:
    if text is None or not str(text).strip():
        return None
    if isinstance(text, date):
        return text
    return parse_date(str(text), reference=reference, field=field)


@dataclass
class Ledger:
    workspace: Workspace
    db: Database
    config: LedgerConfig
    actor: str

    @property
    def vocabulary(self):  # noqa: ANN201 - Vocabulary
        return self.config.vocabulary

    def close(self) -> None:
        self.db.dispose()

    @property
    def matching(self):  # noqa: ANN201 - MatchingDesk
        """Match texts against the ledger, suggestions, duplicates (see ``services.matching_desk``)."""
        from ledger.services.matching_desk import MatchingDesk

        return MatchingDesk(self)

    # ------------------------------------------------------------------ articles
    def add_article(self, *, title: str | None = None, body: str | None = None, file: Path | None = None,
                    outlet: str | None = None, author: str | None = None, url: str | None = None,
                    published: str | date | None = None, lang: str | None = None, state: str = "draft") -> int:
        """A new article from ``body``, a ``file`` (.txt, .md, .html/.htm, .docx) or, with neither,
        the page fetched from ``url``. Title, outlet, author, date and language are read from the
        document when not given (what is given wins); the language is detected when nobody says it.
        A derived text keeps its original bytes in ``sources/``."""
        material = None
        url = check_url(url)
        if body is None:
            if file is not None:
                material = _material.read_article_file(self.workspace.sources_dir, Path(file))
            elif url:
                material = _material.fetch_article(self.workspace.sources_dir, check_url(url))
            else:
                raise InvalidInput("an article needs its text (a FILE or --url URL)")
            body = material.document.text
        try:
            published_date = _opt_date(published, field="published date")
            meta = _material.merge_metadata(material.document if material else None, title=title, outlet=outlet,
                                            author=author, url=url, published=published_date, lang=lang, text=body)
            if not meta.title:
                raise InvalidInput("an article needs a title (--title); the document does not give one")
            with self.db.write() as conn:
                article_id = store.add_article(
                    conn, title=meta.title, body=body, actor=self.actor, outlet=meta.outlet, author=meta.author,
                    url=meta.url, lang=meta.lang, published=meta.published, state=state,
                    origin=material.origin() if material else None)
        except BaseException:
            if material is not None and material.staged is not None:
                material.staged.discard()
            raise
        if material is not None and material.staged is not None:
            material.staged.commit()
        return article_id

    def list_articles(self, *, limit: int = 100, offset: int = 0, text: str | None = None,
                      state: str | None = None) -> list[ArticleRow]:
        with self.db.read() as conn:
            return store.list_articles(conn, limit=limit, offset=offset, text=text, state=state,
                                       vocabulary=self.vocabulary)

    def article(self, article_id: int) -> ArticleRow:
        with self.db.read() as conn:
            return store.get_article(conn, article_id=article_id, vocabulary=self.vocabulary)

    def article_history(self, article_id: int) -> list[EventRow]:
        """The article's editorial history: added, state changes (notes, overrides), revisions."""
        with self.db.read() as conn:
            store.get_article(conn, article_id=article_id)
            return [e for e in store.events.article_history(conn, article_id=article_id) if e.entity == "article"]

    def article_body(self, article_id: int) -> str:
        with self.db.read() as conn:
            return store.article_body(conn, article_id=article_id)

    # -------------------------------------------------------------------- claims
    def add_claim(self, *, article_id: int, quote: str, text: str | None = None, kind: str = "assertion",
                  claimant: str | None = None, claim_date: str | date | None = None, priority: int = 2,
                  occurrence: int | None = None) -> int:
        with self.db.write() as conn:
            reference = store.get_article(conn, article_id=article_id).published
            when = _opt_date(claim_date, field="claim date", reference=reference)
            return store.add_claim(conn, article_id=article_id, quote=quote, actor=self.actor, text=text,
                                   kind=kind, claimant=claimant, claim_date=when, priority=priority,
                                   occurrence=occurrence, status=self.vocabulary.initial)

    def link_claim(self, *, claim_id: int, article_id: int, quote: str, occurrence: int | None = None) -> int:
        with self.db.write() as conn:
            claim_id = resolve_claim_id(conn, claim_id)
            return store.link_claim(conn, claim_id=claim_id, article_id=article_id, quote=quote,
                                    actor=self.actor, occurrence=occurrence)

    def unlink_appearance(self, *, appearance_id: int, note: str) -> int:
        """Drop an appearance of a claim deliberately (kept in the history); returns its claim id."""
        with self.db.write() as conn:
            return relink.unlink_appearance(conn, appearance_id=appearance_id, note=note, actor=self.actor)

    def list_claims(self, *, article_id: int | None = None, status: str | None = None, limit: int = 100,
                    after_id: int = 0) -> list[ClaimRow]:
        if status is not None:
            status = self.vocabulary.check(status)
        with self.db.read() as conn:
            if article_id is not None:
                store.get_article(conn, article_id=article_id)
            return store.list_claims(conn, article_id=article_id, status=status, limit=limit, after_id=after_id)

    def claim(self, claim_id: int) -> ClaimDetail:
        with self.db.read() as conn:
            return store.get_claim_detail(conn, claim_id=resolve_claim_id(conn, claim_id))

    def claim_review(self, claim_id: int):  # noqa: ANN201 - store.reviews.ReviewRow | None
        """The review by another fact-checker this claim was imported from, as published (or None)."""
        from ledger.store.reviews import review_of_claim

        with self.db.read() as conn:
            return review_of_claim(conn, claim_id=claim_id)

    def set_status(self, *, claim_id: int, status: str, note: str, expected_version: int | None = None) -> ClaimRow:
        with self.db.write() as conn:
            claim_id = resolve_claim_id(conn, claim_id)
            return store.set_status(conn, claim_id=claim_id, status=status, note=note, actor=self.actor,
                                    vocabulary=self.vocabulary, expected_version=expected_version)

    # --------------------------------------------------------------- corrections
    def edit_claim(self, claim_id: int, *, note: str, text: str | None = None, kind: str | None = None,
                   claimant: str | None = None, claim_date: str | date | None = None, priority: int | None = None,
                   expected_version: int | None = None) -> ClaimRow:
        """Correct a claim (None leaves a field as it is; an empty claimant or date clears it). The
        ``claim.edit`` event keeps each old and new value and the note."""
        changes: dict[str, object] = {}
        for name, value in (("text", text), ("kind", kind), ("claimant", claimant), ("priority", priority)):
            if value is not None:
                changes[name] = value
        with self.db.write() as conn:
            if claim_date is not None:
                changes["claim_date"] = _opt_date(claim_date, field="claim date",
                                                  reference=corrections.reference_date(conn, claim_id=claim_id))
            return corrections.edit_claim(conn, claim_id=claim_id, changes=changes, note=note, actor=self.actor,
                                          expected_version=expected_version)

    def retract_citation(self, citation_id: int, *, note: str) -> Retraction:
        """Retract a citation: it stays, marked, and no longer counts as evidence. When it was the
        last support of a pass verdict (or refutation of a fail one) the claim is reopened;
        ``Retraction.reopened`` says so."""
        with self.db.write() as conn:
            return corrections.retract_citation(conn, citation_id=citation_id, note=note, actor=self.actor,
                                                vocabulary=self.vocabulary)

    def confirm_claim(self, claim_id: int, *, note: str) -> ClaimRow:
        """Confirm a claim's verdict still holds for its passage(s) reworded by a revision."""
        with self.db.write() as conn:
            return corrections.confirm_claim(conn, claim_id=claim_id, note=note, actor=self.actor)

    # ------------------------------------------------------------------- sources
    def add_source(self, *, title: str | None = None, file: Path | None = None, url: str | None = None,
                   publisher: str | None = None, author: str | None = None, published: str | date | None = None,
                   accessed: str | date | None = None, kind: str = "document", reliability: str | None = None,
                   fetch: bool = True) -> int:
        """A new source: an archived ``file``, or a ``url`` — fetched and captured (a WARC in
        ``sources/`` and the page's text, for excerpt checks) unless ``fetch`` is False. Title,
        publisher, author and date are read from the page when not given."""
        if file is None and not url:
            raise InvalidInput("a source needs --file PATH or --url URL")
        kind, reliability = store.sources.check_source_fields(kind=kind, reliability=reliability)
        url = check_url(url)
        accessed_date = check_not_future(_opt_date(accessed, field="accessed date"), field="accessed date")
        published_date = check_not_future(_opt_date(published, field="published date"), field="published date")
        with self._capturing(url if file is None and fetch else None) as captured:
            fields = _source_fields(captured, title=title, publisher=publisher, author=author, published=published_date)
            with self._staging(file) as staged, self.db.write() as conn:
                archived = _archived(staged) if captured is None else captured.source_columns()
                archived["accessed"] = accessed_date or archived.get("accessed") or date.today()
                return store.add_source(conn, actor=self.actor, kind=kind, url=url, reliability=reliability,
                                        capture=captured.columns() if captured else None, **fields, **archived)

    @contextmanager
    def _capturing(self, url: str | None) -> Iterator[StagedCapture | None]:
        """Fetch ``url`` (None: nothing to fetch) and stage its capture for the block: its WARC is
        moved into ``sources/`` if the block succeeds, removed if it fails."""
        from ledger.services.capture import fetch, stage_capture

        captured = stage_capture(self.workspace.sources_dir, fetch(url)) if url else None
        try:
            yield captured
        except BaseException:
            if captured is not None:
                captured.staged.discard()
            raise
        if captured is not None:
            captured.staged.commit()

    def refresh_source(self, source_id: int):  # noqa: ANN201 - RefreshReport
        """Fetch a URL source again and keep the new capture beside the earlier ones."""
        from ledger.services.refresh import refresh_source

        return refresh_source(self, source_id)

    def captures(self, source_id: int) -> list[CaptureRow]:
        with self.db.read() as conn:
            store.get_source(conn, source_id=source_id)
            return captures.list_captures(conn, source_id=source_id)

    @contextmanager
    def _staging(self, file: Path | None) -> Iterator[archive.StagedFile | None]:
        """Stage ``file`` into the archive for the duration of the block: moved into place if the
        block succeeds (its transaction committed), removed if it fails."""
        staged = archive.stage(self.workspace.sources_dir, Path(file)) if file is not None else None
        try:
            yield staged
        except BaseException:
            if staged is not None:
                staged.discard()
            raise
        if staged is not None:
            staged.commit()

    def list_sources(self, *, limit: int = 100, offset: int = 0, text: str | None = None) -> list[SourceRow]:
        with self.db.read() as conn:
            return store.list_sources(conn, limit=limit, offset=offset, text=text)

    def source(self, source_id: int) -> SourceRow:
        with self.db.read() as conn:
            return store.get_source(conn, source_id=source_id)

    def source_text(self, source: SourceRow) -> str | None:
        """The archived file's text (HTML reduced to what a reader sees), or None."""
        if not source.file_name:
            return None
        return archive.read_archived_text(self.workspace.sources_dir, source.file_name, source.media_type)

    def cite(self, *, claim_id: int, source_id: int, stance: str, excerpt: str | None = None,
             locator: str | None = None, notice: Callable[[str], None] | None = None) -> int:
        """Cite a source for a claim. An excerpt is checked against the archived text and stored as
        it stands there; when the source has no checkable text, ``notice`` is told it was not checked."""
        excerpt = excerpt.strip() if excerpt and excerpt.strip() else None
        unchecked = False
        with self.db.write() as conn:
            claim_id = resolve_claim_id(conn, claim_id)
            source = store.get_source(conn, source_id=source_id)
            if excerpt is not None:
                latest = captures.latest_capture(conn, source_id=source_id)
                body = excerpts.archived_text(self.workspace.sources_dir, source,
                                              captured=latest[1] if latest else None)
                unchecked = body is None
                if body is not None:
                    excerpt = excerpts.as_in_source(
                        body, excerpt, where=f"the archived file of source {source_id} ({source.title!r})")
            citation_id = store.add_citation(conn, claim_id=claim_id, source_id=source_id, stance=stance,
                                             actor=self.actor, excerpt=excerpt,
                                             locator=locator.strip() if locator else None)
        if unchecked and notice is not None:
            notice(excerpts.unchecked_notice(source_id))
        return citation_id

    def add_source_and_cite(self, *, claim_id: int, stance: str, title: str | None = None,
                            file: Path | None = None, url: str | None = None, publisher: str | None = None,
                            author: str | None = None, published: str | date | None = None, kind: str = "document",
                            reliability: str | None = None, excerpt: str | None = None,
                            locator: str | None = None, notice: Callable[[str], None] | None = None,
                            fetch: bool = True) -> tuple[int, int]:
        """A new source cited for a claim, as one action: when the citation is refused (an excerpt
        that is not in the file or the fetched page, say) the source is not kept either. A URL
        without a file is fetched and captured as ``add_source`` does. Returns (source id, citation id)."""
        if file is None and not url:
            raise InvalidInput("a source needs a file or a URL")
        kind, reliability = store.sources.check_source_fields(kind=kind, reliability=reliability)
        url = check_url(url)
        published_date = check_not_future(_opt_date(published, field="published date"), field="published date")
        excerpt = excerpt.strip() if excerpt and excerpt.strip() else None
        with self._capturing(url if file is None and fetch else None) as captured:
            fields = _source_fields(captured, title=title, publisher=publisher, author=author, published=published_date)
            with self._staging(file) as staged:
                if captured is not None:
                    text, where = captured.text, f"the page fetched from {captured.fetched.final_url}"
                else:
                    text = excerpts.staged_text(staged) if staged is not None and excerpt is not None else None
                    where = repr(Path(file).name) if file is not None else ""
                if text is not None and excerpt is not None:
                    excerpt = excerpts.as_in_source(text, excerpt, where=where)
                archived = _archived(staged) if captured is None else captured.source_columns()
                archived.setdefault("accessed", date.today())
                with self.db.write() as conn:
                    claim_id = resolve_claim_id(conn, claim_id)
                    source_id = store.add_source(conn, actor=self.actor, kind=kind, url=url, reliability=reliability,
                                                 capture=captured.columns() if captured else None,
                                                 **fields, **archived)
                    citation_id = store.add_citation(conn, claim_id=claim_id, source_id=source_id, stance=stance,
                                                     actor=self.actor, excerpt=excerpt,
                                                     locator=locator.strip() if locator else None)
        if excerpt is not None and text is None and notice is not None:
            notice(excerpts.unchecked_notice(source_id))
        return source_id, citation_id

    # -------------------------------------------------------------------- search
    def search(self, query: str, *, limit: int = 50, offset: int = 0) -> list[SearchHit]:
        with self.db.read() as conn:
            return store_search.search(on_connection(conn), query=query, limit=limit, offset=offset)

    # ------------------------------------------------- workflow, audit, integrity
    def set_article_state(self, article_id: int, state: str, *, note: str | None = None,
                          override: bool = False) -> StateChange:
        from ledger.services import workflow

        return workflow.set_article_state(self, article_id, state, note=note, override=override)

    def update_article(self, article_id: int, *, body: str | None = None, file: Path | None = None,
                       expected_revision: int | None = None) -> RevisionSummary:
        from ledger.services import workflow

        return workflow.update_article(self, article_id, body=body, file=file, expected_revision=expected_revision)

    def audit(self, article_id: int, *, as_of: str | date | None = None) -> AuditReport:
        """The audit, once the ledger is vouched for (``services.vouch``: refused after a failed verify)."""
        from ledger.services.audit import audit_article
        from ledger.services.vouch import vouch

        as_of_date = _opt_date(as_of, field="audit date")
        vouch(self)
        return audit_article(self, article_id, as_of=as_of_date)

    def verify(self, *, known_head: str | None = None, heads: dict[int, str] | None = None) -> VerifyReport:
        """The full verify (chain, replay, rows, files), its result kept for vouching."""
        from ledger.services.vouch import full_verify

        return full_verify(self, known_head=known_head, heads=heads)

    # ------------------------------------------------------- exports and imports
    def export(self, fmt: str, out, *, article_id: int | None = None, style: str | None = None,  # noqa: ANN001
               as_of: str | date | None = None, progress=None):  # noqa: ANN001, ANN201 - TextIO, ExportResult
        """Write one article (or, with ``article_id`` None, the whole ledger) to the text stream
        ``out`` as md, html, json, csv, claimreview or csl (see ``services.export``)."""
        from ledger.services.export import export
        from ledger.services.progress import NO_PROGRESS
        from ledger.services.vouch import vouch

        report_date = _opt_date(as_of, field="report date")
        vouch(self)
        return export(self, fmt, out, article_id=article_id, style=style,
                      as_of=report_date, progress=progress or NO_PROGRESS)

    def import_file(self, path: Path, *, fmt: str, strict: bool = False, progress=None):  # noqa: ANN001, ANN201
        """Import a json, csv or claimreview file (see ``services.importing``); returns its report."""
        from ledger.services.importing import import_file
        from ledger.services.progress import NO_PROGRESS

        return import_file(self, Path(path), fmt, strict=strict, progress=progress or NO_PROGRESS)

    # ------------------------------------------------------------------ browsing
    # Read queries behind the terminal UI's paged lists and reader (see ``store.browse``).
    def count_articles(self, *, text: str | None = None, state: str | None = None) -> int:
        with self.db.read() as conn:
            return browse.count_articles_matching(conn, text=text, state=state)

    def count_sources(self, *, text: str | None = None) -> int:
        with self.db.read() as conn:
            return browse.count_sources_matching(conn, text=text)

    def article_view(self, article_id: int) -> ArticleView:
        with self.db.read() as conn:
            return browse.article_view(conn, article_id=article_id, vocabulary=self.vocabulary)

    def claim_candidates(self, passage: str, *, limit: int = 40) -> list[ClaimRow]:
        with self.db.read() as conn:
            return browse.claim_candidates(conn, passage=passage, limit=limit)

    def relink_appearance(self, *, appearance_id: int, quote: str, occurrence: int | None = None) -> int:
        """Anchor an (orphaned) appearance on the passage where it now stands; returns its claim id."""
        with self.db.write() as conn:
            return relink.relink_appearance(conn, appearance_id=appearance_id, quote=quote, actor=self.actor,
                                            occurrence=occurrence)


def _source_fields(captured: StagedCapture | None, *, title: str | None, publisher: str | None,
                   author: str | None, published: date | None) -> dict[str, object]:
    """A source's title, publisher, author and published date: as typed (``published`` already
    checked), else as the fetched page gives them (a page's own date in the future is dropped)."""
    typed = published
    doc = captured.document if captured is not None else None
    page_date = _material.read_date(doc.published) if doc is not None else None
    if page_date is not None and page_date > date.today():
        page_date = None
    fields = {"title": (title or "").strip() or (doc.title if doc else None),
              "publisher": (publisher or "").strip() or (doc.site_name if doc else None),
              "author": (author or "").strip() or (doc.author if doc else None),
              "published": typed or page_date}
    if not fields["title"]:
        raise InvalidInput("a source needs a title (--title)" + ("; the page does not give one" if captured else ""))
    return fields


def _archived(staged: archive.StagedFile | None) -> dict[str, object]:
    """The source columns that describe an archived file (all None for a URL-only source)."""
    if staged is None:
        return {"sha256": None, "file_name": None, "media_type": None, "size": None}
    return {"sha256": staged.sha256, "file_name": staged.file_name, "media_type": staged.media_type,
            "size": staged.size}


def open_ledger(db: str | None = None, *, actor: str | None = None, migrate: bool = True) -> Ledger:
    workspace = resolve_workspace(db)
    config = load_config(workspace.config_path)
    database = Database(workspace, migrate=migrate)
    leftovers.clean_workspace(workspace)  # what a killed command left in sources/ and beside the ledger
    if migrate:
        try:
            with database.read() as conn:
                check_statuses_in_use(config, on_connection(conn))
        except BaseException:
            database.dispose()
            raise
    return Ledger(workspace=workspace, db=database, config=config, actor=resolve_actor(actor))
