"""PDF case dossiers, read back with pypdf: marking, numbering, withheld list, nothing withheld leaks."""

from __future__ import annotations

import ast
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_dossier_case import NON_LATIN, SECRET_FOR, SECRET_MY_SOURCE, THAI_ALIAS, make_case  # noqa: E402

from exports import dossier as D  # noqa: E402
from exports.i18n import Catalogue, catalogue_path, parse_po  # noqa: E402
from exports.selection import select  # noqa: E402
from workstation.case import Case  # noqa: E402
from workstation.errors import Cancelled  # noqa: E402
from workstation.progress import Progress  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One case, dossiers for MY (English) and INTERPOL (both languages)."""
    d = tmp_path_factory.mktemp("dossier")
    case = make_case(d / "mawar.lintas")
    try:
        my = D.build_dossier(case, d / "my.pdf", "MY", lang="en", now=NOW)
        ip = D.build_dossier(case, d / "interpol.pdf", "INTERPOL", lang="en+id", now=NOW)
    finally:
        case.close()
    return {"dir": d, "case": d / "mawar.lintas", "MY": my, "INTERPOL": ip}


def _pages(path: Path) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(str(path)).pages]


def _all_bytes(path: Path) -> bytes:
    """The raw file and every object with its stream decoded: what a recipient could dig out."""
    from pypdf.generic import IndirectObject

    out = [path.read_bytes()]
    r = PdfReader(str(path))
    for gen, objs in r.xref.items():
        for num in objs:
            obj = r.get_object(IndirectObject(num, gen, r))
            if hasattr(obj, "get_data"):
                out.append(obj.get_data())
            out.append(repr(obj).encode("utf-8", "replace"))
    assert len(out) > 50
    return b"\n".join(out)


def test_tlp_and_page_x_of_y_on_every_page(built):
    for who in ("MY", "INTERPOL"):
        res = built[who]
        pages = _pages(res.path)
        assert len(pages) == res.pages > 4
        for i, text in enumerate(pages, 1):
            assert text.count(f"TLP:{res.tlp}") >= 2, f"{who} page {i}: TLP label not in header and footer"
            assert f"page {i} of {len(pages)}" in text, f"{who} page {i}: no page numbering"
            assert res.dossier_id in text, f"{who} page {i}: no dossier id"
        # both languages in the en+id dossier, with the TLP label untranslated
        if who == "INTERPOL":
            assert f"halaman 1 dari {len(pages)}" in pages[0]
            assert "Ringkasan eksekutif" in "".join(pages)


def test_withheld_names_appear_nowhere_in_the_file(built):
    for who, secrets in SECRET_FOR.items():
        path = built[who].path
        text = "\n".join(_pages(path))
        blob = _all_bytes(path)
        for name in secrets:
            assert name not in text, f"{who}: withheld name {name!r} in the text of a page"
            for enc in ("utf-8", "utf-16-be"):
                assert name.encode(enc) not in blob, f"{who}: withheld name {name!r} in the file ({enc})"
            assert name.split()[0] not in text
        # the RED source's number and the attachment describing its person are out too
        assert "+61400111222" not in text


def test_my_and_interpol_differ_exactly_as_the_handling_says(built):
    my_text = "\n".join(_pages(built["MY"].path))
    ip_text = "\n".join(_pages(built["INTERPOL"].path))
    # source #2 was produced by MY: it goes back to MY, not to INTERPOL (not in releasable_to)
    for name in SECRET_MY_SOURCE:
        assert name in my_text
    assert "MBB-5566-7788" in my_text and "MBB-5566-7788" not in ip_text
    # the unit's own evidence goes to both
    for name in ("Budi Santoso", NON_LATIN[2], "Rina Marlina"):
        assert name in my_text and name in ip_text
    # the withheld lists are the selection's counts, per source, kind and reason
    with Case.open(built["case"], read_only=True) as case:
        for who in ("MY", "INTERPOL"):
            with select(case, who) as sel:
                want = sorted((w.source_id, w.kind, w.reason, w.rows) for w in sel.withheld)
                assert built[who].tlp == sel.tlp
            got = sorted((w["source_id"], w["kind"], w["reason"], w["rows"]) for w in built[who].withheld)
            assert got == want
    reasons_my = {w["reason"] for w in built["MY"].withheld}
    reasons_ip = {w["reason"] for w in built["INTERPOL"].withheld}
    assert reasons_my == {"tlp-red", "withheld-entity"}
    assert reasons_ip == {"tlp-red", "withheld-entity", "not-releasable-to"}
    # and the PDF's withheld section shows them
    assert "not-releasable-to" in ip_text and "not-releasable-to" not in my_text
    assert my_text.count("tlp-red") >= 2


def test_every_dossier_is_an_audit_entry_and_an_exports_row(built):
    with Case.open(built["case"], read_only=True) as case:
        entries = [e for e in case.audit_entries() if e["action"] == "export.dossier"]
        rows = case.cursor().execute("SELECT export_id, kind, recipient, sha256, tlp, audit_seq FROM exports "
                                     "ORDER BY audit_seq").fetchall()
        assert case.verify_audit().ok
    assert [e["params"]["recipient"] for e in entries][:2] == ["MY", "INTERPOL"]
    for e, row, who in zip(entries[:2], rows[:2], ("MY", "INTERPOL"), strict=True):
        res = built[who]
        digest = hashlib.sha256(res.path.read_bytes()).hexdigest()
        assert e["seq"] == res.audit_seq and e["result"]["sha256"] == digest == res.sha256
        assert e["result"]["withheld"] == res.withheld and e["result"]["included"]["persons"] > 0
        assert row == (res.dossier_id, "dossier", who, digest, res.tlp, res.audit_seq)
        last = _pages(res.path)[-1]
        assert f"entry #{res.audit_seq}" in last.replace("\n", " ")


def test_non_latin_names_are_embedded_with_fonts_that_have_them(built):
    r = PdfReader(str(built["MY"].path))
    fonts = set()
    for page in r.pages:
        for f in (page.get("/Resources", {}).get("/Font", {}) or {}).values():
            fonts.add(str(f.get_object().get("/BaseFont")))
    assert any("DejaVuSans" in f for f in fonts) and any("WenQuanYi" in f for f in fonts), fonts
    assert any("Loma" in f for f in fonts), fonts          # Thai
    pages = _pages(built["MY"].path)
    text = "\n".join(pages)
    assert NON_LATIN[1] in text and NON_LATIN[2] in text
    assert THAI_ALIAS in text, "a Thai alias must be drawn in a font that has Thai and read back as written"
    assert NON_LATIN[1] in pages[1], "the contents must draw CJK names with the CJK font"

    def titles(items):
        for x in items:
            yield from (titles(x) if isinstance(x, list) else [x.title])

    # bookmarks hold the names in reading order (the viewer shapes them)
    assert any(t.startswith(NON_LATIN[0]) for t in titles(r.outline))
    # Arabic is drawn shaped (presentation forms) in visual order
    from exports.pdf.fonts import visual

    shaped = visual(NON_LATIN[0])
    assert shaped != NON_LATIN[0] and any("\ufe70" <= ch <= "\ufeff" for ch in shaped)
    assert any(ch in text for ch in shaped if "\ufe70" <= ch <= "\ufeff")


def test_same_inputs_give_the_same_bytes(tmp_path):
    a = make_case(tmp_path / "a.lintas")
    a.close()
    shutil.copy(tmp_path / "a.lintas", tmp_path / "b.lintas")
    sections = ["subjects", "network", "patterns", "withheld"]
    with Case.open(tmp_path / "a.lintas") as case:
        a = D.build_dossier(case, tmp_path / "a.pdf", "INTERPOL", lang="id", now=NOW, sections=sections)
    # the other in a separate process with another hash seed (set order, igraph's random generator)
    code = ("import datetime as dt, sys; from workstation.case import Case; from exports.dossier import build_dossier; "
            "c = Case.open(sys.argv[1]); build_dossier(c, sys.argv[2], 'INTERPOL', lang='id', "
            f"sections={sections!r}, now=dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)); c.close()")
    r = subprocess.run([sys.executable, "-c", code, str(tmp_path / "b.lintas"), str(tmp_path / "b.pdf")],
                       capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "7"})
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    assert a.sha256 == hashlib.sha256((tmp_path / "b.pdf").read_bytes()).hexdigest()


def test_signed_dossier_verifies_and_a_changed_byte_is_caught(built, tmp_path):
    from exports.pdf.sign import verify_pdf
    from workstation import keys

    kid, _ = keys.new_key("unit", tmp_path / "unit.key")
    with Case.open(built["case"]) as case:
        res = D.build_dossier(case, tmp_path / "s.pdf", "MY", sections=["summary", "withheld"],
                              sign_key=tmp_path / "unit.key", now=NOW)
    data = res.path.read_bytes()
    v = verify_pdf(data)
    assert res.signed and v["signed"] and v["intact"] and v["key_id"] == kid
    assert v["signer"] == "Satreskrim Polres Bontang"
    bad = bytearray(data)
    bad[len(data) // 3] ^= 0x01
    assert not verify_pdf(bytes(bad))["intact"]
    # the TLP marking is still on every page of the signed file
    assert all("TLP:AMBER" in t for t in _pages(res.path))


def test_subjects_and_sections(built, tmp_path):
    with Case.open(built["case"]) as case:
        res = D.build_dossier(case, tmp_path / "s.pdf", "INTERPOL", subjects=["P-004"],
                              sections=["subjects", "withheld"], now=NOW)
        text = "\n".join(_pages(res.path))
        assert NON_LATIN[2] in text and "Rina Marlina" not in text and "Budi Santoso" not in text
        assert res.sections == ["subjects", "withheld"]
        assert "Timeline" not in text and "Sources annex" not in text
        with pytest.raises(D.DossierError, match="unknown section"):
            D.build_dossier(case, tmp_path / "x.pdf", "MY", sections=["gossip"])
        with pytest.raises(D.DossierError, match="none of the subjects"):
            D.build_dossier(case, tmp_path / "x.pdf", "INTERPOL", subjects=["MY-01"])
        assert not (tmp_path / "x.pdf").exists()


def test_cancel_leaves_no_file_and_no_entry(built, tmp_path):
    with Case.open(built["case"]) as case:
        before = len(case.audit_entries())
        exports_before = case.cursor().execute("SELECT count(*) FROM exports").fetchone()[0]
        p = Progress()
        calls = []

        def cb(f, m):
            calls.append(m)
            if "dossier:" in m:
                p.cancel()

        p._callback = cb
        p._min_interval = 0
        with pytest.raises(Cancelled):
            D.build_dossier(case, tmp_path / "x.pdf", "MY", progress=p)
        assert not (tmp_path / "x.pdf").exists()
        assert len(case.audit_entries()) == before
        assert case.cursor().execute("SELECT count(*) FROM exports").fetchone()[0] == exports_before


def test_catalogue_has_every_message_in_indonesian():
    ids = parse_po(catalogue_path().read_text(encoding="utf-8"))
    used = set()
    for f in [ROOT / "exports" / "dossier.py"]:
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "T"
                    and node.args and isinstance(node.args[0], ast.Constant)):
                used.add(node.args[0].value)
    used |= set(D._TLP_MEANING.values()) | set(D.ROLES) | {"other"}
    missing = sorted(u for u in used if not ids.get(u))
    assert not missing, missing
    # TLP labels are never translated
    assert all(not k.startswith("TLP:") or v.startswith("TLP:") for k, v in ids.items())
    assert Catalogue("en+id")("page {n} of {total}", n=2, total=9) == "page 2 of 9 / halaman 2 dari 9"


def test_cli_writes_the_dossier_and_prints_json(built, tmp_path, capsys):
    from workstation.cli import main

    shutil.copy(built["case"], tmp_path / "c.lintas")
    code = main(["dossier", str(tmp_path / "c.lintas"), "--out", str(tmp_path / "d.pdf"), "--recipient",
                 "interpol", "--lang", "id", "--sections", "summary,withheld", "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["recipient"] == "INTERPOL" and out["pages"] >= 3 and out["tlp"] == "AMBER"
    assert out["sha256"] == hashlib.sha256((tmp_path / "d.pdf").read_bytes()).hexdigest()
    assert "halaman 1 dari" in _pages(tmp_path / "d.pdf")[0]
    assert main(["dossier", str(tmp_path / "c.lintas"), "--out", str(tmp_path / "e.pdf"), "--recipient", "MY",
                 "--sections", "summary,gossip"]) == 1
    assert "unknown section" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["dossier", str(tmp_path / "c.lintas"), "--out", str(tmp_path / "e.pdf"), "--recipient", "MY",
              "--lang", "fr"])
    assert not (tmp_path / "e.pdf").exists()


def test_demo_case_dossiers_for_my_and_interpol_differ_as_the_handling_says(tmp_path):
    from workstation.demo import build_demo

    info = build_demo(tmp_path / "demo", scale=0.1)
    texts, results = {}, {}
    with Case.open(info["case"]) as case:
        for who in ("MY", "INTERPOL"):
            results[who] = D.build_dossier(case, tmp_path / f"{who}.pdf", who, lang="en",
                                           sections=["subjects", "withheld"], now=NOW)
            texts[who] = "\n".join(_pages(results[who].path))
            with select(case, who) as sel:
                t = sel._t("persons")
                rows = sel.con.execute(f"SELECT p.name, d.included, p.aliases FROM persons p "
                                       f"JOIN {t} d ON d.rid = p.rowid").fetchall()
                want = sorted((w.source_id, w.kind, w.reason, w.rows) for w in sel.withheld)
            got = sorted((w["source_id"], w["kind"], w["reason"], w["rows"]) for w in results[who].withheld)
            assert got == want
            released = {n for n, inc, _ in rows if inc}
            # a withheld name that is part of a released person's name or alias (namesakes) may appear
            said = "\n".join(sorted(released) + [a for _, inc, al in rows if inc for a in al or []])
            withheld = {n for n, inc, _ in rows if not inc and n not in said}
            assert released and withheld
            for name in withheld:
                assert name not in texts[who], f"{who}: withheld person {name!r} in the dossier"
            for name in sorted(released)[:20]:
                assert name in texts[who]
        # an Indonesian dossier gives the money-flow findings in Indonesian
        ind = D.build_dossier(case, tmp_path / "ID-id.pdf", "ID", lang="id", sections=["patterns"], now=NOW)
        text = " ".join(" ".join(_pages(ind.path)).split())
    from workstation.i18n import translate
    with Case.open(info["case"]) as case:
        found = _money_explanations(case)
    assert found

    def head(t: str) -> str:
        return " ".join(t.split()[:5])

    assert all(translate(e, "id") != e for e in found)
    assert any(head(translate(e, "id")) in text for e in found)
    assert not any(head(e) in text for e in found)
    assert ", baris " in text and ", row " not in text and " tanggal 2026-" in text
    assert "dana berputar (cycle)" in text and "penghimpunan dana (fan-in)" in text
    # what MY receives and INTERPOL does not (and the other way round) follows the sources' handling
    assert texts["MY"] != texts["INTERPOL"]
    assert {w["reason"] for w in results["INTERPOL"].withheld} >= {"not-releasable-to", "tlp-amber-strict"}


def _money_explanations(case) -> list[str]:
    from analysis.patterns import money_flows

    return [x["explanation"] for x in money_flows(case) if x.get("explanation")]


def test_unsigned_sources_are_marked_unverified_wherever_their_rows_are_cited(built, tmp_path):
    """Issue 3: an unsigned bundle is marked unverified everywhere it is shown — in a dossier, in the
    sources annex and beside every value drawn from it."""
    text = "\n".join(_pages(built["INTERPOL"].path))
    flat = " ".join(text.split())
    assert "UNVERIFIED: not signed" in flat and "TIDAK TERVERIFIKASI: tidak ditandatangani" in flat
    assert "#4 UNVERIFIED, row 2" in flat            # values from the unsigned source #4
    assert "#1 UNVERIFIED" not in flat and "#1, row" in flat      # the verified source is not marked
    assert "nothing proves who made it" in flat
    shutil.copy(built["case"], tmp_path / "copy.lintas")   # a dossier is an audit entry: not in the shared case
    with Case.open(tmp_path / "copy.lintas") as case:
        out = D.build_dossier(case, tmp_path / "id.pdf", "INTERPOL", lang="id", now=NOW)
    flat = " ".join(" ".join(_pages(out.path)).split())
    assert "#4 TIDAK TERVERIFIKASI, baris 2" in flat and "#1 TIDAK TERVERIFIKASI" not in flat
