"""What the ledger writes, on both backends: an output only ever replaces a regular file; whatever
goes to standard output (plain, ``--json``, every export format) carries no character a terminal
obeys (C0/C1 controls, DEL, bidi overrides), while files keep the exact text; CSV cells cannot
start a formula; Markdown reports make no link of bare URLs in user text; archived files honour
the umask.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
from pathlib import Path

import pytest

from ledger.services.export.csv_export import neutralise, restore_cell
from ledger.services.ledger import open_ledger

# what a terminal obeys, inside user text: CSI, OSC, NEL (C1); DEL; bidi override, isolate, marks; ESC
NASTY = "A\x9b2JB\x9d0;owned\x07C\x85D\x7fE\u202eF\u2066G\u200fH\u061cI\x1b[31mJ"
RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _device(path: Path) -> Path | None:
    """A character device node of our own (the same as /dev/null), or None where we may not make one."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError, OSError):
        return None
    return path


def _special_targets(tmp_path: Path) -> dict[str, Path]:
    victim = tmp_path / "victim.txt"
    victim.write_text("not to be touched\n")
    targets = {}
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    targets["a FIFO (named pipe)"] = fifo
    link = tmp_path / "link.json"
    link.symlink_to(victim)
    targets["a symbolic link"] = link
    folder = tmp_path / "folder.json"
    folder.mkdir()
    targets["a folder"] = folder
    if device := _device(tmp_path / "device"):
        targets["a character device"] = device
    return targets


def _kind(path: Path) -> int:
    return stat.S_IFMT(os.lstat(path).st_mode)


@pytest.fixture
def nasty_ledger(lg, article_files) -> dict[str, int]:
    body = f"Kim said {NASTY} on Wednesday. The pact was signed.\n"
    article_id = lg.add_article(title=f"Title {NASTY}", body=body, outlet=f"Outlet {NASTY}")
    claim_id = lg.add_claim(article_id=article_id, quote=f"Kim said {NASTY} on Wednesday", claimant=f"Kim {NASTY}")
    source_id = lg.add_source(title=f"Source {NASTY}", url="https://example.org/briefing", file=article_files["evidence"], fetch=False)
    lg.cite(claim_id=claim_id, source_id=source_id, stance="supports")
    return {"article": article_id, "claim": claim_id, "source": source_id}


# ------------------------------------------------------------------ output paths
def test_outputs_never_replace_anything_but_a_regular_file(run, lg, nasty_ledger, tmp_path):
    targets = _special_targets(tmp_path)
    for what, target in targets.items():
        kind = _kind(target)
        for args in (f"export --all --format json -o {target}", f"backup {target} --format json --force"):
            if what == "a folder" and args.startswith("backup"):
                continue  # a folder given to backup is where its dated file goes
            r = run(args)
            assert r.code in (1, 2) and "Traceback" not in r.err and len(r.err.strip().splitlines()) == 1, (args, r)
            if what != "a folder":  # export -o a folder is a usage error of its own
                assert r.err.strip() == (f"error: {str(target)!r} is {what}; an output only replaces a regular file, "
                                         "nothing was written"), r.err
            assert _kind(target) == kind, f"{args} changed what {target} is"
    assert (tmp_path / "victim.txt").read_text() == "not to be touched\n"  # a link's target is not written either
    # a regular file is still replaced, and a new one written
    plain = tmp_path / "plain.json"
    plain.write_text("old")
    assert run(f"export --all --format json -o {plain}").code == 0
    assert json.loads(plain.read_text())["format"]
    assert run(f"backup {tmp_path / 'new.json'} --format json").code == 0


def test_tui_export_refuses_special_targets(lg, nasty_ledger, tmp_path):
    from ledger.errors import InvalidInput
    from ledger.tui.screens.export import export_to_file

    for what, target in _special_targets(tmp_path).items():
        kind = _kind(target)
        with pytest.raises(InvalidInput, match=re.escape(f"is {what}")):
            export_to_file(lg, "md", target, article_id=None)
        assert _kind(target) == kind


# ------------------------------------------------------------------ standard output
def test_plain_and_json_output_never_carry_what_a_terminal_obeys(run, nasty_ledger):
    ids = nasty_ledger
    for args in (f"claim show {ids['claim']}", "claim list", f"article show {ids['article']}", "article list",
                 f"source show {ids['source']}", "source list", "search Kim"):
        for suffix in ("", " --json"):
            r = run(args + suffix)
            assert r.code == 0, (args, r)
            assert not RAW.search(r.out), (args + suffix, RAW.findall(r.out))
            if suffix:
                json.loads(r.out)  # still one JSON value
    shown = run(f"claim show {ids['claim']}").out
    assert "\\x9b2J" in shown and "\\u202e" in shown and "\\x7f" in shown
    data = run(f"claim show {ids['claim']} --json").json()
    assert data["claimant"] == f"Kim {NASTY}"  # JSON escapes keep the exact text


