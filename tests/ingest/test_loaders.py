"""Loaders: every format, stable relative ids, folders, JSONL records and every failure kind."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest

from ingest.date_rules import DateRules
from ingest.documents import LoadFailure, SkippedFiles, SourceDocument
from ingest.loaders import SUPPORTED_EXTENSIONS, load_sources
from rag.core.errors import ConfigError

ARTICLE_HTML = """<!doctype html>
<html><head>
<title>Harbour reopens after storm | The Daily Planet</title>
<meta property="og:site_name" content="The Daily Planet">
<meta property="article:published_time" content="2021-03-04T08:00:00Z">
<link rel="canonical" href="https://planet.example/harbour">
<style>p { color: red }</style>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<header>Site banner</header>
<article>
  <header><h1>Harbour reopens</h1><p>By Jane Roe</p></header>
  <p>Ships   returned to the
     harbour of Portville on <b>Monday</b>, four days after a storm tore loose two of its
     floating pontoons, <a href="#">officials said</a>.</p>
  <figure><img src="a.jpg"><figcaption>A ship docks.</figcaption></figure>
  <p>Crews cheered from the quay as the first trawler came in.<br>Traders at the fish market
     said they were relieved to have boats again before the spring season.</p>
  <script>track();</script>
  <form><input name="email">Sign up</form>
