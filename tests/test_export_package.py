"""Partner packages (lintas-bundle/1) made from the releasable selection: verify, import
into a new case, and compare with the selection; audit entries and the exports table."""

import hashlib
import json
import re
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import export_scenario as S  # noqa: E402

from exports.registry import ExportError, ExportOptions, export  # noqa: E402
from exports.selection import select  # noqa: E402
from workstation import bundle, cli, keys  # noqa: E402
from workstation.case import Case  # noqa: E402
from workstation.importers import ImportOptions  # noqa: E402
from workstation.ingest import import_path  # noqa: E402
from workstation.kinds import KINDS  # noqa: E402

PARTNER = Path(__file__).parent / "fixtures" / "bundles" / "example_partner_my.zip"


_WITH_PARTNER: dict[str, Path] = {}


@pytest.fixture
def case(tmp_path, tmp_path_factory):
    """The scenario plus a real partner package imported through the import pipeline
    (made once per session, copied for each test)."""
    import shutil

    if "path" not in _WITH_PARTNER:
        path = tmp_path_factory.mktemp("with-partner") / "case.lintas"
        c = S.copy_of_template(tmp_path_factory, path)
        res = import_path(c, PARTNER, ImportOptions(trust_once=True))
        assert res.imported, res.problems
        c.close()
        _WITH_PARTNER["path"] = path
    shutil.copyfile(_WITH_PARTNER["path"], tmp_path / "case.lintas")
    c = Case.open(tmp_path / "case.lintas")
    yield c
    c.close()


@pytest.fixture
def key(tmp_path):
    path = tmp_path / "unit.key"
    keys.new_key("Satreskrim test", path)
    return path


def _norm(v):
    if isinstance(v, list):
        return tuple(_norm(x) for x in v)
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, Decimal):
        return str(v.normalize())
    if v is None or v == "":
        return None
    return str(v)


_REFS = {"persons": ("id",), "identifiers": ("owner",), "addresses": ("owner",),
         "relationships": ("source", "target"), "contacts": ("owner",), "travel": ("person",),
         "sightings": ("subject",)}


def _columns(kind):
    """Canonical columns as written, except times: their UTC instant (a time written without
    an offset, read in its source's zone, travels in UTC)."""
    return [c.name + "_utc" if c.type == "time" else c.name for c in KINDS[kind]] + (
        ["role"] if kind == "persons" else [])


def _released(case, recipient):
    """Rows of the selection per kind, keyed by (bundle_id, source_row)."""
    out = {}
    with select(case, recipient, masking="none") as sel:
        for kind in KINDS:
            rows = sel.arrow(kind, _columns(kind)).to_pylist()
            out[kind] = {(r["source_bundle_id"], r["source_row"]): tuple(_norm(r[c]) for c in _columns(kind))
                         for r in rows}
    return out


def _imported(case, kind):
    cols = _columns(kind)
    out = {}
    for r in case.cursor().sql(
            f"SELECT {', '.join(chr(34) + c + chr(34) for c in cols)}, "
            f"extra->>'source_bundle_id', CAST(extra->>'source_bundle_row' AS BIGINT) "
            f"FROM \"{kind}\"").fetchall():
        vals = list(r[:len(cols)])
        for i, c in enumerate(cols):   # ids re-keyed where two sources shared one: P-001~2
            if c in _REFS.get(kind, ()) and isinstance(vals[i], str):
                vals[i] = re.sub(r"~\d+$", "", vals[i])
        out[(r[-2], r[-1])] = tuple(_norm(v) for v in vals)
    return out


def test_round_trip_for_my(case, key, tmp_path):
    out = tmp_path / "for-my.zip"
    res = export(case, "bundle", out, ExportOptions("MY", sign_key=key, masking="none"))
    # it verifies, signed by the unit's key …
    kr = keys.Keyring.in_memory()
    kr.trust(key.with_name(key.name + ".pub").read_text().strip(), "Satreskrim test", "ID")
    report = bundle.verify(out, keyring=kr)
    assert report.valid, report.problems
    # … by the command too (trusting the key for this check only)
    assert cli.main(["bundle", "verify", str(out), "--trust-once"]) == 0
    # and imports into a new case whose contents equal the releasable selection
    with Case.create(tmp_path / "received.lintas", "Received from ID") as new:
        imp = import_path(new, out, ImportOptions(trust_once=True))
        assert imp.imported and imp.signature["status"] != "unsigned", imp.to_json()
        released = _released(case, "MY")
        for kind in KINDS:
            assert _imported(new, kind) == released[kind], kind
        assert sum(imp.rows.values()) == sum(res.included.values())
        # the attachment (Andi's photo) arrived, byte for byte
        blob = new.cursor().execute("SELECT content FROM attachment_blobs b JOIN attachments a "
                                    "USING (sha256) WHERE a.title = 'photo P-001'").fetchone()[0]
        assert bytes(blob) == S.PHOTO_ANDI
        src = new.sources()[0]
        assert src["tlp"] == "RED" and src["releasable_to"] == ["MY"]   # MY's own RED row is inside
        # every row arrives with its own handling (one table per handling, docs/bundle-format.md)
        for kind in ("persons", "identifiers", "calls"):
            def handlings(c, q):
                return {(r[0], r[1]): (r[2], list(r[3] or [])) for r in c.cursor().sql(q).fetchall()}
            eff = ("CASE WHEN t.handling_id IS NULL THEN s.tlp ELSE h.tlp END, "
                   "CASE WHEN t.handling_id IS NULL THEN s.releasable_to ELSE h.releasable_to END "
                   f'FROM "{kind}" t JOIN sources s USING (source_id) LEFT JOIN handlings h USING (handling_id)')
            got = handlings(new, f"SELECT extra->>'source_bundle_id', CAST(extra->>'source_bundle_row' AS BIGINT), "
                                 f"{eff}")
            want = handlings(case, f"SELECT s.bundle_id, t.source_row, {eff}")
            assert got and all(want[k] == v for k, v in got.items()), kind


