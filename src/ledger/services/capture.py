"""Fetching web evidence and keeping it as it was served.

``fetch(url)`` asks for a page with httpx (redirects followed and the final address kept,
connect and read timeouts, a size limit, the content type checked); any failure — no such host,
a refused connection, a 404, a timeout, too big, not a page — is one ``InvalidInput`` line and
nothing is written. ``stage_capture`` then writes the exchange as a gzipped WARC file (warcio: a
``request`` record and a ``response`` record with the status line, headers and body, both
stamped with the fetch time) staged in ``sources/`` under its SHA-256, and reads the page's
text (trafilatura for HTML, pypdf for PDF, as is for text) and metadata for the source.

Limits: ``LEDGER_FETCH_TIMEOUT`` (seconds, default 20; connecting gets at most 10) and
``LEDGER_FETCH_MAX_BYTES`` (default 20 MB) override the defaults.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from ledger import __version__ as LEDGER_VERSION
from ledger.errors import InvalidInput
from ledger.services.archive import StagedFile
from ledger.text.extract import DOCX_TYPE, HTML_TYPES, MARKDOWN_TYPES, PDF_TYPE, Document, extract

DEFAULT_TIMEOUT = 20.0
CONNECT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 10
WARC_TYPE = "application/warc"
PAGE_TYPES = HTML_TYPES + MARKDOWN_TYPES + ("text/plain", PDF_TYPE, "application/json", "application/xml",
                                            "text/xml", DOCX_TYPE)
USER_AGENT = f"ClaimLedger/{LEDGER_VERSION} (newsroom fact-checking; evidence capture)"


def _setting(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise InvalidInput(f"{name} must be a number, not {raw!r}") from None
    if value <= 0:
        raise InvalidInput(f"{name} must be positive, not {raw!r}")
    return value


@dataclass
class Fetched:
    url: str
    final_url: str
    status: int
    reason: str
    http_version: str
    request_headers: list[tuple[str, str]]
    headers: list[tuple[str, str]]
    body: bytes
    media_type: str
    fetched_at: str  # ISO 8601 UTC with microseconds, like event times
    redirects: list[str] = field(default_factory=list)

    @property
    def fetched_day(self) -> date:
        return date.fromisoformat(self.fetched_at[:10])


def _fail(url: str, why: str) -> InvalidInput:
    return InvalidInput(f"cannot fetch {url}: {why}; nothing was changed")


def fetch(url: str, *, accept: tuple[str, ...] = PAGE_TYPES, timeout: float | None = None,
          max_bytes: int | None = None) -> Fetched:
    """GET ``url``; the response as it came, or one clear refusal."""
    import httpx

    read_timeout = timeout or _setting("LEDGER_FETCH_TIMEOUT", DEFAULT_TIMEOUT)
    limit = int(max_bytes or _setting("LEDGER_FETCH_MAX_BYTES", DEFAULT_MAX_BYTES))
    limits = httpx.Timeout(read_timeout, connect=min(CONNECT_TIMEOUT, read_timeout))
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate",
               "Accept": "text/html,application/xhtml+xml,application/pdf,text/plain;q=0.9,*/*;q=0.5"}
    stamp = datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")
    try:
        with httpx.Client(follow_redirects=True, max_redirects=MAX_REDIRECTS, timeout=limits, headers=headers,
                          verify=_tls_context()) as client:
            with client.stream("GET", url) as response:
                if response.status_code >= 400:
                    raise _fail(url, f"the server answered {response.status_code} {response.reason_phrase}".rstrip())
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > limit:
                    raise _fail(url, f"the page is {int(declared) // 1024} KB, over the {limit // 1024} KB limit")
                media = response.headers.get("content-type", "").split(";")[0].strip().lower()
                if media and media not in accept:
                    raise _fail(url, f"it is {media}, not a page the ledger can read "
                                     "(HTML, text, PDF)")
                chunks, size = [], 0
                for chunk in response.iter_raw():
                    size += len(chunk)
                    if size > limit:
                        raise _fail(url, f"the page is over the {limit // 1024} KB limit")
                    chunks.append(chunk)
                body = b"".join(chunks)
                request = response.request
                return Fetched(url=url, final_url=str(response.url), status=response.status_code,
                               reason=response.reason_phrase, http_version=response.http_version,
                               request_headers=list(request.headers.multi_items()),
                               headers=list(response.headers.multi_items()), body=body,
                               media_type=media or "application/octet-stream", fetched_at=stamp,
                               redirects=[str(r.url) for r in response.history])
    except httpx.TooManyRedirects:
        raise _fail(url, f"more than {MAX_REDIRECTS} redirects") from None
    except httpx.TimeoutException:
        raise _fail(url, f"no answer within {read_timeout:g} s (timed out)") from None
    except httpx.ConnectError as exc:
        raise _fail(url, _connect_reason(exc)) from None
    except httpx.HTTPError as exc:
        raise _fail(url, str(exc) or type(exc).__name__) from None


_TLS = None


def _tls_context():  # noqa: ANN202 - ssl.SSLContext
    """The certificate store (certifi's, as httpx uses by default), loaded once per process:
    loading it costs more than a loopback fetch."""
    global _TLS
    if _TLS is None:
        import ssl

        import certifi

        _TLS = ssl.create_default_context(cafile=certifi.where())
    return _TLS


def _connect_reason(exc: Exception) -> str:
    text = str(exc)
    lowered = text.lower()
    if "name or service not known" in lowered or "nodename nor servname" in lowered or "getaddrinfo" in lowered \
            or "no address associated" in lowered or "temporary failure in name resolution" in lowered:
        return "no such host"
    if "refused" in lowered:
        return "the connection was refused"
    return text or "cannot connect"


def body_as_served(fetched: Fetched, *, limit: int | None = None) -> bytes:
    """The body a reader got. The WARC keeps the bytes as sent (compressed, when the server
    compressed them); this is that body decoded, bounded by the size limit."""
    encoding = dict((k.lower(), v) for k, v in fetched.headers).get("content-encoding", "").strip().lower()
    if encoding in ("", "identity"):
        return fetched.body
    import zlib

    bound = int(limit or _setting("LEDGER_FETCH_MAX_BYTES", DEFAULT_MAX_BYTES))
    wbits = {"gzip": 47, "x-gzip": 47, "deflate": 15}.get(encoding)
    if wbits is None:
        raise _fail(fetched.url, f"the page is {encoding}-compressed, which the ledger cannot read")
    try:
        decoder = zlib.decompressobj(wbits)
        body = decoder.decompress(fetched.body, bound + 1)
    except zlib.error:
        if encoding != "deflate":
            raise _fail(fetched.url, "its compressed body is corrupt") from None
        body = zlib.decompressobj(-zlib.MAX_WBITS).decompress(fetched.body, bound + 1)  # raw deflate
    if len(body) > bound:
        raise _fail(fetched.url, f"the page is over the {bound // 1024} KB limit once decompressed")
    return body


def warc_bytes(fetched: Fetched) -> bytes:
    """The exchange as a gzipped WARC: the request, then the response (status, headers, body)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    version = fetched.http_version or "HTTP/1.1"  # the response's protocol, as the server spoke it
    sent = "HTTP/2" if version.startswith("HTTP/2") else "HTTP/1.1"  # what httpx sent
    warc_date = fetched.fetched_at[:19] + "Z"
    parts = urlsplit(fetched.final_url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request = writer.create_warc_record(
        fetched.final_url, "request", payload=io.BytesIO(b""),
        http_headers=StatusAndHeaders(f"GET {path} {sent}", fetched.request_headers, is_http_request=True),
        warc_headers_dict={"WARC-Date": warc_date})
    # the body is stored de-chunked: its framing header is kept under another name, as archives do
    headers = [("X-Archive-Orig-Transfer-Encoding" if k.lower() == "transfer-encoding" else k, v)
               for k, v in fetched.headers]
    response = writer.create_warc_record(
        fetched.final_url, "response", payload=io.BytesIO(fetched.body), length=None,
        http_headers=StatusAndHeaders(f"{fetched.status} {fetched.reason}".strip(), headers, protocol=version),
        warc_headers_dict={"WARC-Date": warc_date, "WARC-Concurrent-To": request.rec_headers.get_header("WARC-Record-ID")})
    writer.write_record(request)
    writer.write_record(response)
    return out.getvalue()


@dataclass
class StagedCapture:
    fetched: Fetched
    staged: StagedFile
    document: Document | None  # the page read (None when it has no readable text)
    body_sha256: str

    @property
    def text(self) -> str | None:
        return self.document.text if self.document is not None else None

    def columns(self) -> dict[str, object]:
        """The capture table's columns for this fetch."""
        text = self.text
        return {"url": self.fetched.url, "final_url": self.fetched.final_url, "status": self.fetched.status,
                "fetched_at": self.fetched.fetched_at, "media_type": self.fetched.media_type,
                "size": len(self.fetched.body), "body_sha256": self.body_sha256,
                "warc_file": self.staged.file_name, "warc_sha256": self.staged.sha256, "text": text,
                "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest() if text is not None else None}

    def source_columns(self) -> dict[str, object]:
        """What the source row says of its archived copy: the WARC of its latest capture."""
        return {"sha256": self.staged.sha256, "file_name": self.staged.file_name, "media_type": WARC_TYPE,
                "size": self.staged.size, "accessed": self.fetched.fetched_day}


def stage_capture(sources_dir: Path, fetched: Fetched) -> StagedCapture:
    """Write the WARC of ``fetched`` into ``sources/`` under a temporary name (moved into place
    once the ledger transaction commits) and read the page."""
    data = warc_bytes(fetched)
    sha = hashlib.sha256(data).hexdigest()
    sources_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".staging-", dir=sources_dir)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    name = f"{sha}.warc.gz"
    staged = StagedFile(sha256=sha, size=len(data), file_name=name, media_type=WARC_TYPE, tmp_path=Path(tmp),
                        target=sources_dir / name)
    body = body_as_served(fetched)
    try:
        document = extract(body, media_type=fetched.media_type, url=fetched.final_url)
    except InvalidInput:
        document = None  # a scanned PDF, an empty page: archived, but no text to check excerpts against
    return StagedCapture(fetched=fetched, staged=staged, document=document,
                         body_sha256=hashlib.sha256(body).hexdigest())
