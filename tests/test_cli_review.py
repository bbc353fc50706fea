"""Command-line behaviour found in a user review: outputs never overwrite the ledger or its
evidence, read-only commands never create a ledger, clear one-line refusals, lossless exchange."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.conftest import snapshot_tables


@pytest.fixture
def filled(lg, article_files):
    a = lg.add_article(title="Visite", file=article_files["fr"], published="2024-06-19", lang="fr")
    c = lg.add_claim(article_id=a, quote="les premiers missiles nord-coréens ont frappé Kharkiv dès janvier")
    s = lg.add_source(title="Briefing", file=article_files["evidence"], kind="official", reliability="B")
    lg.cite(claim_id=c, source_id=s, stance="supports", excerpt="missiles hit Kharkiv in January")
    return lg


def _files(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# ------------------------------------------------------------- outputs that would destroy data
@pytest.mark.parametrize("command", ["export --all --format json -o", "export 1 --format csv -o",
                                     "backup --format json"])
def test_output_never_replaces_the_ledger_or_archived_evidence(filled, run, workspace, command):
    lg = filled
    archived = next(lg.workspace.sources_dir.iterdir())
    targets = [archived, lg.workspace.sources_dir / "new.txt"]
    if lg.workspace.sqlite_path is not None:
        live = lg.workspace.sqlite_path
        targets += [live, live.with_name(live.name + "-wal"), live.with_name(live.name + "-shm")]
    before, files = snapshot_tables(lg), _files(workspace)
    for target in targets:
        r = run(f"{command} {target} --force" if command.startswith("backup") else f"{command} {target}")
        assert r.code == 1, (target, r.out, r.err)
        assert len(r.err.strip().splitlines()) == 1 and r.err.startswith("error: "), r.err
        assert "ledger itself" in r.err or "sources/ archive" in r.err
    assert snapshot_tables(lg) == before
    after = _files(workspace)
    assert {k: v for k, v in after.items() if not k.endswith(("-wal", "-shm"))} == \
        {k: v for k, v in files.items() if not k.endswith(("-wal", "-shm"))}
    assert not (lg.workspace.sources_dir / "new.txt").exists()


# ------------------------------------------------------------- read-only commands create nothing
READS = ["article list", "article show 1", "claim list", "claim show 1", "source list", "source show 1",
         "search pool", "audit 1", "verify", "export --all --format json", "backup copy.db", ""]


@pytest.mark.parametrize("command", READS)
def test_read_commands_refuse_a_missing_ledger_and_create_nothing(run, tmp_path, monkeypatch, command):
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.delenv("LEDGER_DB")
    for argv in (command, f"--db ledgr.db {command}"):
        r = run(argv)
        assert r.code == 1, (argv, r.out, r.err)
        missing = folder / ("ledgr.db" if "ledgr" in argv else "ledger.db")
        assert r.err == f"error: no ledger at {missing} (create one with `ledger demo` or " \
                        "`ledger article add FILE --title T`)\n"
        assert list(folder.iterdir()) == []


def test_write_commands_still_create_the_ledger(run, tmp_path, monkeypatch, article_files):
    folder = tmp_path / "new"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.delenv("LEDGER_DB")
    r = run(["article", "add", str(article_files["fr"]), "--title", "Visite"])
    assert r.code == 0, r.err
    assert (folder / "ledger.db").is_file()
    assert run("article list").code == 0


@pytest.mark.parametrize("content", ["{not json", '{"format": "something else"}'])
def test_refused_import_into_an_empty_folder_leaves_no_ledger(run, tmp_path, monkeypatch, content):
    folder = tmp_path / "new"
    folder.mkdir()
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    monkeypatch.chdir(folder)
    monkeypatch.delenv("LEDGER_DB")
    r = run(f"import {bad} --format json")
    assert r.code == 1 and r.err.startswith("error: ") and len(r.err.splitlines()) == 1, (r.out, r.err)
    assert list(folder.iterdir()) == []


def test_read_only_list_names_real_commands():
    import click

    from ledger.cli import cli
    from ledger.cli.common import READ_ONLY_COMMANDS

    def leaves(cmd, prefix=()):
        if isinstance(cmd, click.Group):
            if cmd.invoke_without_command and prefix:  # a group that is a command too (ledger verdicts)
                yield " ".join(prefix)
            for name, sub in cmd.commands.items():
                yield from leaves(sub, prefix + (name,))
        else:
            yield " ".join(prefix)

    assert READ_ONLY_COMMANDS <= set(leaves(cli))


# ------------------------------------------------------------- unsupported database locations
@pytest.mark.parametrize("url", ["mysql://u:pw@h/db", "postgresql+asyncpg://h/db", "sqlite://", "ftp://h/x"])
def test_unsupported_database_url_is_one_line(run, url, tmp_path):
    r = run(["--db", url, "article", "list"])
    assert r.code == 1 and r.out == "", r
    assert r.err.startswith("error: unsupported ledger location") and len(r.err.splitlines()) == 1, r.err
    assert "pw" not in r.err and "Traceback" not in r.err


def test_missing_database_driver_is_one_line(run, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "psycopg", None)  # as if the driver were not installed
    r = run(["--db", "postgresql://u:pw@127.0.0.1:9/db", "article", "list"])
    assert r.code == 1 and r.out == "", r
    assert r.err.startswith("error: cannot open postgresql:// ledgers: the database driver is not installed")
    assert len(r.err.splitlines()) == 1 and "pw" not in r.err


# ------------------------------------------------------------- backup into a new folder
def test_backup_to_a_path_ending_with_a_slash_creates_the_folder(filled, run, workspace):
    r = run(f"backup {workspace / 'newdir'}/ --json")
    assert r.code == 0, r.err
    made = Path(r.json()["path"])
    assert (workspace / "newdir").is_dir() and made.parent == (workspace / "newdir").resolve()
    assert made.name.startswith("ledger-") and made.is_file()
    again = run(f"backup {workspace / 'newdir'} --json")  # an existing folder: a second dated file inside
    assert again.code == 0 and Path(again.json()["path"]).parent == made.parent
    assert len(list((workspace / "newdir").iterdir())) == 2


def test_backup_to_a_folder_refused_creates_no_folder(filled, run, workspace):
    (workspace / "plain").write_text("x", encoding="utf-8")
    for target, why in ((f"{workspace / 'plain'}/", "is a file, not a folder"),
                        (f"{workspace / 'no' / 'such'}/", "does not exist"),
                        (f"{filled.workspace.sources_dir / 'inner'}/", "sources/ archive")):
        r = run(f"backup {target}")
        assert r.code == 1 and why in r.err and len(r.err.splitlines()) == 1, (target, r.err)
    assert not (workspace / "no").exists() and not (filled.workspace.sources_dir / "inner").exists()
    assert (workspace / "plain").read_text(encoding="utf-8") == "x"


# ------------------------------------------------------------- CSV keeps every character
def test_csv_file_round_trip_keeps_escape_and_formula_text(lg, run, workspace, article_files):
    a = lg.add_article(title="Visite", file=article_files["fr"], lang="fr")
    text = "\x1b[31m=1+1 red\x1b[0m"
    lg.add_claim(article_id=a, quote="Le traité prévoit une assistance mutuelle", text=text, claimant="=1+1")
    out = workspace / "claims.csv"
    r = run(f"export --all --format csv -o {out}")
    assert r.code == 0, r.err
    raw = out.read_text(encoding="utf-8-sig")
    assert "\x1b[31m" in raw and "\\x1b" not in raw  # the file holds the text exactly
    assert ",'=1+1," in raw  # and still no cell a spreadsheet would evaluate

    other = workspace / "other.db"
    assert run(["--db", str(other), "article", "add", str(article_files["fr"]), "--title", "Visite"]).code == 0
    r = run(["--db", str(other), "import", str(out), "--format", "csv"])
    assert r.code == 0, (r.out, r.err)
    claim = run(["--db", str(other), "claim", "show", "1", "--json"]).json()
    assert claim["text"] == text and claim["claimant"] == "=1+1"


# ------------------------------------------------------------- small wording
def test_search_past_the_last_match_says_so(filled, run):
    assert run("search Kharkiv").out.strip()
    r = run("search Kharkiv --offset 100")
    assert r.code == 0 and r.out == "no more matches after 100\n"
    assert run("search zzzunknown --offset 100").out == "no match for 'zzzunknown'\n"


def test_export_count_is_singular_for_one(filled, run, workspace):
    r = run(f"export --all --format csl -o {workspace / 'one.json'}")
    assert r.code == 0 and r.err.startswith("wrote 1 source to "), r.err
    r = run(f"export --all --format csv -o {workspace / 'rows.csv'}")
    assert r.code == 0 and r.err.startswith("wrote 1 row to "), r.err


def test_verify_names_every_source_sharing_a_missing_file(filled, run, article_files):
    lg = filled
    second = lg.add_source(title="Same briefing, other record", file=article_files["evidence"], kind="official")
    archived = list(lg.workspace.sources_dir.iterdir())
    assert len(archived) == 1  # one file, shared by both sources
    archived[0].unlink()
    r = run("verify")
    assert r.code == 1
    assert f"(sources 1, {second}) is missing from the archive" in r.out, r.out
    problem = run("verify --json").json()["file_problems"][0]
    assert problem["source_ids"] == [1, second]


# ------------------------------------------------------------- imports
def test_reimporting_our_own_csv_export_adds_nothing(filled, run, workspace):
    out = workspace / "claims.csv"
    assert run(f"export --all --format csv -o {out}").code == 0
    before = snapshot_tables(filled)
    r = run(f"import {out} --format csv")
    assert r.code == 0, (r.out, r.err)
    assert "imported nothing" in r.out and "1 already in the ledger" in r.out
    assert "skipped line 2: claim 1 already has this passage of article 1" in r.out
    assert snapshot_tables(filled) == before


@pytest.mark.parametrize("start,end,why", [("x", "9", "must be numbers"), ("5", "", "go together"),
                                           ("0", "999999", "outside the text"), ("9", "3", "outside the text")])
def test_csv_rows_with_bad_offsets_are_reported(filled, run, workspace, start, end, why):
    sheet = workspace / "sheet.csv"
    sheet.write_text("article_id,quote,start,end\r\n"
                     f"1,Le traité prévoit une assistance mutuelle,{start},{end}\r\n"
                     "1,Le traité prévoit aussi une coopération technique,,\r\n", encoding="utf-8")
    r = run(f"import {sheet} --format csv")
    assert r.code == 3, (r.out, r.err)
    assert r.err.startswith("refused line 2: ") and why in r.err and len(r.err.splitlines()) == 1, r.err
    assert "imported 1 claims" in r.out or "imported 1 claim" in r.out


def test_header_only_csv_is_refused(filled, run, workspace):
    sheet = workspace / "empty.csv"
    sheet.write_text("article_id,quote\r\n\r\n", encoding="utf-8")
    before = snapshot_tables(filled)
    r = run(f"import {sheet} --format csv")
    assert r.code == 1 and r.err == "error: empty.csv has a header but no rows; nothing was imported\n", r.err
    assert snapshot_tables(filled) == before


def test_claimreview_without_url_is_imported_once(lg, run, workspace):
    import json

    def review(author: str) -> dict:
        return {"@context": "https://schema.org", "@type": "ClaimReview", "author": {"name": author},
                "datePublished": "2024-06-20", "claimReviewed": "Pyongyang shipped shells to Moscow in 2023.",
                "reviewRating": {"@type": "Rating", "alternateName": "Unproven"}}

    feed = workspace / "feed.jsonl"
    feed.write_text(json.dumps(review("Desk A")) + "\n" + json.dumps(review("Desk B")) + "\n", encoding="utf-8")
    first = run(f"import {feed} --format claimreview")
    assert first.code == 0 and "imported" in first.out and "2 claims" in first.out, (first.out, first.err)
    before = snapshot_tables(lg)
    again = run(f"import {feed} --format claimreview")
    assert again.code == 0, (again.out, again.err)
    assert "2 already in the ledger" in again.out
    assert snapshot_tables(lg) == before