def test_package_layout_and_handling(case, tmp_path):
    out = tmp_path / "p.zip"
    res = export(case, "bundle", out, ExportOptions("MY"))
    with zipfile.ZipFile(out) as z:
        m = json.loads(z.read("manifest.json"))
        names = set(z.namelist())
        persons = {t["path"]: t for t in m["tables"] if t["kind"] == "persons"}
        # one table per handling: ID AMBER, ID CLEAR (public notice), MY RED, partner MY AMBER
        assert sorted(t["handling"]["tlp"] for t in persons.values()) == ["AMBER", "AMBER", "CLEAR", "RED"]
        assert all(p in names for p in persons)
        assert m["handling"]["tlp"] == "RED" and m["handling"]["releasable_to"] == ["MY"]
        assert m["producer"]["country"] == "ID" and m["case_ref"] == "UJI-1"
        text = "\n".join(z.read(p).decode() for p in names if p.startswith("data/"))
    # ids two sources share are re-keyed; the provenance columns name the original
    assert "P-001~1" in text and "P-001~2" in text
    assert "source_bundle_id" in text and "b-2" in text
    assert res.details["bundle_id"] == m["bundle_id"] == res.export_id


def test_interpol_package_holds_no_withheld_content(case, tmp_path):
    out = tmp_path / "interpol.zip"
    res = export(case, "bundle", out, ExportOptions("INTERPOL"))
    with zipfile.ZipFile(out) as z:
        blob = b"\n".join(z.read(n) for n in z.namelist())
        stated = json.loads(z.read("files/withheld.json"))
    # the package states what was withheld: counts per source (bundle id, producer), kind, reason
    assert stated["recipient"] == "INTERPOL" and stated["withheld_total"] == res.withheld_total
    assert {"bundle_id": "b-2", "producer_country": "MY", "kind": "persons", "reason": "tlp-red",
            "reason_text": "TLP:RED: for the named recipients only, never passed on", "rows": 1} in stated["withheld"]
    assert sorted((w["bundle_id"], w["kind"], w["reason"], w["rows"]) for w in stated["withheld"]) == sorted(
        (w["bundle_id"], w["kind"], w["reason"], w["rows"]) for w in res.withheld)
    for secret in (S.CAHYA, S.LIM, S.REYES, S.PH_CAHYA, S.PH_REYES, S.PH_LIM, S.PUBLIC, "Jl. Mawar 3",
                   "mother", "PDRM intelligence"):
        assert secret.encode() not in blob, secret
    assert S.PHOTO_CAHYA not in blob and S.PHOTO_ANDI in blob
    assert S.ANDI.encode() in blob


def test_export_is_audited_and_listed(case, tmp_path):
    out = tmp_path / "a.zip"
    res = export(case, "bundle", out, ExportOptions("INTERPOL"))
    assert res.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    entry = case.audit_entries()[-1]
    assert entry["seq"] == res.audit_seq and entry["action"] == "export.bundle"
    assert entry["params"]["recipient"] == "INTERPOL"
    assert entry["result"]["sha256"] == res.sha256 and entry["result"]["tlp"] == "AMBER"
    assert entry["result"]["included"]["persons"] == res.included["persons"]
    assert {"source_id": 2, "kind": "persons", "reason": "tlp-red"}.items() <= entry["result"]["withheld"][
        [w["source_id"] for w in entry["result"]["withheld"]].index(2)].items()
    row = case.cursor().execute("SELECT export_id, kind, recipient, path, sha256, tlp, audit_seq "
                                "FROM exports").fetchall()
    assert row == [(res.export_id, "bundle", "INTERPOL", str(out), res.sha256, "AMBER", res.audit_seq)]
    assert case.verify_audit().ok


