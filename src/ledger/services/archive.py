"""The ``sources/`` archive: evidence files stored under their SHA-256 so they cannot silently change.

A file is first staged (streamed to a temporary file while hashing, memory bounded), the ledger
rows are written, and only once the transaction commits is the staged file moved to
``sources/<sha256><ext>``. A refused command therefore leaves the archive as it was. No path given
by a user ever names a file inside the archive: names are derived from the content hash.

Every file that enters the archive (a source file, a page or a capture fetched from the web) is
written through ``new_staging_file`` into ``sources/.staging/`` (there only while something waits
in it): named for the command that writes it (so what a killed
command leaves is cleared on the next open, ``leftovers.py``) and readable as the umask allows
(0644 under the usual 022), so a teammate sharing ``sources/`` under another account can read the
evidence. A ``sources`` that is not a folder, or that cannot be written to, is one clear refusal.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ledger.errors import InvalidInput, WorkspaceError
from ledger.services import leftovers

MAX_SOURCE_BYTES = 50 * 1024 * 1024
MAX_ARTICLE_BYTES = 5 * 1024 * 1024
CHUNK = 1 << 16
_EXT = re.compile(r"^\.[A-Za-z0-9]{1,8}$")
TEXT_TYPES = ("text/", "application/json", "application/xml", "application/xhtml+xml")


@dataclass
class StagedFile:
    sha256: str
    size: int
    file_name: str  # "<sha256><ext>", the only name the archive ever uses
    media_type: str
    tmp_path: Path | None
    target: Path

    def commit(self) -> Path:
        """Move the staged copy into place (after the ledger transaction committed)."""
        if self.tmp_path is not None:
            if self.target.exists():
                self.tmp_path.unlink(missing_ok=True)
            else:
                os.replace(self.tmp_path, self.target)
            self.tmp_path = None
            leftovers.drop_staging_dir(self.target.parent)
        return self.target

    def text(self) -> str | None:
        """The staged file as text, read the way archived files are (see ``file_text``)."""
        return file_text(self.tmp_path, self.media_type) if self.tmp_path is not None else None

    def discard(self) -> None:
        if self.tmp_path is not None:
            self.tmp_path.unlink(missing_ok=True)
            self.tmp_path = None
            leftovers.drop_staging_dir(self.target.parent)


def archive_name(sha256: str, original: str) -> str:
    ext = Path(original).suffix.lower()
    return sha256 + (ext if _EXT.match(ext) else "")


def stage(sources_dir: Path, path: Path, *, limit: int = MAX_SOURCE_BYTES) -> StagedFile:
    """Copy ``path`` into the archive folder under a temporary name, hashing as it streams."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"source file {str(path)!r} does not exist or is not a file")
    if path.stat().st_size > limit:
        raise InvalidInput(f"source file {path.name!r} is larger than {limit // (1024 * 1024)} MB")
    digest = hashlib.sha256()
    size = 0
    fd, tmp = new_staging_file(sources_dir)
    try:
        with os.fdopen(fd, "wb") as out, path.open("rb") as src:
            while chunk := src.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise InvalidInput(f"source file {path.name!r} is larger than {limit // (1024 * 1024)} MB")
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        tmp.unlink(missing_ok=True)
        leftovers.drop_staging_dir(sources_dir)
        raise
    sha = digest.hexdigest()
    name = archive_name(sha, path.name)
    media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return StagedFile(sha256=sha, size=size, file_name=name, media_type=media,
                      tmp_path=tmp, target=sources_dir / name)


