"""CSV / XLSX / Parquet exports: formula injection neutralised, read back with real readers."""

import csv
import hashlib
import json
import sys
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import export_scenario as S  # noqa: E402

from exports import tabular  # noqa: E402
from exports.registry import ExportOptions, export, names  # noqa: E402

EVIL = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.fixture
def case(tmp_path, tmp_path_factory):
    c = S.copy_of_template(tmp_path_factory, tmp_path / "case.lintas")
    c.con.execute("UPDATE incidents SET description = ?, place = ?", [EVIL[0], EVIL[3]])
    c.con.execute("UPDATE persons SET notes = ? WHERE id = 'P-002'", [EVIL[1]])
    yield c
    c.close()


@pytest.mark.parametrize("value,expected", [
    *[(v, "'" + v) for v in EVIL],
    ("a=b", "a=b"), ("Andi", "Andi"), ("", ""), (None, None), ("'=x", "'=x"), ("081 234", "081 234"),
])
def test_neutralise(value, expected):
    assert tabular.neutralise(pa.array([value], pa.string())).to_pylist() == [expected]


def test_neutralise_leaves_numbers_and_flattens_lists():
    nums = pa.array([-5.0, 3.0])
    assert tabular.neutralise(nums) is nums
    batch = pa.RecordBatch.from_pydict({"aliases": pa.array([["=x", "b"], None]), "n": [-1, 2]})
    out = tabular.safe_batch(batch)
    assert out.column(0).to_pylist() == ["'=x;b", None] and out.column(1).to_pylist() == [-1, 2]


def test_csv_export(case, tmp_path):
    out = tmp_path / "csv"
    res = export(case, "csv", out, ExportOptions("INTERPOL"))
    index = json.loads((out / "export.json").read_text())
    assert res.sha256 == hashlib.sha256((out / "export.json").read_bytes()).hexdigest()
    assert index["recipient"] == "INTERPOL" and index["tlp"] == "AMBER"
    for name, f in index["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == f["sha256"]
    with open(out / "incidents.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["description"] == "'" + EVIL[0] and rows[0]["place"] == "'" + EVIL[3]
    assert rows[0]["tlp"] == "CLEAR"
    with open(out / "persons.csv", newline="", encoding="utf-8") as fh:
        persons = {r["id"]: r for r in csv.DictReader(fh)}
    assert persons["P-002"]["notes"] == "'" + EVIL[1]
    assert persons["P-001"]["aliases"] == "Andi" and persons["P-001"]["releasable_to"] == "ID;MY;INTERPOL"
    assert persons["P-001"]["source_bundle_id"] == "b-1" and persons["P-001"]["source_bundle_row"] == "1"
    text = "".join(p.read_text() for p in out.iterdir())
    assert S.CAHYA not in text and S.LIM not in text and S.PUBLIC not in text


def test_xlsx_export(case, tmp_path):
    out = tmp_path / "x.xlsx"
    res = export(case, "xlsx", out, ExportOptions("MY", drop_markings=True))
    assert res.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "Handling"
    head = [[c.value for c in r] for r in wb["Handling"].iter_rows()]
    assert ["TLP", "TLP:RED"] == head[1][:2] and ["Recipient", "MY"] == head[2][:2]
    assert any(r[3] == "TLP:AMBER+STRICT: within the receiving organisation only" for r in head if len(r) > 3)
    inc = list(wb["incidents"].iter_rows(values_only=True))
    header = list(inc[0])
    assert "tlp" not in header and "releasable_to" not in header
    cell = wb["incidents"].cell(row=2, column=header.index("description") + 1)
    assert cell.data_type == "s" and cell.value == "'" + EVIL[0]
    calls = list(wb["calls"].iter_rows(values_only=True))
    assert len(calls) == 1 + res.included["calls"]
    assert calls[1][calls[0].index("duration_s")] == 60       # numbers stay numbers
    all_text = "".join(str(v) for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for v in r)
    assert S.CAHYA not in all_text and S.REYES not in all_text


def test_parquet_export_keeps_values(case, tmp_path):
    out = tmp_path / "pq"
    export(case, "parquet", out, ExportOptions("INTERPOL"))
    t = pq.read_table(out / "incidents.parquet")
    assert t.column("description").to_pylist() == [EVIL[0]]
    assert pq.read_table(out / "persons.parquet").column("aliases").to_pylist()[0] == ["Andi"]


def test_query_result_writers(tmp_path):
    t = pa.table({"a": ["=1+1", "x"], "n": [1, -2]})
    assert tabular.write_result(pa.RecordBatchReader.from_batches(t.schema, t.to_batches()),
                                tmp_path / "r.csv") == 2
    with open(tmp_path / "r.csv", newline="", encoding="utf-8") as fh:
        assert list(csv.reader(fh)) == [["a", "n"], ["'=1+1", "1"], ["x", "-2"]]
    assert tabular.write_result(pa.RecordBatchReader.from_batches(t.schema, t.to_batches()),
                                tmp_path / "r.xlsx") == 2
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx").active
    assert [c.value for c in ws[2]] == ["'=1+1", 1]
    with pytest.raises(Exception, match="unknown table format"):
        tabular.write_result(pa.RecordBatchReader.from_batches(t.schema, t.to_batches()), tmp_path / "r.ods")


def test_registry_names():
    assert {"bundle", "csv", "xlsx", "parquet"} <= set(names())


def test_cancelled_export_leaves_nothing(case, tmp_path):
    from workstation.errors import Cancelled
    from workstation.progress import Progress

    calls = []

    class CancelLate(Progress):
        def __call__(self, fraction, message=""):
            calls.append(fraction)
            if fraction > 0.3:      # once the selection is done, during writing
                self.cancel()
            super().__call__(fraction, message)

    with pytest.raises(Cancelled):
        export(case, "csv", tmp_path / "out", ExportOptions("MY"), CancelLate())
    assert not (tmp_path / "out").exists()
    assert case.cursor().execute("SELECT count(*) FROM exports").fetchone()[0] == 0
    assert [e["action"] for e in case.audit_entries()] == ["case.create"]
