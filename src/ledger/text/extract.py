"""Clean text and metadata out of the documents a desk works on: web pages, Markdown and Word
drafts, PDFs and plain text.

    doc = extract(data, name="page.html")        # or media_type="text/html"
    doc.text       # paragraphs separated by one blank line, entities decoded, markup gone
    doc.title, doc.author, doc.published, doc.site_name, doc.lang, doc.url

Web pages go through trafilatura (the main text without navigation, cookie banners, related
links or comments; title, author, site name and date — through htmldate — from the page's
metadata), Markdown through markdown-it-py, .docx through python-docx, PDF through pypdf.
Metadata (meta tags, JSON-LD) never ends up in the text, so a headline repeated there is quoted
once, where the reader sees it. Pure: bytes in, a :class:`Document` out; the heavy libraries
load only when a document of their kind is read.
"""

from __future__ import annotations

import copy
import io
import re
from dataclasses import dataclass

from ledger.errors import InvalidInput

HTML_TYPES = ("text/html", "application/xhtml+xml")
MARKDOWN_TYPES = ("text/markdown", "text/x-markdown")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
PLAIN_TYPE = "text/plain"
BY_SUFFIX = {".html": HTML_TYPES[0], ".htm": HTML_TYPES[0], ".xhtml": HTML_TYPES[1], ".md": MARKDOWN_TYPES[0],
             ".markdown": MARKDOWN_TYPES[0], ".docx": DOCX_TYPE, ".pdf": PDF_TYPE, ".txt": PLAIN_TYPE,
             ".text": PLAIN_TYPE}
ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx")

_SPACES = re.compile(r"[ \t\r\f\v]+")


@dataclass(frozen=True)
class Document:
    text: str
    media_type: str
    title: str | None = None
    author: str | None = None
    published: str | None = None  # as the document gives it (an ISO date for pages)
    site_name: str | None = None
    lang: str | None = None  # the language the document declares (not detected)
    url: str | None = None  # the canonical address a page gives itself


def media_type_for(name: str | None, declared: str | None = None, data: bytes = b"") -> str:
    """The media type to read a document as: a declared (Content-Type) type first, then the file
    name's suffix, then a look at the first bytes."""
    if declared:
        base = declared.split(";")[0].strip().lower()
        if base and base != "application/octet-stream":
            return base
    if name:
        lower = name.lower()
        for suffix, media in BY_SUFFIX.items():
            if lower.endswith(suffix):
                return media
    head = data[:512].lstrip().lower()
    if head.startswith(b"%pdf"):
        return PDF_TYPE
    if head.startswith((b"<!doctype html", b"<html")):
        return HTML_TYPES[0]
    if data[:4] == b"PK\x03\x04":
        return DOCX_TYPE
    return PLAIN_TYPE if b"\x00" not in data[:8192] else "application/octet-stream"


def paragraphs(parts: list[str]) -> str:
    """Blocks of text as one text: each block's runs of spaces collapsed, one blank line between
    blocks, empty blocks dropped."""
    out = []
    for part in parts:
        lines = [_SPACES.sub(" ", line).strip() for line in part.split("\n")]
        block = "\n".join(line for line in lines if line)
        if block:
            out.append(block)
    return "\n\n".join(out)


def extract(data: bytes, *, name: str | None = None, media_type: str | None = None,
            url: str | None = None) -> Document:
    """Read ``data`` (a file's or a response's bytes) into a :class:`Document`; refuses a kind
    it cannot read, or a document with no text."""
    media = media_type_for(name, media_type, data)
    label = repr(name) if name else "the document"
    if media in HTML_TYPES:
        doc = html_document(data, url=url)
    elif media in MARKDOWN_TYPES:
        doc = markdown_document(_decode(data, label))
    elif media == DOCX_TYPE:
        doc = docx_document(data, label)
    elif media == PDF_TYPE:
        doc = pdf_document(data, label)
    elif media.startswith("text/") or media in ("application/json", "application/xml"):
        doc = Document(text=_decode(data, label).replace("\r\n", "\n").strip("\n"), media_type=media)
    else:
        raise InvalidInput(f"{label} is {media}, which the ledger cannot read as text "
                           "(it reads web pages, .txt, .md, .docx and PDF)")
    if not doc.text.strip():
        raise InvalidInput(f"{label} has no text to read")
    return doc


def _decode(data: bytes, label: str) -> str:
    if b"\x00" in data:
        raise InvalidInput(f"{label} is binary, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{label} is not UTF-8 text (byte {exc.start})") from exc


# ------------------------------------------------------------------------- web pages
SHORT_TEXT = 1000  # below this many characters the quick pass may have missed the story


def html_document(data: bytes | str, *, url: str | None = None) -> Document:
    """A web page's main text and metadata. The page is parsed once; its metadata (meta tags,
    JSON-LD, title, byline, canonical address, site name, date through htmldate) is read first,
    then trafilatura's quick pass (its main extractor alone) reads the story; when it finds
    little text, the full pass with its fallback extractors (readability, jusText) tries again."""
    import trafilatura
    from trafilatura.utils import load_html

    _quiet("trafilatura", "htmldate", "courlan")
    tree = load_html(data)
    declared = _declared_language(data)
    if tree is None:
        return Document(text="", media_type=HTML_TYPES[0], lang=declared)
    meta = _page_metadata(tree, url)

    def run(page, fast: bool):  # noqa: ANN001, ANN202 - an lxml tree (the extractor prunes it); trafilatura Document
        return trafilatura.bare_extraction(page, url=url, fast=fast, with_metadata=False,
                                           include_comments=False, include_tables=True, include_images=False,
                                           include_links=False, include_formatting=False, deduplicate=False)

    result = run(copy.deepcopy(tree), fast=True)
    if result is None or len(result.text or "") < SHORT_TEXT:
        result = run(tree, fast=False) or result
    text = paragraphs((result.text or "").split("\n")) if result is not None else ""
    return Document(text=text, media_type=HTML_TYPES[0], title=_clean(meta.title), author=_clean(meta.author),
                    published=_clean(meta.date), site_name=_clean(meta.sitename), lang=declared,
                    url=_clean(meta.url))


