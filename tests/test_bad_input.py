"""Bad input, on both backends: whatever arrives in a command's arguments or an import file, the
command ends with exit 0, 1 or 2 and at most one error line, never a traceback, and a refused
command leaves every table (and the sources/ archive) exactly as it was.

Also: binary, huge and endless files offered as articles or sources are refused with memory
bounded; archived files are named by their content hash only; terminal escapes and markup in
user text never reach the terminal raw.
"""

from __future__ import annotations

import json
import re
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.errors import InvalidInput
from tests.conftest import snapshot_tables

FUZZ = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Any text a shell or a script can hand over: control characters, escapes, markup, accents,
# undecodable bytes (lone surrogates, as Python receives them from argv), NUL.
NASTY = ["\x1b[31m", "\x1b]0;title\x07", "[bold]", "[/]", "\x9b2J", "\u202e", "\x00", "\udcff", "'", '"',
         "%s", "{0}", "--", "-", "../", "..\\", "~", "$(id)", "\n", "\t", " ", "", "é", "“", "ﬁ", "𝔘"]
TEXT = st.one_of(
    st.text(st.characters(codec=None, exclude_categories=()), max_size=30),
    st.lists(st.sampled_from(NASTY), max_size=4).map("".join),
)
IDS = st.one_of(st.sampled_from(["1", "2", "0", "-1", "999999999999999999999", "1.5", "x"]), TEXT)
STATUSES = st.one_of(st.sampled_from(["verified", "in_progress", "false", "disputed", "VERIFIED"]), TEXT)
DATES = st.one_of(st.sampled_from(["2024-06-19", "18 juin", "June 19, 2024", "2024-02-30", "31/31/2024"]), TEXT)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")

VERBS = {
    "article add": lambda d: st.tuples(st.just(["article", "add"]), st.one_of(st.just(d["fr"]), TEXT),
                                       st.just("--title"), TEXT, st.just("--published"), DATES,
                                       st.just("--outlet"), TEXT),
    "article show": lambda d: st.tuples(st.just(["article", "show"]), IDS),
    "article state": lambda d: st.tuples(st.just(["article", "state"]), IDS,
                                         st.one_of(st.sampled_from(["draft", "published", "in_review"]), TEXT),
                                         st.just("--note"), TEXT),
    "claim add": lambda d: st.tuples(st.just(["claim", "add", "--article"]), IDS, st.just("--quote"),
                                     st.one_of(st.just("Le traité prévoit"), TEXT), st.just("--claimant"), TEXT,
                                     st.just("--date"), DATES, st.just("--text"), TEXT),
    "claim link": lambda d: st.tuples(st.just(["claim", "link"]), IDS, st.just("--article"), IDS,
                                      st.just("--quote"), TEXT),
    "claim unlink": lambda d: st.tuples(st.just(["claim", "unlink"]), IDS, st.just("--note"), TEXT),
    "claim edit": lambda d: st.tuples(st.just(["claim", "edit"]), IDS, st.just("--text"), TEXT,
                                      st.just("--claimant"), TEXT, st.just("--date"), DATES,
                                      st.just("--kind"), st.one_of(st.sampled_from(["assertion", "attribution"]), TEXT),
                                      st.just("--note"), TEXT, st.just("--expect-version"), IDS),
    "claim confirm": lambda d: st.tuples(st.just(["claim", "confirm"]), IDS, st.just("--note"), TEXT),
    "citation retract": lambda d: st.tuples(st.just(["citation", "retract"]), IDS, st.just("--note"), TEXT),
    "claim list": lambda d: st.tuples(st.just(["claim", "list", "--status"]), STATUSES, st.just("--after"), IDS),
    "claim show": lambda d: st.tuples(st.just(["claim", "show"]), IDS),
    "status": lambda d: st.tuples(st.just(["status"]), IDS, STATUSES, st.just("--note"), TEXT,
                                  st.just("--expect-version"), IDS),
    "source add": lambda d: st.tuples(st.just(["source", "add", "--title"]), TEXT, st.just("--url"), TEXT,
                                      st.just("--published"), DATES, st.just("--accessed"), DATES,
                                      st.just("--reliability"), st.one_of(st.sampled_from(["a", "B", "Z"]), TEXT)),
    "source show": lambda d: st.tuples(st.just(["source", "show"]), IDS),
    "cite": lambda d: st.tuples(st.just(["cite"]), IDS, IDS, st.just("--stance"),
                                st.one_of(st.sampled_from(["supports", "refutes", "context"]), TEXT),
                                st.just("--excerpt"), TEXT, st.just("--locator"), TEXT),
    "search": lambda d: st.tuples(st.just(["search"]), TEXT),
    "open": lambda d: st.tuples(st.just(["open"]), IDS),
    "audit": lambda d: st.tuples(st.just(["audit"]), IDS, st.just("--as-of"), DATES),
    "verify": lambda d: st.tuples(st.just(["verify", "--known-head"]), TEXT),
    "export": lambda d: st.tuples(st.just(["export"]), IDS, st.just("--format"),
                                  st.one_of(st.sampled_from(["md", "csv", "json"]), TEXT), st.just("--style"), TEXT),
    "restore": lambda d: st.tuples(st.just(["restore"]), TEXT),
    "anything": lambda d: st.lists(TEXT, max_size=5).map(lambda xs: (xs,)),
}


