"""Bombs of each format are refused within bounded disk and memory, naming the file and the limit.

Each bomb is imported in a fresh process (``tests/fixtures/import/bomb_run.py``) that measures
what the refusal cost: the Python heap's peak (tracemalloc), the process's peak resident memory
(VmHWM, which includes Arrow's and DuckDB's buffers) and every byte the importer wrote to
disk outside the store (files opened for writing under the temporary folder, counted as written).
The replay of the issue's attack: a 1 MB zip holding a 1 GiB ``interventions.csv`` wrote 1,026 MB to
a temporary folder before being rejected, with the server's temporary path in the message.
"""
from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analytics.contract.importer import limits
from analytics.contract.importer.errors import LimitExceeded

ROOT = Path(__file__).resolve().parents[1]
RUNNER = ROOT / "tests" / "fixtures" / "import" / "bomb_run.py"
HEADER = b"intervention_id,manufacturer_id,station_id,product_category,serial_number,opened_at,completed_at\n"
MiB = 1 << 20
#: What refusing a bomb may cost at most (the importer's own budget, far below each bomb's size).
MAX_DISK = 2 * MiB
MAX_PY_HEAP = 32 * MiB
MAX_RSS = 400 * MiB


def run_bomb(tmp_path: Path, *inputs: Path) -> dict:
    result = subprocess.run([sys.executable, str(RUNNER), str(tmp_path / "bomb.duckdb"), *map(str, inputs)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300,
                            env={"PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path / "tmp"), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["refused"], outcome
    assert str(tmp_path) not in outcome["message"] and "/tmp" not in outcome["message"], outcome["message"]
    assert outcome["disk_bytes"] <= MAX_DISK, outcome
    assert outcome["py_peak"] <= MAX_PY_HEAP, outcome
    assert outcome["rss_peak"] <= MAX_RSS, outcome
    assert not (tmp_path / "bomb.duckdb").exists()  # the store was never created
    return outcome


def _stream_zip_member(zf: zipfile.ZipFile, name: str, size: int, head: bytes = HEADER) -> None:
    block = b"0" * MiB
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with zf.open(info, "w", force_zip64=True) as out:
        out.write(head)
        left = size - len(head)
        while left > 0:
            out.write(block[:left])
            left -= MiB


def _zip(path: Path, members: dict[str, int | bytes], level: int = 9) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, content in members.items():
            if isinstance(content, bytes):
                zf.writestr(name, content)
            else:
                _stream_zip_member(zf, name, content)
    return path


@pytest.fixture(scope="module")
def gib_bomb(tmp_path_factory) -> Path:
    """The issue's attack: about 1 MB of zip holding a 1 GiB interventions.csv."""
    return _zip(tmp_path_factory.mktemp("bomb") / "data.zip", {"interventions.csv": 1 << 30})


def test_the_issues_zip_bomb_is_refused_before_anything_is_written(tmp_path, gib_bomb):
    assert gib_bomb.stat().st_size < 2 * MiB
    outcome = run_bomb(tmp_path, gib_bomb)
    assert outcome["disk_bytes"] == 0
    assert outcome["message"].startswith("data.zip:interventions.csv: refused")
    assert f"limit on the compression ratio: {limits.MAX_COMPRESSION_RATIO}" in outcome["message"]


def _lie_about_size(archive: Path, member: str, declared: int) -> None:
    """Rewrite the sizes the zip declares for ``member`` (local header and central directory)."""
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo(member)
    local = info.header_offset
    data[local + 22:local + 26] = declared.to_bytes(4, "little")
    central = data.rfind(b"PK\x01\x02")
    data[central + 24:central + 28] = declared.to_bytes(4, "little")
    archive.write_bytes(bytes(data))


def test_a_zip_lying_about_its_sizes_is_cut_at_what_it_declares(tmp_path):
    archive = tmp_path / "liar.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("interventions.csv", HEADER + b"0" * (64 * MiB))
    _lie_about_size(archive, "interventions.csv", 100_000)
    outcome = run_bomb(tmp_path, archive)
    assert outcome["disk_bytes"] <= 100_000
    assert outcome["message"].startswith("liar.zip: not a readable .zip archive")


def test_too_many_entries(tmp_path):
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for i in range(limits.MAX_ARCHIVE_ENTRIES + 1):
            zf.writestr(f"x/{i}", b"")
    outcome = run_bomb(tmp_path, archive)
    assert outcome["disk_bytes"] == 0
    assert f"{limits.MAX_ARCHIVE_ENTRIES + 1:,} entries, more than the limit of {limits.MAX_ARCHIVE_ENTRIES:,}" \
        in outcome["message"]


def test_nested_zip_bomb(tmp_path, gib_bomb):
    """A zip holding a zip bomb (ignored, never expanded) and a workbook bomb (refused by its own limits)."""
    book = _zip(tmp_path / "inner.xlsx", {"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": 1 << 30})
    outer = tmp_path / "outer.zip"
    with zipfile.ZipFile(outer, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.write(gib_bomb, "nested.zip")
        zf.write(book, "book.xlsx")
    outcome = run_bomb(tmp_path, outer)
    assert outcome["disk_bytes"] <= gib_bomb.stat().st_size + book.stat().st_size + 4096  # stored members, as they are
    assert outcome["message"].startswith("outer.zip:book.xlsx:xl/worksheets/sheet1.xml: refused")


def test_xlsx_bomb(tmp_path):
    book = _zip(tmp_path / "big.xlsx", {"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": 1 << 30})
    outcome = run_bomb(tmp_path, book)
    assert outcome["disk_bytes"] == 0
    assert outcome["message"].startswith("big.xlsx:xl/worksheets/sheet1.xml: refused")


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10))
          + b']><worksheet><sheetData><row><c t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')


def test_xml_entity_bomb_in_a_workbook(tmp_path):
    """Billion laughs in a sheet's XML (a workbook is XML in a zip; no other XML is read by the importer)."""
    import openpyxl

    good = tmp_path / "good.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "stations"
    book.active.append(["station_id", "name", "country"])
    book.save(good)
    bomb = tmp_path / "laughs.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, LAUGHS if info.filename == "xl/worksheets/sheet1.xml" else src.read(info))
    outcome = run_bomb(tmp_path, bomb)
    assert outcome["message"].startswith("laughs.xlsx:xl/worksheets/sheet1.xml: refused")
    assert "DOCTYPE or entities" in outcome["message"]


def test_parquet_with_huge_row_groups(tmp_path):
    """A dictionary of one 1 MiB text repeated 3,000 times: 1.5 MiB on disk, 2.9 GiB as rows."""
    value = "S" * MiB
    column = pa.DictionaryArray.from_arrays(pa.array([0] * 3000, pa.int32()), pa.array([value]))
    path = tmp_path / "stations.parquet"
    pq.write_table(pa.table({"station_id": column, "name": column, "country": column}), path,
                   row_group_size=3000, compression="zstd")
    assert path.stat().st_size < 8 * MiB
    outcome = run_bomb(tmp_path, path)
    assert outcome["disk_bytes"] == 0
    assert outcome["message"].startswith("stations.parquet: refused, row group 1 expands to more than 1 GiB")


def test_parquet_declaring_too_many_rows(tmp_path):
    path = tmp_path / "interventions.parquet"
    pq.write_table(pa.table({"intervention_id": pa.nulls(limits.MAX_PARQUET_ROWS + 1)}),
                   path, row_group_size=limits.MAX_PARQUET_ROWS + 1)
    outcome = run_bomb(tmp_path, path)
    assert f"{limits.MAX_PARQUET_ROWS + 1:,} rows, more than the limit" in outcome["message"]


def test_toml_bombs(tmp_path):
    deep = tmp_path / "M01.toml"
    deep.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    outcome = run_bomb(tmp_path, deep)
    assert outcome["message"] == (f"M01.toml: refused, arrays or inline tables nest 5000 deep, more than the limit "
                                  f"of {limits.MAX_TOML_NESTING}; nothing was imported (see README \"Import limits\")")
    big = tmp_path / "big" / "M02.toml"
    big.parent.mkdir()
    big.write_text("# " + "x" * (2 * MiB) + "\n")
    outcome = run_bomb(tmp_path, big)
    assert "the policy file has 2 MiB, more than the limit of 1 MiB" in outcome["message"]


def test_toml_nesting_by_hand():
    assert limits.toml_nesting('[table]\na = [1, [2, {b = [3]}]]\ns = "[[[["\n# [[[[\n') == 4
    assert limits.toml_nesting("[[array.of.tables]]\nx = 1\n") == 0
    assert limits.toml_nesting("t = '''\n[[[\n'''\n") == 0


def test_limits_are_errors_of_usage_and_leave_no_file(tmp_path):
    """In process too: the refusal is a LimitExceeded, and the extraction folder is gone."""
    from analytics.contract.importer import import_paths

    archive = _zip(tmp_path / "small.zip", {"interventions.csv": 8 * MiB})
    with pytest.raises(LimitExceeded, match=r"^small.zip:interventions.csv: refused"):
        import_paths(tmp_path / "s.duckdb", [archive])
    assert not (tmp_path / "s.duckdb").exists()


def test_a_normal_zip_is_still_imported(tmp_path):
    """The limits do not get in the way: the contract's good fixture, zipped, imports as before."""
    from analytics.contract.importer import import_paths

    good = ROOT / "tests" / "fixtures" / "import" / "good"
    archive = tmp_path / "good.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in good.rglob("*"):
            if path.is_file():
                zf.write(path, str(path.relative_to(good)))
    assert import_paths(tmp_path / "s.duckdb", [archive]).ok


def test_xml_entity_bomb_as_an_incoming_e_invoice():
    """The other XML the app reads: an incoming e-invoice (analytics.billing.einvoice.reading)
    refuses a DTD before expanding anything, within a bounded heap."""
    import tracemalloc

    from analytics.billing.einvoice.reading import MAX_BYTES, ReadError, read

    tracemalloc.start()
    try:
        with pytest.raises(ReadError, match=r"^laughs.xml: refused: the XML declares a DTD or entities"):
            read(LAUGHS, "laughs.xml")
        with pytest.raises(ReadError, match=r"^big.xml: refused"):
            read(b"<Invoice>" + b" " * MAX_BYTES + b"</Invoice>", "big.xml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * MAX_BYTES  # the 5 MiB file itself, never a billion laughs


def _deflated_spaces(head: bytes, spaces: int, tail: bytes) -> bytes:
    """A valid zlib stream (FlateDecode) of ``head``, ``spaces`` spaces and ``tail``, made in
    milliseconds: each MiB of spaces is compressed once after a full flush, so its bytes repeat."""
    import zlib

    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = b" " * MiB
    whole, rest = divmod(spaces, MiB)
    first = deflate.compress(head) + deflate.flush(zlib.Z_FULL_FLUSH)
    one_mib = deflate.compress(block) + deflate.flush(zlib.Z_FULL_FLUSH)
    last = deflate.compress(block[:rest] + tail) + deflate.flush()
    check = zlib.adler32(head)
    for _ in range(whole):
        check = zlib.adler32(block, check)
    check = zlib.adler32(block[:rest] + tail, check)
    return b"\x78\xda" + first + one_mib * whole + last + check.to_bytes(4, "big")


def _pdf_embedding(name: bytes, stream: bytes) -> bytes:
    """A one-page PDF whose only attachment is ``name``, a FlateDecode stream (Factur-X's layout:
    the catalog's EmbeddedFiles name tree, a file specification, the embedded file)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(%s) 4 0 R] >> >> >>" % name,
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
               b"<< /Type /Filespec /F (%s) /UF (%s) /AFRelationship /Data /EF << /F 5 0 R >> >>" % (name, name),
               b"<< /Type /EmbeddedFile /Subtype /text#2Fxml /Filter /FlateDecode /Length %d >>\nstream\n"
               % len(stream) + stream + b"\nendstream"]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


CII_OPEN = (b'<?xml version="1.0" encoding="UTF-8"?><rsm:CrossIndustryInvoice '
            b'xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">')
CII_CLOSE = b"</rsm:CrossIndustryInvoice>"


def test_pdf_stream_bomb_as_an_incoming_factur_x():
    """A 1 MB Factur-X PDF whose factur-x.xml inflates to 1 GiB is refused once 5 MiB + 1 byte
    have been decoded: the heap's peak stays within 4 times the limit (before: pypdf's own
    75 MB cap was reached, with a peak of about 146 MiB, and an XML under it was decoded and parsed whole)."""
    import tracemalloc

    from analytics.billing.einvoice.reading import MAX_BYTES, ReadError, read

    bomb = _pdf_embedding(b"factur-x.xml", _deflated_spaces(CII_OPEN, 1 << 30, CII_CLOSE))
    assert len(bomb) < 2 * MiB
    just_over = _pdf_embedding(b"factur-x.xml", _deflated_spaces(CII_OPEN, MAX_BYTES, CII_CLOSE))
    tracemalloc.start()
    try:
        for data, name in ((bomb, "bomb.pdf"), (just_over, "just-over.pdf")):
            with pytest.raises(ReadError) as refused:
                read(data, name)
            assert str(refused.value).startswith(f"{name}: refused: the invoice XML embedded in the PDF expands "
                                                 f"beyond {MAX_BYTES:,} bytes"), refused.value
            assert "/" not in str(refused.value).split("(", 1)[0]  # no server path
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * MAX_BYTES, peak


def test_an_embedded_invoice_xml_within_the_limit_is_read_whole():
    """The bound does not cut an invoice short: 5 MiB of XML embedded in a PDF is read whole (and
    then found to be no invoice it can read, by its content — not by its size)."""
    from analytics.billing.einvoice.reading import MAX_BYTES, read

    padding = MAX_BYTES - len(CII_OPEN) - len(CII_CLOSE)
    incoming = read(_pdf_embedding(b"factur-x.xml", _deflated_spaces(CII_OPEN, padding, CII_CLOSE)), "ok.pdf")
    assert incoming.container == "pdf" and incoming.syntax == "cii"
    assert len(incoming.xml) == MAX_BYTES
    assert incoming.invoice is None and incoming.read_problem.startswith("ok.pdf: missing")