def _page_metadata(tree, url: str | None):  # noqa: ANN001, ANN202 - lxml tree, trafilatura Document
    """What ``trafilatura.extract_metadata`` reads, in its order, less the categories, tags and
    licence it also looks for (on a page with a long comment thread, those searches cost more than
    reading the story): meta tags, then JSON-LD over them, then the title, byline, canonical
    address, date (htmldate) and site name found in the page."""
    try:
        from trafilatura.metadata import (examine_meta, extract_author, extract_meta_json, extract_sitename,
                                          extract_title, extract_url, find_date, set_date_params)
    except ImportError:  # another trafilatura layout: the library's own, complete reading
        from trafilatura import extract_metadata

        return extract_metadata(tree, default_url=url)
    meta = examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None
    try:
        meta = extract_meta_json(tree, meta)
    except Exception:  # noqa: BLE001 - broken JSON-LD on a page is common; the meta tags stand
        pass
    meta.title = meta.title or extract_title(tree)
    meta.author = meta.author or extract_author(tree)
    meta.url = meta.url or extract_url(tree, url)
    params = set_date_params(True)
    params["url"] = meta.url
    meta.date = find_date(tree, **params)
    meta.sitename = (meta.sitename or extract_sitename(tree) or "").lstrip("@") or None
    return meta


def _quiet(*names: str) -> None:
    """Keep the extractors' own warnings off the terminal (a refusal is one line of ours)."""
    import logging

    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())


_LANG_ATTR = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z0-9-]{2,35})", re.I)
_LD_LANG = re.compile(rb"\"inLanguage\"\s*:\s*\"([A-Za-z0-9-]{2,35})\"")
_META_LANG = re.compile(rb"<meta\b[^>]*?(?:http-equiv=[\"']content-language[\"']|property=[\"']og:locale[\"'])"
                        rb"[^>]*?content=[\"']([A-Za-z0-9_-]{2,35})", re.I)


def _declared_language(data: bytes | str) -> str | None:
    """The language a page declares: ``<html lang>``, JSON-LD ``inLanguage``, content-language,
    ``og:locale`` (fr_FR read as fr-FR)."""
    raw = data.encode("utf-8", "replace") if isinstance(data, str) else data
    head = raw[:200_000]
    for pattern in (_LANG_ATTR, _LD_LANG, _META_LANG):
        m = pattern.search(head)
        if m:
            return m.group(1).decode("ascii").replace("_", "-")
    return None


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(str(value).split())
    return value or None


# -------------------------------------------------------------------------- Markdown
def markdown_document(source: str) -> Document:
    """A Markdown draft's text: each block (paragraph, heading, list item, quotation, code) a
    paragraph; emphasis, links and images leave only their words; the first level-1 heading is
    the title."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(source)
    blocks: list[str] = []
    title = None
    for n, tok in enumerate(tokens):
        if tok.type == "inline":
            words = _inline_text(tok.children or [])
            blocks.append(words)
            opener = tokens[n - 1] if n else None
            if title is None and opener is not None and opener.type == "heading_open" and opener.tag == "h1":
                title = _clean(words)
        elif tok.type in ("fence", "code_block"):
            blocks.append(tok.content.rstrip("\n"))
    return Document(text=paragraphs(blocks), media_type=MARKDOWN_TYPES[0], title=title)


def _inline_text(children: list) -> str:  # noqa: ANN001 - markdown-it tokens
    out = []
    for child in children:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type == "softbreak":
            out.append(" ")
        elif child.type == "hardbreak":
            out.append("\n")
        elif child.type == "image":
            out.append(_inline_text(child.children or []))
    return "".join(out)


# ------------------------------------------------------------------------------ Word
def docx_document(data: bytes, label: str = "the document") -> Document:
    """A Word draft's paragraphs (and table cells) in reading order, with its title, author and
    language from the document properties."""
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # a broken or foreign zip: python-docx raises several kinds
        raise InvalidInput(f"{label} is not a readable .docx document ({type(exc).__name__})") from None
    blocks: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                blocks.append(" | ".join(cell.text.strip() for cell in row.cells if cell.text.strip()))
        else:
            blocks.append(block.text)
    props = document.core_properties  # a draft's creation date is not a publication date: not read
    return Document(text=paragraphs(blocks), media_type=DOCX_TYPE, title=_clean(props.title),
                    author=_clean(props.author), lang=_clean(props.language))


# ------------------------------------------------------------------------------- PDF
def pdf_document(data: bytes, label: str = "the document") -> Document:
    """A PDF's text, page by page (pages separated by a blank line), with its title and author."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    _quiet("pypdf")

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        meta = reader.metadata
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(f"{label} is not a readable PDF ({exc})") from None
    title = _clean(meta.title) if meta is not None else None
    author = _clean(meta.author) if meta is not None else None
    published = None
    if meta is not None:
        try:
            published = meta.creation_date.date().isoformat() if meta.creation_date else None
        except (ValueError, TypeError):
            published = None
    return Document(text=paragraphs(pages), media_type=PDF_TYPE,
                    title=title, author=author, published=published)