def umask() -> int:
    """The process's umask (read without changing it where Linux tells it)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def new_staging_file(sources_dir: Path) -> tuple[int, Path]:
    """A new, empty file in ``sources/`` for content on its way into the archive: an open
    descriptor and its path, with the permissions a new file gets under the umask (``mkstemp``
    alone would make it 0600 whatever the umask)."""
    if sources_dir.exists() and not sources_dir.is_dir():
        raise WorkspaceError(f"{sources_dir} is not a folder: the archive of evidence files needs that name; "
                             "move the file away and try again")
    try:
        sources_dir.mkdir(parents=True, exist_ok=True)
        for attempt in range(3):
            try:
                fd, tmp = tempfile.mkstemp(prefix=leftovers.prefix(leftovers.STAGING),
                                           dir=leftovers.staging_dir(sources_dir))
                break
            except FileNotFoundError:  # another command removed the emptied staging folder meanwhile
                if attempt == 2:
                    raise
    except OSError as exc:
        raise WorkspaceError(f"cannot write to the archive {sources_dir}: {exc.strerror or exc}; "
                             "nothing was changed") from exc
    try:
        os.fchmod(fd, 0o666 & ~umask())
    except OSError:
        os.close(fd)
        Path(tmp).unlink(missing_ok=True)
        raise
    return fd, Path(tmp)


def stage_bytes(sources_dir: Path, data: bytes, *, name: str, media_type: str) -> StagedFile:
    """Stage bytes already in memory (a fetched page) the way ``stage`` stages a file."""
    sha = hashlib.sha256(data).hexdigest()
    fd, tmp = new_staging_file(sources_dir)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    file_name = archive_name(sha, name)
    return StagedFile(sha256=sha, size=len(data), file_name=file_name, media_type=media_type,
                      tmp_path=tmp, target=sources_dir / file_name)


def archived_path(sources_dir: Path, file_name: str) -> Path:
    if "/" in file_name or "\\" in file_name or file_name.startswith("."):
        raise InvalidInput(f"bad archive name {file_name!r}")
    return sources_dir / file_name


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def is_text(media_type: str | None) -> bool:
    return bool(media_type) and media_type.startswith(TEXT_TYPES)


def read_archived_text(sources_dir: Path, file_name: str, media_type: str | None) -> str | None:
    """The archived file as text, or None when it is not a text file (a PDF, an image)."""
    return file_text(archived_path(sources_dir, file_name), media_type)


def file_text(path: Path, media_type: str | None) -> str | None:
    """A file's text (an HTML page reduced to what a reader sees), or None when it is missing or
    not text. Excerpts are checked against this, for archived and staged files alike."""
    if not path.is_file():
        return None
    if not is_text(media_type):
        with path.open("rb") as f:  # a PDF or an image is recognised from its first bytes, not read whole
            if b"\x00" in f.read(8192):
                return None
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if media_type in ("text/html", "application/xhtml+xml"):
        text = html_to_text(text)
    return text


def html_to_text(markup: str) -> str:
    """Visible text of an HTML page, so excerpts can be checked against what a reader saw."""
    from html import unescape
    from html.parser import HTMLParser

    class _Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self._skip = 0

        def handle_starttag(self, tag, attrs):  # noqa: ANN001
            if tag in ("script", "style"):
                self._skip += 1
            elif tag in ("p", "br", "div", "li", "h1", "h2", "h3", "tr", "blockquote"):
                self.parts.append("\n")

        def handle_endtag(self, tag):  # noqa: ANN001
            if tag in ("script", "style") and self._skip:
                self._skip -= 1

        def handle_data(self, data):  # noqa: ANN001
            if not self._skip:
                self.parts.append(data)

    parser = _Text()
    parser.feed(markup)
    return unescape("".join(parser.parts))


def read_article_file(path: Path) -> str:
    """An article's text from a file: UTF-8 text only, size bounded, clear refusals."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"article file {str(path)!r} does not exist or is not a file")
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise InvalidInput(f"article file {path.name!r} is {size // (1024 * 1024)} MB; the limit is "
                           f"{MAX_ARTICLE_BYTES // (1024 * 1024)} MB of text")
    data = path.read_bytes()
    if b"\x00" in data:
        raise InvalidInput(f"article file {path.name!r} is binary, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"article file {path.name!r} is not UTF-8 text (byte {exc.start})") from exc
    if not text.strip():
        raise InvalidInput(f"article file {path.name!r} is empty")
    return text.replace("\r\n", "\n")