@pytest.mark.parametrize("fmt", ["json", "claimreview", "csl", "md", "html", "csv"])
def test_exports_to_stdout_are_escaped_and_files_keep_exact_text(run, lg, nasty_ledger, tmp_path, fmt):
    r = run(f"export --all --format {fmt}")
    assert r.code == 0, r
    assert not RAW.search(r.out), RAW.findall(r.out)
    target = tmp_path / f"out.{fmt}"
    assert run(f"export --all --format {fmt} -o {target}").code == 0
    exact = target.read_text(encoding="utf-8")
    if fmt in ("json", "claimreview", "csl"):
        assert json.loads(r.out) == json.loads(exact)  # the same value, escaped only on stdout
        assert "\u202e" in exact and "\x9b" in exact
    elif fmt in ("md", "html"):
        assert "&#x202e;" in r.out  # rendered, the same text; printed, inert
    else:
        assert "\x9b" in exact and "\\x9b" in r.out and "\\u202e" in r.out


def test_csv_to_stdout_never_writes_a_bare_carriage_return(run, lg):
    article_id = lg.add_article(title="Line one\roverwritten", body="The pact was signed.\n")
    lg.add_claim(article_id=article_id, quote="The pact was signed", claimant="a\r\nb\rc")
    r = run("export --all --format csv")
    assert r.code == 0
    assert re.search("\r(?!\n)", r.out) is None, repr(r.out)
    assert "Line one\\x0doverwritten" in r.out
    rows = list(csv.DictReader(io.StringIO(r.out.lstrip("\ufeff"), newline="")))
    assert rows[0]["claimant"] == "a\r\nb\\x0dc"


# ------------------------------------------------------------------ CSV formulas
FORMULAS = ["\uff1d1+1", "\uff0bcmd", "\uff0d5", "\uff20SUM(A1)", " =1+1", "  +1", "\t=1", " \t-x", "\u3000=1",
            "\u00a0@x", "' =1", "'\uff1dx", "\n=1"]


def test_csv_neutralises_full_width_and_blank_prefixed_formulas_losslessly():
    for value in FORMULAS:
        cell = neutralise(value)
        assert cell.startswith("'"), value
        assert restore_cell(cell) == value


def test_csv_export_neutralises_them_and_imports_back(run, lg, tmp_path):
    article_id = lg.add_article(title="\uff1dHYPERLINK(\"http://x\")", body="The pact was signed.\n",
                                outlet=" =cmd|' /C calc'!A0")
    lg.add_claim(article_id=article_id, quote="The pact was signed", claimant="\uff20here", text="\uff0b33 1 23")
    target = tmp_path / "out.csv"
    assert run(f"export --all --format csv -o {target}").code == 0
    row = next(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"), newline="")))
    for column in ("article_title", "article_outlet", "claimant", "claim_text"):
        assert row[column].startswith("'"), (column, row[column])
        assert restore_cell(row[column]) in ("\uff1dHYPERLINK(\"http://x\")", " =cmd|' /C calc'!A0",
                                             "=cmd|' /C calc'!A0",  # an outlet is stored without its edge blanks
                                             "\uff20here", "\uff0b33 1 23")


# ------------------------------------------------------------------ Markdown autolinks
def test_markdown_report_makes_no_link_of_bare_urls_in_user_text(run, lg):
    import cmarkgfm
    from cmarkgfm.cmark import Options

    text = "Read https://evil.example/login and www.evil.example or HTTP://EVIL.example/x and ftp://evil.example"
    article_id = lg.add_article(title=f"Claims {text}", body=f"He wrote {text} today.\n",
                                url="https://example.org/real-article")
    lg.add_claim(article_id=article_id, quote=f"He wrote {text} today", claimant="www.claimant.example")
    r = run(f"export {article_id} --format md")
    assert r.code == 0
    html = cmarkgfm.github_flavored_markdown_to_html(r.out, options=Options.CMARK_OPT_UNSAFE)
    links = re.findall(r'<a href="([^"]*)"', html)
    assert links == ["https://example.org/real-article"], links  # only the article's own URL is a link
    seen = re.sub(r"<[^>]+>", "", html)
    assert text in seen  # the reader sees the same text
    assert "www.claimant.example" in seen


# ------------------------------------------------------------------ umask
@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_archived_files_honour_the_umask(workspace, ledger_db, article_files, mask, mode):
    old = os.umask(mask)
    try:
        lg = open_ledger(ledger_db, actor="tester")
        try:
            source_id = lg.add_source(title="Briefing", file=article_files["evidence"])
            name = lg.source(source_id).file_name
        finally:
            lg.close()
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(workspace / "sources" / name).st_mode) == mode
