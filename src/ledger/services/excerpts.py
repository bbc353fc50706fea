"""Checking a citation's excerpt against the source it quotes.

An excerpt is checked only against text a reader can see: an archived text or HTML file, whose
bytes must still be those that were archived, or the text of a fetched page's latest capture. A URL-only source or a binary file (a PDF, a
recording) has no checkable text; the excerpt is then kept as typed and the caller told so. A
checked excerpt is stored as it stands in the source (typographic apostrophes and all), the way
quotes are stored as they stand in the article.
"""

from __future__ import annotations

from pathlib import Path

from ledger.errors import InvalidInput
from ledger.models import SourceRow
from ledger.services import archive
from ledger.text.anchoring import find_all


def unchecked_notice(source_id: int) -> str:
    return f"excerpt not checked: source {source_id} has no archived text"


def archived_text(sources_dir: Path, source: SourceRow, *, captured: str | None = None) -> str | None:
    """The text of ``source``'s archived file for checking an excerpt, or None when it has none
    (URL only, or not a text file). A fetched source is checked against ``captured``, the text of
    its latest capture, once its WARC file is found unchanged. Refuses a file that is missing or
    no longer the archived one."""
    if not source.file_name:
        return None
    path = archive.archived_path(sources_dir, source.file_name)
    if not path.is_file():
        raise InvalidInput(f"the archived file of source {source.id} is missing; run ledger verify")
    if source.sha256 and archive.file_sha256(path) != source.sha256:
        raise InvalidInput(f"the archived file of source {source.id} has changed since it was archived; "
                           "run ledger verify")
    if captured is not None:
        return captured
    if not archive.is_text(source.media_type):
        return None
    return archive.file_text(path, source.media_type)


def staged_text(staged: archive.StagedFile) -> str | None:
    """The text of a file being archived, or None when it is not a text file."""
    return staged.text() if archive.is_text(staged.media_type) else None


def as_in_source(text: str, excerpt: str, *, where: str) -> str:
    """``excerpt`` as it stands in ``text`` (its first occurrence); refuses an excerpt not in it."""
    spans = find_all(text, excerpt)
    if not spans:
        raise InvalidInput(f"the excerpt does not occur in {where}; quote it exactly as it stands there")
    start, end = spans[0]
    return text[start:end]