def _argv(parts: tuple) -> list[str]:
    argv: list[str] = []
    for p in parts:
        argv.extend(p if isinstance(p, list) else [str(p)])
    return argv


def assert_clean(r, argv) -> None:  # noqa: ANN001
    assert r.code in (0, 1, 2), (argv, r.code, r.err)
    assert "Traceback" not in r.err, (argv, r.err)
    if r.code == 1:
        lines = r.err.strip().splitlines()
        verdict = not lines and argv and argv[0] in ("audit", "verify") and r.out  # "not publishable" / "broken"
        assert verdict or (len(lines) == 1 and lines[0].startswith("error: ")), (argv, r.err)
    if r.code == 2:
        assert sum(1 for line in r.err.splitlines() if line.lower().startswith("error")) == 1, (argv, r.err)
    for stream in (r.out, r.err):
        assert not CONTROL.search(stream.replace("\n", "").replace("\t", "")), (argv, stream)


def archive_state(workspace: Path) -> list[str]:
    folder = workspace / "sources"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def seeded(lg, run, article_files):
    a = lg.add_article(title="Visite", file=article_files["fr"], published="2024-06-19")
    lg.add_claim(article_id=a, quote="Le traité prévoit une assistance mutuelle")
    s = lg.add_source(title="Briefing", file=article_files["evidence"])
    lg.cite(claim_id=1, source_id=s, stance="context")
    return lg


@pytest.mark.parametrize("verb", sorted(VERBS))
def test_random_arguments_never_crash_nor_write_half(seeded, run, workspace, article_files, verb):
    files = {k: str(v) for k, v in article_files.items()}

    @FUZZ
    @given(parts=VERBS[verb](files))
    def check(parts):
        argv = _argv(parts)
        before, archive = snapshot_tables(seeded), archive_state(workspace)
        r = run(argv)
        assert_clean(r, argv)
        if r.code != 0:
            assert snapshot_tables(seeded) == before, argv
            assert archive_state(workspace) == archive, argv

    check()


# ------------------------------------------------------------------ import files
IMPORT_TEXT = st.one_of(
    st.text(st.characters(codec=None), max_size=200),
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
    st.lists(st.sampled_from(['{', '}', '[', ']', '"format"', ':', '"claim-ledger"', ',', '"claims"', '1', 'null',
                              '"\\u0000"', '"\\udcff"', '\x1b[31m', 'text,status\n', '=cmd|calc', '"@context"',
                              '"ClaimReview"', '"claimReviewed"', '\n']), max_size=30).map("".join),
)


@pytest.mark.parametrize("fmt", ["json", "csv", "claimreview"])
def test_random_import_files_never_crash_nor_write_half(seeded, run, workspace, tmp_path, fmt):
    @FUZZ
    @given(content=IMPORT_TEXT, strict=st.booleans())
    def check(content, strict):
        path = tmp_path / f"in.{fmt}"
        path.write_bytes(content.encode("utf-8", "surrogateescape"))
        before = snapshot_tables(seeded)
        argv = ["import", str(path), "--format", fmt] + (["--strict"] if strict else [])
        r = run(argv)
        assert_clean(r, argv)
        if r.code != 0:
            assert snapshot_tables(seeded) == before, (argv, content)

    check()


