"""Articles from the material a desk has: a saved page, a Markdown or Word draft, a URL.

``read_article(path=… | url=…)`` reads the document into clean text and metadata (see
``text.extract``) and stages its original bytes for ``sources/`` (kept by SHA-256 beside the text
the ledger stores, so the text can be re-derived and ``ledger verify`` can re-hash them).
``merge_metadata`` lets typed fields win over what the document says of itself.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from ledger.errors import InvalidInput
from ledger.services import archive
from ledger.services.fields import check_url
from ledger.text.dates import parse_date
from ledger.text.extract import (ARTICLE_SUFFIXES, DOCX_TYPE, HTML_TYPES, MARKDOWN_TYPES, PLAIN_TYPE, Document,
                                 extract, media_type_for)
from ledger.text.language import check_tag, detect, valid_or_none

ARTICLE_PAGE_TYPES = HTML_TYPES + MARKDOWN_TYPES + (PLAIN_TYPE, DOCX_TYPE)


@dataclass
class ArticleMaterial:
    document: Document
    name: str  # the file name or the address it was read from
    staged: archive.StagedFile | None  # the original bytes, when the text was derived from them
    final_url: str | None = None

    def origin(self) -> dict[str, str | None]:
        s = self.staged
        return {"origin_name": self.name, "origin_file": s.file_name if s else None,
                "origin_sha256": s.sha256 if s else None,
                "origin_media_type": self.document.media_type if s else None, "origin_url": self.final_url}


def read_article_file(sources_dir: Path, path: Path) -> ArticleMaterial:
    """A file as an article: .txt is taken as it is; .md, .html/.htm and .docx are read into clean
    text and their original kept for the archive."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"article file {str(path)!r} does not exist or is not a file")
    media = media_type_for(path.name)
    if media == PLAIN_TYPE or path.suffix.lower() not in ARTICLE_SUFFIXES:
        if path.suffix.lower() not in ARTICLE_SUFFIXES + ("",) and media != PLAIN_TYPE:
            raise InvalidInput(f"article file {path.name!r} is {media}; an article is read from .txt, .md, "
                               ".html/.htm or .docx")
        text = archive.read_article_file(path)
        return ArticleMaterial(Document(text=text, media_type=PLAIN_TYPE), path.name, None)
    size = path.stat().st_size
    if size > archive.MAX_ARTICLE_BYTES:
        raise InvalidInput(f"article file {path.name!r} is {size // (1024 * 1024)} MB; the limit is "
                           f"{archive.MAX_ARTICLE_BYTES // (1024 * 1024)} MB")
    document = extract(path.read_bytes(), name=path.name)
    staged = archive.stage(sources_dir, path, limit=archive.MAX_ARTICLE_BYTES)
    staged.media_type = document.media_type
    return ArticleMaterial(document, path.name, staged)


def article_text(path: Path) -> str:
    """Only the text of an article file (a revision read from a new draft): .txt as it is, the
    other kinds extracted."""
    path = Path(path)
    if path.suffix.lower() in ARTICLE_SUFFIXES and media_type_for(path.name) != PLAIN_TYPE:
        if path.is_file() and path.stat().st_size > archive.MAX_ARTICLE_BYTES:
            raise InvalidInput(f"article file {path.name!r} is over {archive.MAX_ARTICLE_BYTES // (1024 * 1024)} MB")
        if not path.is_file():
            raise InvalidInput(f"article file {str(path)!r} does not exist or is not a file")
        return extract(path.read_bytes(), name=path.name).text
    return archive.read_article_file(path)


def fetch_article(sources_dir: Path, url: str) -> ArticleMaterial:
    """A page fetched from ``url`` as an article; the body as served is kept in the archive."""
    from ledger.services.capture import body_as_served, fetch

    fetched = fetch(url, accept=ARTICLE_PAGE_TYPES, max_bytes=archive.MAX_ARTICLE_BYTES)
    body = body_as_served(fetched, limit=archive.MAX_ARTICLE_BYTES)
    document = extract(body, media_type=fetched.media_type, url=fetched.final_url)
    suffix = mimetypes.guess_extension(document.media_type) or ""
    name = Path(urlsplit(fetched.final_url).path).name or "page"
    staged = archive.stage_bytes(sources_dir, body, name=name if Path(name).suffix else name + suffix,
                                 media_type=document.media_type)
    return ArticleMaterial(document, url, staged, final_url=fetched.final_url)


@dataclass(frozen=True)
class Metadata:
    title: str | None
    outlet: str | None
    author: str | None
    url: str | None
    published: date | None
    lang: str | None


def read_date(text: str | None) -> date | None:
    """A date the document gives about itself, or None when it cannot be read."""
    if not text:
        return None
    try:
        return parse_date(text)
    except InvalidInput:
        return None


def merge_metadata(doc: Document | None, *, title: str | None, outlet: str | None, author: str | None,
                   url: str | None, published: date | None, lang: str | None, text: str) -> Metadata:
    """Typed values win; the rest come from the document; the language, when neither says it,
    is detected from the text. A typed language must be a valid BCP 47 tag."""
    typed_lang = check_tag(lang, field="--lang")
    declared = valid_or_none(doc.lang) if doc is not None else None
    return Metadata(
        title=_given(title) or (doc.title if doc else None),
        outlet=_given(outlet) or (doc.site_name if doc else None),
        author=_given(author) or (doc.author if doc else None),
        url=_given(url) or (_web_address(doc.url) if doc else None),
        published=published or (read_date(doc.published) if doc else None),
        lang=typed_lang or declared or detect(text),
    )


def _web_address(url: str | None) -> str | None:
    """A page's own (canonical) address when it is a web address, else None."""
    try:
        return check_url(url)
    except InvalidInput:
        return None


def _given(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None