</article>
<aside>Most read</aside>
<footer>Contact us</footer>
</body></html>
"""


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def load(*paths: Path, field_map: dict[str, str] | None = None) -> list:
    return list(load_sources(list(paths), field_map))


def documents(items: Sequence[object]) -> list[SourceDocument]:
    return [item for item in items if isinstance(item, SourceDocument)]


def failures(items: Sequence[object]) -> list[LoadFailure]:
    return [item for item in items if isinstance(item, LoadFailure)]


def only_document(items: Sequence[object]) -> SourceDocument:
    assert len(items) == 1 and isinstance(items[0], SourceDocument), items
    return items[0]


def only_failure(items: Sequence[object]) -> LoadFailure:
    assert len(items) == 1 and isinstance(items[0], LoadFailure), items
    return items[0]


def minimal_pdf(lines: Sequence[str], title: str | None = None) -> bytes:
    """A valid one-page PDF whose content stream draws `lines` in Helvetica."""
    content = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if title:
        objects.append(f"<< /Title ({title}) >>")
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    info = f" /Info {len(objects)} 0 R" if title else ""
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{info} >>\n"
    return out + f"{trailer}startxref\n{xref}\n%%EOF\n".encode()


def make_docx(path: Path, paragraphs: Sequence[str], title: str = "") -> Path:
    document = docx.Document()
    document.core_properties.title = title
    for text in paragraphs:
        document.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def set_mtime(path: Path, iso: str) -> None:
    stamp = datetime.fromisoformat(iso).replace(tzinfo=UTC).timestamp()
    os.utime(path, (stamp, stamp))


# --- plain text and markdown -----------------------------------------------------------------


def test_txt_headline_title_and_byline_date(tmp_path: Path) -> None:
    raw = "Harbour reopens after storm\n- Published 4 March 2021\n\nShips returned on Monday.\n"
    doc = only_document(load(write(tmp_path / "harbour.txt", raw)))
    assert (doc.doc_id, doc.title, doc.text, doc.origin) == (
        "harbour.txt",
        "Harbour reopens after storm",
        raw,
        (tmp_path / "harbour.txt").as_posix(),
    )
    assert (doc.publish_date, doc.date_provenance) == ("2021-03-04", "byline")


def test_txt_without_headline_takes_its_first_sentence_and_the_mtime_fallback(
    tmp_path: Path,
) -> None:
    path = write(tmp_path / "000_4ea10de5.txt", "PORTVILLE (Wirenews) - Ships returned on "
                 "Monday after the storm. Crews cheered.\n")
    set_mtime(path, "2020-05-06T12:00:00")
    doc = only_document(load(path))
    assert doc.title == "Ships returned on Monday after the storm"
    assert (doc.publish_date, doc.date_provenance) == ("2020-05-06", "mtime")


def test_md_title_from_first_heading(tmp_path: Path) -> None:
    raw = "Intro line\n\n# Harbour reopens #\n\nPublished: March 4, 2021\n\nShips returned."
    doc = only_document(load(write(tmp_path / "notes.md", raw)))
    assert (doc.title, doc.text) == ("Harbour reopens", raw)
    assert (doc.publish_date, doc.date_provenance) == ("2021-03-04", "byline")


# --- HTML --------------------------------------------------------------------------------------


def test_html_text_title_source_url_and_meta_date(tmp_path: Path) -> None:
    doc = only_document(load(write(tmp_path / "a.html", ARTICLE_HTML)))
    assert doc.text == (
        "Harbour reopens\n\nBy Jane Roe\n\n"
        "Ships returned to the harbour of Portville on Monday, four days after a storm tore "
        "loose two of its floating pontoons, officials said.\n\n"
        "Crews cheered from the quay as the first trawler came in.\nTraders at the fish market "
        "said they were relieved to have boats again before the spring season."
    )
    assert doc.title == "Harbour reopens"
    assert (doc.source, doc.url) == ("The Daily Planet", "https://planet.example/harbour")
    assert (doc.publish_date, doc.date_provenance) == ("2021-03-04", "html-meta")


def test_html_title_prefers_og_title_then_h1(tmp_path: Path) -> None:
    og = '<html><head><meta property="og:title" content="OG headline"><title>T | S</title></head>'
    write(tmp_path / "og.htm", og + "<body><p>Body text.</p></body></html>")
    write(tmp_path / "h1.html", "<html><body><h1> First  heading </h1><p>Body.</p></body></html>")
    docs = documents(load(tmp_path))
    assert [(d.doc_id, d.title) for d in docs] == [
        ("h1.html", "First heading"),
        ("og.htm", "OG headline"),
    ]


def test_html_without_meta_falls_back_to_byline_date(tmp_path: Path) -> None:
    page = "<body><article><h1>Harbour</h1><p>Mar. 4, 2021</p><p>Ships returned.</p></article>"
    doc = only_document(load(write(tmp_path / "b.html", page)))
    assert (doc.publish_date, doc.date_provenance) == ("2021-03-04", "byline")


def test_html_in_a_declared_legacy_charset_is_decoded(tmp_path: Path) -> None:
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>Caf\u00e9 reopens.</p>'
    doc = only_document(load(write(tmp_path / "old.html", page.encode("latin-1"))))
    assert doc.text == "Caf\u00e9 reopens."


# --- PDF and Word --------------------------------------------------------------------------


def test_pdf_text_metadata_title_and_byline_date(tmp_path: Path) -> None:
    pdf = minimal_pdf(["Harbour reopens", "Published 4 March 2021", "Ships returned."], "Port news")
    doc = only_document(load(write(tmp_path / "report.pdf", pdf)))
    assert doc.text == "Harbour reopens\nPublished 4 March 2021\nShips returned."
    assert (doc.title, doc.publish_date, doc.date_provenance) == (
        "Port news",
        "2021-03-04",
        "byline",
    )


def test_pdf_without_metadata_title_uses_first_line(tmp_path: Path) -> None:
    doc = only_document(load(write(tmp_path / "r.pdf", minimal_pdf(["Harbour reopens", "Ok."]))))
    assert doc.title == "Harbour reopens"


def test_docx_core_title_and_paragraphs(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "memo.docx", ["Harbour reopens", "", "Ships returned."], "Memo")
    doc = only_document(load(path))
    assert (doc.title, doc.text) == ("Memo", "Harbour reopens\n\nShips returned.")


def test_docx_without_core_title_uses_first_paragraph(tmp_path: Path) -> None:
    doc = only_document(
        load(make_docx(tmp_path / "m.docx", ["Harbour reopens", "Ships returned."]))
    )
    assert doc.title == "Harbour reopens"


@pytest.mark.parametrize("name", ["broken.pdf", "broken.docx"])
def test_corrupt_pdf_and_docx_fail_with_their_name(tmp_path: Path, name: str) -> None:
    failure = only_failure(load(write(tmp_path / name, b"this is not really a document")))
    assert failure.origin.endswith(name)
    assert "readable" in failure.reason


def test_text_in_a_legacy_encoding_loads_and_empty_or_binary_files_fail(tmp_path: Path) -> None:
    write(tmp_path / "latin.txt", "Caf\u00e9 reopens in P\u00e9ronne".encode("latin-1"))
    write(tmp_path / "empty.md", "  \n\n")
    write(tmp_path / "binary.txt", bytes(range(256)) * 4)
    items = load(tmp_path)
    assert [d.text for d in documents(items)] == ["Caf\u00e9 reopens in P\u00e9ronne"]
    assert [(Path(f.origin).name, f.reason.split(" (")[0]) for f in failures(items)] == [
        ("binary.txt", "not a text file"),
        ("empty.md", "no text found"),
    ]


# --- folders, ids and explicit files ---------------------------------------------------------


def test_folder_is_walked_recursively_sorted_with_relative_ids(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    for relative in ["b.txt", "files/a.html", "files/deeper/c.md", "a.md"]:
        write(root / relative, "Harbour reopens\n\nShips returned.")
    write(root / "files/photo.png", b"\x89PNG")
    write(root / ".hidden.txt", "secret")
    write(root / ".cache/d.txt", "secret")
    write(root / "files/.drafts/e.txt", "secret")
    ids = [d.doc_id for d in documents(load(root))]
    assert ids == ["a.md", "b.txt", "files/a.html", "files/deeper/c.md"]
    assert [d.doc_id for d in documents(load(root))] == ids  # stable across runs
    assert documents(load(root))[2].origin == (root / "files/a.html").as_posix()


def test_explicit_unsupported_file_fails_listing_supported_types(tmp_path: Path) -> None:
    failure = only_failure(load(write(tmp_path / "notes.rtf", "text")))
    assert failure.origin.endswith("notes.rtf")
    assert all(ext in failure.reason for ext in SUPPORTED_EXTENSIONS)


def test_missing_path_fails(tmp_path: Path) -> None:
    assert "no such file" in only_failure(load(tmp_path / "nope")).reason


def test_same_file_name_from_two_places_is_a_duplicate(tmp_path: Path) -> None:
    first = write(tmp_path / "one/a.txt", "Harbour reopens")
    second = write(tmp_path / "two/a.txt", "Harbour closes")
    items = load(first, second)
    assert [type(i).__name__ for i in items] == ["SourceDocument", "LoadFailure"]
    assert first.as_posix() in items[1].reason


# --- JSONL -------------------------------------------------------------------------------------


def jsonl(tmp_path: Path, *records: object, name: str = "feed.jsonl") -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    return write(tmp_path / name, "\n".join(lines) + "\n")


def test_jsonl_records_with_optional_fields(tmp_path: Path) -> None:
    record = {
        "id": "planet-17",
        "title": " Harbour reopens ",
        "text": "Ships returned.",
        "url": "https://planet.example/17",
        "publish_date": "2021-03-04T08:00:00Z",
        "source": "The Daily Planet",
        "extra": [1, 2],
    }
    path = jsonl(tmp_path, record, "", "   ", {"id": "planet-18", "title": "T", "text": "x"})
    first, second = load(path)
    assert first == SourceDocument(
        doc_id="planet-17",
        text="Ships returned.",
        title="Harbour reopens",
        url="https://planet.example/17",
        publish_date="2021-03-04",
        date_provenance="jsonl",
        source="The Daily Planet",
        origin=f"{path.as_posix()}:1",
    )
    assert (second.doc_id, second.origin, second.publish_date) == (
        "planet-18",
        f"{path.as_posix()}:4",
        None,
    )


def test_jsonl_without_date_field_uses_byline_in_text(tmp_path: Path) -> None:
    record = {"id": "p1", "title": "T", "text": "Harbour reopens\nPublished 4 March 2021\nShips."}
    doc = only_document(load(jsonl(tmp_path, record)))
    assert (doc.publish_date, doc.date_provenance) == ("2021-03-04", "byline")


def test_jsonl_field_map(tmp_path: Path) -> None:
    record = {
        "uuid": "u-1",
        "headline": "Harbour reopens",
        "body": "Ships returned.",
        "date": "4 March 2021",
    }
    field_map = {"id": "uuid", "title": "headline", "text": "body", "publish_date": "date"}
    doc = only_document(load(jsonl(tmp_path, record), field_map=field_map))
    assert (doc.doc_id, doc.title, doc.text, doc.publish_date) == (
        "u-1",
        "Harbour reopens",
        "Ships returned.",
        "2021-03-04",
    )


def test_jsonl_mapped_field_missing_names_both_fields(tmp_path: Path) -> None:
    path = jsonl(tmp_path, {"id": "a", "title": "T", "text": "x"})
    failure = only_failure(load(path, field_map={"text": "body"}))
    assert failure.reason == "missing required field 'text' (mapped from 'body')"


def test_unknown_field_map_key_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown field 'body'.*id, title, text"):
        load_sources([tmp_path], {"body": "text"})


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"id": "a", "title": "T", "text": ', "invalid JSON"),
        ('["a", "T", "x"]', "expected a JSON object, got list"),
        (
            '{"id": "a", "title": "T"}',
            "missing required field 'text' (map another field with --field text=NAME)",
        ),
        ('{"id": "a", "title": "T", "text": "  "}', "empty required field 'text'"),
        ('{"id": "a", "title": null, "text": "x"}', "missing required field 'title'"),
        ('{"id": 17, "title": "T", "text": "x"}', "field 'id' must be a string, got int 17"),
        ('{"id": "a", "title": "T", "text": "x", "url": 5}', "field 'url' must be a string"),
        (
            '{"id": "a", "title": "T", "text": "x", "publish_date": "next week"}',
            "cannot parse field 'publish_date' value 'next week'",
        ),
    ],
)
def test_jsonl_bad_record_fails_alone(tmp_path: Path, line: str, reason: str) -> None:
    path = jsonl(
        tmp_path,
        {"id": "ok-1", "title": "T", "text": "x"},
        line,
        {"id": "ok-2", "title": "T", "text": "y"},
    )
    items = load(path)
    assert [d.doc_id for d in documents(items)] == ["ok-1", "ok-2"]
    failure = only_failure(failures(items))
    assert failure.origin == f"{path.as_posix()}:2"
    assert failure.reason.startswith(reason)


def test_jsonl_line_with_bytes_that_are_not_utf8_loads_with_a_note(tmp_path: Path) -> None:
    good = json.dumps({"id": "a", "title": "T", "text": "x"}).encode()
    bad = b'{"id": "b", "title": "Caf\xe9", "text": "The caf\xe9 reopened on Monday."}'
    items = load(write(tmp_path / "feed.jsonl", good + b"\n" + bad + b"\n"))
    assert [type(i).__name__ for i in items] == ["SourceDocument", "SourceDocument"]
    assert items[1].title == "Caf\u00e9" and "not UTF-8" in items[1].notes[0]


def test_jsonl_duplicate_id_names_the_earlier_line(tmp_path: Path) -> None:
    record = {"id": "a", "title": "T", "text": "x"}
    path = jsonl(tmp_path, record, {"id": "b", "title": "T", "text": "y"}, record)
    items = load(path)
    assert [d.doc_id for d in documents(items)] == ["a", "b"]
    failure = only_failure(failures(items))
    assert failure.origin == f"{path.as_posix()}:3"
    assert failure.reason == f"duplicate id 'a' (first loaded from {path.as_posix()}:1)"


# --- no silent skips, and dates the user gives --------------------------------------------------


def test_files_of_other_types_in_a_folder_are_counted_by_extension(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Harbour reopens\n\nShips returned.")
    for name in ["x.csv", "y.csv", "deeper/z.csv", "feed.json", "README"]:
        write(tmp_path / name, "data")
    skipped = [item for item in load(tmp_path) if isinstance(item, SkippedFiles)]
    assert [str(s) for s in skipped] == [
        f"{tmp_path.as_posix()}: skipped 1 (no extension) file (not a supported type)",
        f"{tmp_path.as_posix()}: skipped 3 .csv files (not a supported type)",
        f"{tmp_path.as_posix()}: skipped 1 .json file (not a supported type)",
    ]


@pytest.mark.parametrize(
    ("files", "reason"),
    [([], "nothing to ingest: it is empty"),
     (["a.csv", "b.csv"], "nothing to ingest: it holds only 2 .csv files")],
)
def test_a_folder_with_nothing_to_load_is_a_failure(
    tmp_path: Path, files: list[str], reason: str
) -> None:
    for name in files:
        write(tmp_path / name, "data")
    assert only_failure(load(tmp_path)).reason.startswith(reason)


def test_an_empty_jsonl_file_is_a_failure(tmp_path: Path) -> None:
    assert only_failure(load(write(tmp_path / "feed.jsonl", "\n"))).reason.startswith("no records")


def test_publish_date_replaces_the_file_time_only_where_no_date_is_found(tmp_path: Path) -> None:
    write(tmp_path / "dated.txt", "Harbour reopens\nPublished 4 March 2021\n\nShips returned.")
    write(tmp_path / "undated.txt", "Harbour reopens\n\nShips returned.")
    jsonl(tmp_path, {"id": "r1", "title": "T", "text": "Ships returned."})
    rules = DateRules.parse(publish_date=datetime(2021, 3, 9).date())
    docs = documents(list(load_sources([tmp_path], None, rules)))
    assert [(d.doc_id, d.publish_date, d.date_provenance) for d in docs] == [
        ("dated.txt", "2021-03-04", "byline"),
        ("r1", "2021-03-09", "given"),
        ("undated.txt", "2021-03-09", "given"),
    ]


def test_a_date_from_rule_wins_over_a_guessed_date(tmp_path: Path) -> None:
    write(tmp_path / "2021/03/05/a.txt", "Harbour reopens\nPublished 4 March 2021\n\nShips.")
    write(tmp_path / "notes/b.txt", "Harbour reopens\n\nShips returned.")
    set_mtime(tmp_path / "notes/b.txt", "2020-05-06T12:00:00")
    rules = DateRules.parse("filename:%Y/%m/%d")
    docs = documents(list(load_sources([tmp_path], None, rules)))
    assert [(d.doc_id, d.publish_date, d.date_provenance) for d in docs] == [
        ("2021/03/05/a.txt", "2021-03-05", "filename"),
        ("notes/b.txt", "2020-05-06", "mtime"),
    ]


def test_front_matter_dates_and_titles(tmp_path: Path) -> None:
    text = "---\ntitle: Harbour reopens\npublished: 2021-03-04\n---\nShips returned on Monday."
    doc = only_document(load(write(tmp_path / "001_9f2c.md", text)))
    assert (doc.title, doc.text) == ("Harbour reopens", "Ships returned on Monday.")
    assert (doc.publish_date, doc.date_provenance) == ("2021-03-04", "front-matter")