def test_damaged_json_export_restores_whole_or_not_at_all(seeded, run, workspace, tmp_path):
    """Cut a real export anywhere, or change one character: restoring it into an empty ledger
    gives all of it or nothing."""
    assert run(["export", "--all", "--format", "json", "-o", str(tmp_path / "good.json")]).code == 0
    good = (tmp_path / "good.json").read_text(encoding="utf-8")
    empty_db = tmp_path / "empty" / "ledger.db"
    empty_db.parent.mkdir()

    @FUZZ
    @given(cut=st.integers(0, len(good) - 1), change=st.sampled_from(["cut", "flip", "drop"]))
    def check(cut, change):
        damaged = {"cut": good[:cut], "flip": good[:cut] + chr((ord(good[cut]) + 1) % 0x250 or 1) + good[cut + 1:],
                   "drop": good[:cut] + good[cut + 1:]}[change]
        path = tmp_path / "damaged.json"
        path.write_text(damaged, encoding="utf-8", errors="surrogateescape")
        r = run(["--db", str(empty_db), "import", str(path), "--format", "json", "--strict"])
        assert_clean(r, change)
        from ledger.services.ledger import open_ledger

        other = open_ledger(str(empty_db))
        try:
            rows = snapshot_tables(other)
            if r.code == 0:
                assert len(rows["event"]) == len(snapshot_tables(seeded)["event"])
                # put it back to empty for the next example
                from ledger.services.backup import _empty

                with other.db.write() as conn:
                    _empty(conn)
            else:
                assert not any(rows[t] for t in ("article", "claim", "source", "event"))
        finally:
            other.close()

    check()


# -------------------------------------------------------- binary, huge, endless
def sparse(path: Path, size: int) -> Path:
    with path.open("wb") as f:
        f.truncate(size)
    return path


def peak_while(fn) -> int:  # noqa: ANN001
    tracemalloc.start()
    try:
        fn()
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


MB = 1024 * 1024


@pytest.mark.parametrize("case, expected", [
    ("huge", "the limit is 5 MB"),
    ("binary", "binary, not text"),
    ("latin1", "not UTF-8"),
    ("empty", "is empty"),
    ("device", "not a file"),
    ("folder", "not a file"),
])
def test_bad_article_files_refused_with_memory_bounded(seeded, run, tmp_path, case, expected):
    path = tmp_path / f"article-{case}.txt"
    if case == "huge":
        sparse(path, 50 * MB)
    elif case == "binary":
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)
    elif case == "latin1":
        path.write_bytes("Le président a déclaré".encode("latin-1"))
    elif case == "empty":
        path.write_text("  \n\n")
    elif case == "device":
        path = Path("/dev/zero")  # endless: must not be read at all
    elif case == "folder":
        path = tmp_path
    before = snapshot_tables(seeded)
    result = {}
    peak = peak_while(lambda: result.setdefault("r", run(["article", "add", str(path), "--title", "T"])))
    r = result["r"]
    if case == "folder":  # the command line's own check: a usage error (exit 2)
        assert r.code == 2 and "is a directory" in r.err, r.err
    else:
        assert r.code == 1 and expected in r.err, r.err
        assert len(r.err.strip().splitlines()) == 1
    assert snapshot_tables(seeded) == before
    assert peak < 2 * MB, peak


def test_huge_source_refused_and_archive_untouched(seeded, run, workspace, tmp_path):
    from ledger.services.archive import MAX_SOURCE_BYTES

    path = sparse(tmp_path / "scan.pdf", MAX_SOURCE_BYTES + 1)
    before, archive = snapshot_tables(seeded), archive_state(workspace)
    result = {}
    peak = peak_while(lambda: result.setdefault("r", run(["source", "add", "--file", str(path), "--title", "Scan"])))
    r = result["r"]
    assert r.code == 1 and "larger than 50 MB" in r.err, r.err
    assert snapshot_tables(seeded) == before and archive_state(workspace) == archive
    assert peak < 2 * MB, peak
    r = run(["source", "add", "--file", "/dev/zero", "--title", "Endless"])
    assert r.code == 1 and "not a file" in r.err