def test_subjects_and_directory_bundle_of_parquet(case, tmp_path):
    out = tmp_path / "dir-bundle"
    res = export(case, "bundle", out, ExportOptions("MY", subjects=["P-002"], table_format="parquet"))
    assert (out / "manifest.json").is_file() and res.sha256 == hashlib.sha256(
        (out / "manifest.json").read_bytes()).hexdigest()
    assert res.included == {"persons": 2, "identifiers": 1, "relationships": 1, "calls": 2}
    assert bundle.verify(out, allow_unsigned=True).valid
    with Case.create(tmp_path / "received.lintas", "Received") as new:
        imp = import_path(new, out, ImportOptions(allow_unsigned=True))
        assert imp.rows == res.included
        assert new.cursor().execute("SELECT aliases FROM persons WHERE name = ?", [S.BUDI]).fetchone()[0] \
            == ["Budi"]


def test_refusals(case, tmp_path):
    out = tmp_path / "x.zip"
    out.write_bytes(b"old")
    with pytest.raises(ExportError, match="already exists"):
        export(case, "bundle", out, ExportOptions("MY"))
    with pytest.raises(ExportError, match="handling"):
        export(case, "bundle", tmp_path / "y.zip", ExportOptions("MY", drop_markings=True))
    with pytest.raises(ExportError, match="unknown export format"):
        export(case, "pdfx", tmp_path / "z", ExportOptions("MY"))
    assert not (tmp_path / "y.zip").exists()
    assert case.cursor().execute("SELECT count(*) FROM exports").fetchone()[0] == 0


def test_cli_export_json(case, tmp_path, capsys):
    path = case.path
    case.close()
    out = tmp_path / "cli.zip"
    assert cli.main(["export", str(path), "--to", "bundle", "--recipient", "MY", "--out", str(out),
                     "--subjects", "P-002", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["recipient"] == "MY" and data["kind"] == "bundle" and data["included"]["persons"] == 2
    assert data["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert cli.main(["export", str(path), "--to", "bundle", "--recipient", "MY", "--out", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err
    case.con = Case.open(path).con   # the fixture closes it


def test_with_dossier_holds_what_the_package_holds(case, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    import io

    out = tmp_path / "with-dossier.zip"
    export(case, "bundle", out, ExportOptions("INTERPOL", with_dossier=True))
    with zipfile.ZipFile(out) as z:
        m = json.loads(z.read("manifest.json"))
        pdf_entry = next(a for a in m["attachments"] if a["media_type"] == "application/pdf")
        pdf = z.read(pdf_entry["path"])
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "TLP:AMBER" in text and S.ANDI in text
    for secret in (S.CAHYA, S.LIM, S.REYES):
        assert secret not in text
    dossier, package = case.audit_entries()[-2:]
    assert (dossier["action"], package["action"]) == ("export.dossier", "export.bundle")
    def counts(entry):
        return sorted((w["source_id"], w["kind"], w["reason"], w["rows"]) for w in entry["result"]["withheld"])

    assert counts(dossier) == counts(package)
    assert {k: v for k, v in dossier["result"]["included"].items() if k != "attachments"} == \
        package["result"]["included"]
    assert bundle.verify(out, allow_unsigned=True).valid


def test_masked_package_still_imports(case, tmp_path):
    """Masked dates and countries are emptied, not pseudonymised: the package stays valid."""
    out = tmp_path / "masked.zip"
    res = export(case, "bundle", out, ExportOptions("INTERPOL", masking="all"))
    assert res.masked.get("persons")
    with Case.create(tmp_path / "received.lintas", "Received") as new:
        imp = import_path(new, out, ImportOptions(allow_unsigned=True))
        assert imp.imported and imp.rows == res.included, imp.problems[:5]
        rows = new.cursor().execute("SELECT name, birth_date FROM persons").fetchall()
        # the partner's persons (name and birth date declared personal data) are masked
        masked = [r for r in rows if r[0].startswith("masked:")]
        assert masked and all(b is None for _, b in masked)
        assert S.ANDI not in {r[0] for r in rows}


def test_masked_package_with_dossier_shows_the_same_pseudonyms(case, tmp_path):
    """With --mask-personal-data all, the PDF masks what the data files mask, with the same pseudonyms."""
    pypdf = pytest.importorskip("pypdf")
    import io

    out = tmp_path / "masked-dossier.zip"
    export(case, "bundle", out, ExportOptions("INTERPOL", masking="all", with_dossier=True))
    with zipfile.ZipFile(out) as z:
        m = json.loads(z.read("manifest.json"))
        pdf = z.read(next(a for a in m["attachments"] if a["media_type"] == "application/pdf")["path"])
        persons = next(t for t in m["tables"] if t["kind"] == "persons")
        names = z.read(persons["path"]).decode("utf-8")
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    import re

    pseudonyms = set(re.findall(r"masked:[0-9a-f]{16}", names))
    assert pseudonyms
    assert S.ANDI not in text
    assert any(p in text.replace("\n", "") for p in pseudonyms)
