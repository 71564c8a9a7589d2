"""``python -m analytics import``: exit codes 0 / 1 / 2, the printed problems, ``--report``, ``--no-wait``."""
from __future__ import annotations

import csv

import pytest

from tests.import_support import engine_off, GOOD, restore_engine, write  # noqa: F401

from analytics.core import store
from analytics.engine import publishing
from analytics.__main__ import main


def test_exit_0_prints_rows_and_warnings(tmp_path, capsys):
    folder = write(tmp_path / "in", "stations.csv", "station_id,name,country,colour\nS1,A,FR,red\n").parent
    write(folder, "README.txt", "hello")
    assert main(["import", str(folder), "--db", str(tmp_path / "s.duckdb")]) == 0
    out, err = capsys.readouterr()
    assert "import landed" in out and "stations: 1 row" in out
    assert "colour" in err and "README.txt" in err and "2 warnings" in err


def test_exit_1_prints_every_problem_and_writes_the_report(tmp_path, capsys):
    db = tmp_path / "s.duckdb"
    assert main(["import", str(GOOD), "--db", str(db)]) == 0
    before = db.read_bytes()
    folder = write(tmp_path / "bad", "stations.csv",
                   'station_id,name,country\nS7,"=HYPERLINK(""x"")",fr\nS8,,DE\n').parent
    report = tmp_path / "report.csv"
    capsys.readouterr()
    assert main(["import", str(folder), "--db", str(db), "--report", str(report)]) == 1
    err = capsys.readouterr().err
    assert "import rejected: 2 problems; the store is unchanged" in err
    assert "stations.csv | row 1 | column country | value 'fr' | country code" in err
    assert "stations.csv | row 2 | column name | value '' | required" in err
    with open(report, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["file", "row", "column", "value", "rule", "message"]
    assert [r[:5] for r in rows[1:]] == [["stations.csv", "1", "country", "fr", "country code"],
                                         ["stations.csv", "2", "name", "", "required"]]
    assert db.read_bytes() == before


def test_exit_2_for_usage_errors(tmp_path, capsys):
    db = tmp_path / "s.duckdb"
    assert main(["import", str(tmp_path / "nowhere"), "--db", str(db)]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    write(tmp_path, "data.txt", "x")
    assert main(["import", str(tmp_path / "data.txt"), "--db", str(db)]) == 2
    assert "unsupported file type" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["import", "--db", str(db)])  # no path at all
    assert exc.value.code == 2
    assert not db.exists()


def test_no_wait_refuses_while_another_import_holds_the_store(tmp_path, capsys):
    db = tmp_path / "s.duckdb"
    store.ensure_store(db)
    with publishing.writer(db):  # another import in progress
        assert main(["import", str(GOOD), "--db", str(db), "--no-wait"]) == 1
    err = capsys.readouterr().err
    assert "is being updated by another import" in err and "nothing was changed" in err
    assert main(["import", str(GOOD), "--db", str(db), "--no-wait"]) == 0


def test_progress_lines_when_stderr_is_not_a_terminal(tmp_path, capsys):
    assert main(["import", str(GOOD), "--db", str(tmp_path / "s.duckdb")]) == 0
    lines = [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("import: ")]
    assert 2 <= len(lines) <= 6 and lines[-1].startswith("import: 100%")


def test_import_with_the_engine_then_the_next_view_sees_derived_tables(tmp_path, capsys):
    """End to end through the real engine refresh (the other tests skip it for speed)."""
    restore_engine()  # the real engine for this test
    db = tmp_path / "s.duckdb"
    assert main(["import", str(GOOD), "--db", str(db)]) == 0
    con = store.reader(db)
    statuses = dict(con.execute("SELECT intervention_id, status FROM intervention_status").fetchall())
    assert set(statuses) == {"I001", "I002", "I003", "I004"}
    # I004's manufacturer M02 has no policy: it cannot be verified.
    assert statuses["I004"] == "blocked"


def test_progress_bar_on_a_terminal():
    import io

    from analytics.commands.import_cmd import Progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    bar = Progress(stream)
    bar(1, 4, "read interventions.csv")
    bar(4, 4, "done")
    bar.close()
    text = stream.getvalue()
    assert text.startswith("\r[#######-----------------------]  25%")  # 30 cells, 1/4 filled
    assert "\r[##############################] 100%" in text and text.endswith("\n")