def test_source_at_the_limit_is_streamed_with_memory_bounded(seeded, run, workspace, tmp_path):
    """50 MB of binary evidence goes into the archive a chunk at a time, and citing it with an
    excerpt does not read it whole either."""
    from ledger.services.archive import MAX_SOURCE_BYTES, file_sha256

    path = sparse(tmp_path / "recording.bin", MAX_SOURCE_BYTES)
    result = {}
    peak = peak_while(lambda: result.setdefault("r", run(["source", "add", "--file", str(path), "--title", "Rec"])))
    r = result["r"]
    assert r.code == 0, r.err
    assert peak < 2 * MB, peak
    source = seeded.source(int(r.out))
    assert source.size == MAX_SOURCE_BYTES
    assert file_sha256(workspace / "sources" / source.file_name) == source.sha256
    assert not [p for p in (workspace / "sources").iterdir() if p.name.startswith(".staging")]
    peak = peak_while(lambda: result.update(c=run(["cite", "1", str(source.id), "--stance", "context",
                                                   "--excerpt", "a passage", "--locator", "12:30"])))
    assert result["c"].code == 0, result["c"].err
    assert peak < 2 * MB, peak


# -------------------------------------------------------------- the archive
ODD_NAMES = ["evil.txt;rm -rf ~", "..hidden.txt", "a.tar.gz", "name with spaces.PDF", "noextension",
             "x.<script>", "weird.ext123456789", "ünïcode.html", "-dash.txt", "back\\slash..txt"]


