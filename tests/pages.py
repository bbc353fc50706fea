"""Documents the tests make themselves: a small PDF written by hand, Word drafts written with
python-docx, and the saved news pages in tests/data/pages/."""

from __future__ import annotations

from pathlib import Path

PAGES = Path(__file__).parent / "data" / "pages"


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def body_paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]


def minimal_pdf(lines: list[str], *, title: str | None = None) -> bytes:
    """A one-page PDF with ``lines`` of Helvetica text (WinAnsi encoding, so French accents
    survive), built object by object with a correct cross-reference table."""
    def literal(s: str) -> bytes:
        raw = s.encode("cp1252")
        return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"

    stream = b"BT /F1 12 Tf 14 TL 72 740 Td " + b" ".join(literal(line) + b" Tj T*" for line in lines) + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    if title:
        objects.append(b"<< /Title " + literal(title) + b" >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    info = b" /Info %d 0 R" % len(objects) if title else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, info, xref)
    return bytes(out)


def write_docx(path: Path, paragraphs: list[str], *, title: str | None = None, author: str | None = None,
               language: str | None = None, heading: str | None = None, link: tuple[str, str] | None = None) -> Path:
    """A Word draft: an optional heading, paragraphs (the second with bold and italic runs), and an
    optional paragraph holding a hyperlink (text, address)."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    if heading:
        document.add_heading(heading, level=1)
    for n, text in enumerate(paragraphs):
        p = document.add_paragraph()
        if n == 1 and " " in text:
            first, rest = text.split(" ", 1)
            p.add_run(first).bold = True
            p.add_run(" ")
            p.add_run(rest).italic = True
        else:
            p.add_run(text)
    if link:
        words, address = link
        p = document.add_paragraph("Voir ")
        rel = p.part.relate_to(address, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        hyperlink = OxmlElement("w:hyperlink")
        hyperlink.set(qn("r:id"), rel)
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = words
        run.append(text)
        hyperlink.append(run)
        p._p.append(hyperlink)
    props = document.core_properties
    if title:
        props.title = title
    if author:
        props.author = author
    if language:
        props.language = language
    document.save(path)
    return path