def test_archive_names_come_from_content_only(seeded, run, workspace, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    before_outside = sorted(p.name for p in workspace.iterdir())
    for i, name in enumerate(ODD_NAMES):
        path = outside / name
        path.write_text(f"evidence number {i}\n", encoding="utf-8")
        r = run(["source", "add", "--file", str(path), "--title", f"Odd {i}"])
        assert r.code == 0, (name, r.err)
    # the same content under another name is archived once
    twin = outside / "copy-of-first.txt"
    twin.write_text("evidence number 0\n", encoding="utf-8")
    assert run(["source", "add", "--file", str(twin), "--title", "Twin"]).code == 0
    names = archive_state(workspace)
    assert all(re.fullmatch(r"[0-9a-f]{64}(\.[a-z0-9]{1,8})?", n) for n in names), names
    # the seeded briefing, then one per distinct content (an extension the archive keeps, like
    # .txt, is part of the name, so the twin sits beside its extension-less sibling)
    assert len({n[:64] for n in names}) == 1 + len(ODD_NAMES)
    for row in seeded.list_sources(limit=100):
        if row.file_name:
            assert row.file_name in names and row.file_name.startswith(row.sha256)
    assert sorted(p.name for p in workspace.iterdir()) == before_outside  # nothing written beside the archive


def test_tampered_archive_name_never_reaches_the_filesystem(seeded, run, workspace):
    from sqlalchemy import update

    from ledger.models import Source

    secret = workspace.parent / "secret.txt"
    secret.write_text("not evidence")
    with seeded.db.write() as conn:
        conn.execute(update(Source.__table__).where(Source.__table__.c.id == 1)
                     .values(file_name="../secret.txt", media_type="text/plain"))
    with pytest.raises(InvalidInput):
        seeded.source_text(seeded.source(1))
    r = run(["cite", "1", "1", "--stance", "supports", "--excerpt", "not evidence"])
    assert r.code == 1 and "bad archive name" in r.err
    r = run("verify --json")
    assert r.code == 1
    assert r.json()["file_problems"][0]["problem"] == "unreadable"


def test_changed_evidence_file_is_detected_by_verify(seeded, run, workspace):
    assert run("verify").code == 0
    archived = next((workspace / "sources").iterdir())
    archived.write_text("Transcript. Edited afterwards.\n", encoding="utf-8")
    r = run("verify --json")
    assert r.code == 1
    problem = r.json()["file_problems"][0]
    assert problem["problem"] == "changed" and problem["file"] == archived.name


# ------------------------------------------------------ terminal output, literally
ESC = "\x1b[31m"
MARKUP = "[bold]"


@pytest.fixture
def marked(lg, run, workspace, tmp_path):
    body = f"Le {ESC}président{MARKUP} a déclaré que le traité prévoit une assistance mutuelle.\n"
    (tmp_path / "m.txt").write_text(body, encoding="utf-8")
    a = lg.add_article(title=f"Titre {ESC}rouge{MARKUP}", file=tmp_path / "m.txt", outlet=f"Outlet{ESC}",
                       author=f"Auteur{MARKUP}")
    c = lg.add_claim(article_id=a, quote=f"{ESC}président{MARKUP}", text=f"Claim {ESC}red{MARKUP} rouge",
                     kind="attribution", claimant=f"Porte-parole {ESC}{MARKUP}")
    s = lg.add_source(title=f"Source {ESC}{MARKUP}", url="https://example.org/x", publisher=f"Pub{ESC}")
    lg.cite(claim_id=c, source_id=s, stance="context", excerpt=f"extrait {ESC}{MARKUP}", locator=f"p.{ESC}3")
    lg.set_status(claim_id=c, status="in_progress", note=f"note {ESC}{MARKUP}")
    return {"article": a, "claim": c, "source": s}


READ_COMMANDS = [
    "article list", "article show 1", "claim list", "claim show 1", "source list", "source show 1",
    "search rouge", "search claim", "audit 1", "verify", "export 1 --format md", "export 1 --format csv",
    "export --all --format json", "export 1 --format claimreview", "export --all --format csl", "",
    "article show 1 --json", "claim show 1 --json", "claim list --json", "search rouge --json", "open 1",
]


@pytest.mark.parametrize("command", READ_COMMANDS)
def test_markup_and_escapes_reach_the_terminal_literally(marked, run, command):
    r = run(command)
    assert r.code in (0, 1), r.err  # audit exits 1 when the article is not publishable
    text = r.out + r.err
    assert "\x1b" not in text and "\x9b" not in text, text
    if command.startswith(("article", "claim", "source", "search", "audit", "export 1 --format md")) \
            and "--json" not in command:
        assert "\\x1b" in text, text  # the escape is shown, visibly, as text
    if command and command.split()[0] in ("article", "claim", "source", "search", "audit"):
        assert MARKUP in text, text  # markup is printed as it was typed, never interpreted
    if "--json" in command or "--format json" in command or "claimreview" in command or "csl" in command:
        json.loads(r.out)  # JSON output stays valid, escapes encoded as \u001b


def test_every_command_that_shows_user_text_is_covered():
    """A new list/show/read command must join READ_COMMANDS."""
    import click

    from ledger.cli import cli

    def leaves(cmd, prefix=()):  # noqa: ANN001, ANN202
        if isinstance(cmd, click.Group):
            for name, sub in cmd.commands.items():
                yield from leaves(sub, prefix + (name,))
        else:
            yield " ".join(prefix)

    covered = {" ".join(c.split()[:2]) if c.split()[:1] in (["article"], ["claim"], ["source"]) else
               (c.split()[0] if c else "") for c in READ_COMMANDS}
    writes = {"article add", "article state", "article update", "claim add", "claim link", "claim unlink", "status",
              "source add", "cite", "demo", "import", "backup", "restore", "claim edit", "claim confirm",
              "citation retract"}  # covered by the fuzz above
    missing = sorted(set(leaves(cli)) - covered - writes)
    assert not missing, missing


def test_write_commands_echo_user_text_literally(seeded, run, tmp_path):
    r = run(["status", "1", "in_progress", "--note", f"checking {ESC}{MARKUP}"])
    assert r.code == 0 and "\x1b" not in r.out
    r = run(["status", "1", f"{ESC}bogus", "--note", "x"])
    assert r.code == 1 and "\x1b" not in r.err and "\\x1b[31m" in r.err
    r = run(["claim", "show", f"{ESC}1"])
    assert r.code == 2 and "\x1b" not in r.err
    r = run([f"{ESC}nonsense"])
    assert r.code == 2 and "\x1b" not in r.err
    r = run(["article", "add", str(tmp_path / f"{ESC}.txt"), "--title", "x"])
    assert r.code == 1 and "\x1b" not in r.err
