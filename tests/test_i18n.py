"""Core text in Bahasa Indonesia at display time: the catalogue, its templates, and completeness
measured on what real runs produce (demo import, xref, patterns, network, dossier, refused
imports, the malformed-bundle corpus, partner formats)."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from workstation import i18n
from workstation.i18n import catalogue, catalogue_path, parse_po, placeholders, translate, translate_all

FIX = Path(__file__).parent / "fixtures"
CORPUS = FIX / "bundles" / "malformed"


# -- the mechanism ---------------------------------------------------------------------------
def test_exact_template_and_unknown_text():
    assert translate("imported", "id") == "selesai diimpor"
    assert translate("imported", "en") == "imported"
    assert translate("reading data/calls.csv", "id") == "membaca data/calls.csv"
    # a captured value that is itself a message is translated too (a kind, a JSON type)
    assert translate("writing persons from data/orang.csv", "id") == "menulis orang dari data/orang.csv"
    assert translate("tables[0].bytes: must be an integer, not a string", "id") == \
        "tables[0].bytes: harus berupa bilangan bulat, bukan teks"
    text = "no such words in any catalogue 12345"
    assert translate(text, "id") == text
    assert translate("", "id") == "" and translate(None, "id") is None
    assert translate_all(["imported", text], "id") == ["selesai diimpor", text]


def test_dossier_catalogue_translates_core_text():
    from exports.i18n import Catalogue

    text = "together on 6 occasions at 1 place(s), each time within 30 minutes of each other"
    assert Catalogue("en").core(text) == text
    assert Catalogue("id").core(text) == "bersama pada 6 kesempatan di 1 tempat, setiap kali dalam selang 30 menit"
    assert Catalogue("en+id").core(text) == f"{text} / {Catalogue('id').core(text)}"


def test_templates_match_whole_texts_only_and_most_specific_first(tmp_path, monkeypatch):
    po = tmp_path / "i18n" / "xx.po"
    po.parent.mkdir()
    po.write_text('msgid "same {what} {value}"\nmsgstr "{what} sama {value}"\n\n'
                  'msgid "same passport number {value}"\nmsgstr "nomor paspor sama {value}"\n\n'
                  'msgid "row {row}: timestamp {value} has no offset"\n'
                  'msgstr "baris {row}: stempel waktu {value} tanpa selisih zona"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "resources_dir", lambda: tmp_path)
    i18n.reload()
    try:
        assert translate("same passport number MY A1234567", "xx") == "nomor paspor sama MY A1234567"
        assert translate("same email a@b.c", "xx") == "email sama a@b.c"
        assert translate("row 7: timestamp 2026-03-01 08:00 has no offset", "xx") == \
            "baris 7: stempel waktu 2026-03-01 08:00 tanpa selisih zona"
        # literal parts are literal (regex characters escaped), and the whole text must match
        assert translate("row 7: timestamp x has no offset, twice", "xx") == \
            "row 7: timestamp x has no offset, twice"
        assert translate("same (.*)", "xx") == "same (.*)"
    finally:
        i18n.reload()


def test_every_template_keeps_its_placeholders():
    entries = parse_po(catalogue_path("id").read_text(encoding="utf-8"))
    templates = {k: v for k, v in entries.items() if placeholders(k)}
    assert len(templates) > 150
    bad = {k: v for k, v in templates.items() if placeholders(k) != placeholders(v)}
    assert not bad, bad
    # and no msgid is left without its Indonesian text
    assert not [k for k, v in entries.items() if not v.strip()]


def test_no_template_swallows_everything():
    # a template of placeholders and punctuation only would translate any text as itself
    # (unless its placeholders only match numbers, as in "{n} of {m}")
    for t in catalogue("id").templates:
        numbers_only = all(m.group(1) in i18n.NUMERIC_NAMES or ":" in m.group(2)
                           for m in i18n.PLACEHOLDER.finditer(t.msgid))
        assert re.search(r"[A-Za-z]{3}", i18n.PLACEHOLDER.sub("", t.msgid)) or numbers_only, t.msgid


# -- completeness on real runs -----------------------------------------------------------------
def _names_and_numbers_only(s: str) -> bool:
    """Text with no English in it: file names, ids, numbers, codes."""
    words = [w for w in re.split(r"[\s,;:()\[\]'\"=]+", s) if w]
    return all(re.search(r"[\d/._@+#-]", w) or w.isupper() for w in words)


class Collected:
    def __init__(self) -> None:
        self.strings: dict[str, str] = {}    # text -> where it came from

    def add(self, where: str, text) -> None:
        if isinstance(text, str) and text.strip():
            self.strings.setdefault(text, where)

    def progress(self, where: str):
        from workstation.progress import Progress

        return Progress(lambda _f, m: self.add(f"{where} progress", m), min_interval=0)

    def problems(self, where: str, exc) -> None:
        self.add(f"{where} summary", exc.summary)
        for p in exc.problems:
            self.add(f"{where} problem", p["reason"])


def _refused_bundle(tmp: Path) -> Path:
    """An unsigned bundle with many kinds of bad rows in three files."""
    from workstation.bundle import pack

    d = tmp / "bad"
    (d / "data").mkdir(parents=True)
    (d / "data" / "persons.csv").write_text(
        "id,name,birth_date\nP-1,Rizal,1980-13-45\nP-1,Andi,1979\nP-2,,1990-01-01\n", encoding="utf-8")
    (d / "data" / "calls.csv").write_text(
        "caller,callee,start,duration_s,kind\n0812 3456 7890,0813 1111 2222,2026-03-01 08:15:00,sixty,Voice\n"
        "0812 3456 7890,,yesterday,15,fax\n", encoding="utf-8")
    (d / "data" / "relationships.csv").write_text("source,target,kind\nP-1,P-9,associate\n", encoding="utf-8")
    (d / "data" / "travel.csv").write_text("time,kind,person,document\n2026-03-01T08:00:00+08:00,departure,,\n"
                                           "2026-03-02T08:00:00+08:00,Border Crossing,,A1234567\n"
                                           "2026-03-03T08:00:00+08:00,exit,,A1234567\n", encoding="utf-8")
    (d / "data" / "messages.csv").write_text("sender,recipient,time,direction\n"
                                             "0812 3456 7890,0813 1111 2222,2026-03-01T08:00:00+08:00,out\n"
                                             "0812 3456 7890,0813 1111 2222,2026-03-01T08:01:00+08:00,Incoming\n",
                                             encoding="utf-8")
    (d / "data" / "contacts.csv").write_text("owner,label,value,kind\n0812 3456 7890,Bos,0813 1111 2222,telepon\n"
                                             "0812 3456 7890,Bos,bos@example.com,E-mail\n", encoding="utf-8")
    # amounts: not one, IDR with a dot that may group thousands, separators and a decimal comma
    (d / "data" / "transfers.csv").write_text(
        "from_account,to_account,time,amount,currency\nA-1,A-2,2026-03-01T08:00:00+08:00,lots,IDR\n"
        "A-1,A-2,2026-03-01T08:00:00+08:00,1.500,IDR\nA-1,A-2,2026-03-01T08:00:00+08:00,1500.000,IDR\n"
        "A-1,A-2,2026-03-01T08:00:00+08:00,\"1,500.00\",USD\nA-1,A-2,2026-03-01T08:00:00+08:00,\"1,500\",USD\n"
        "A-1,A-2,2026-03-01T08:00:00+08:00,\"1500,50\",USD\n", encoding="utf-8")
    manifest = {"format": "lintas-bundle/1", "title": "Refused on purpose",
                "producer": {"agency": "Polres Bontang", "country": "ID"},
                "handling": {"tlp": "AMBER", "releasable_to": ["ID"]},
                "tables": [{"path": f"data/{k}.csv", "kind": k, "format": "csv"}
                           for k in ("persons", "calls", "relationships", "travel", "transfers", "messages",
                                     "contacts")]}
    (d / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return pack(d, tmp / "bad.zip")


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> Collected:
    from analysis import patterns, xref
    from exports.dossier import build_dossier
    from ui.network_panel import ego_drawing
    from ui.search_panel import _search
    from workstation import importers, keys
    from workstation.bundle import verify
    from workstation.case import Case
    from workstation.demo.build import build_demo
    from workstation.errors import InputRefused, LintasError
    from workstation.importers import ImportOptions
    from workstation.ingest import import_path

    tmp = tmp_path_factory.mktemp("i18n")
    c = Collected()
    demo = build_demo(tmp / "demo", scale=0.05, seed=14, progress=c.progress("demo import"))
    with Case.open(demo["case"]) as case:
        res = xref.xref(case, progress=c.progress("xref"))
        for pair in res.pairs:
            c.add("xref band", pair["band"])
            for r in pair["reasons"] or []:
                c.add("xref reason", r)
        for which in patterns.PATTERNS:
            for f in patterns.find_patterns(case, which, progress=c.progress(f"patterns {which}")):
                c.add(f"pattern {which}", f.get("explanation"))
        _search(case, "Rizal", c.progress("search"))
        seed = "/".join(case.con.execute(
            "SELECT s.bundle_id, p.id FROM persons p JOIN sources s USING (source_id) ORDER BY p.entity_id "
            "LIMIT 1").fetchone())
        drawing = ego_drawing(case, [seed], 2, c.progress("network"))
        for n in drawing["notes"]:
            c.add("network note", n)
        build_dossier(case, tmp / "d.pdf", "MY", lang="id", sections=["summary"],
                      progress=c.progress("dossier"))
        # a refused import: many kinds of bad rows
        with pytest.raises(InputRefused) as e:
            import_path(case, _refused_bundle(tmp), ImportOptions(allow_unsigned=True),
                        c.progress("refused import"))
        c.problems("refused import", e.value)
        again = import_path(case, demo["bundles"][0], ImportOptions(allow_unsigned=True, trust_once=True))
        for p in again.problems:
            c.add("import twice", p["reason"])
        # a plain file with bad options
        plain = tmp / "cdr.csv"
        plain.write_text("A,B,T\n1,2,3\n", encoding="utf-8")
        for opts in (ImportOptions(kind="calls", mapping={"caller": "A", "callee": "B", "start": "T",
                                                          "nonsense": "A"},
                                   timezone="Mars/Olympus", handling={"tlp": "PURPLE"}),
                     ImportOptions(kind="callz"), ImportOptions(),
                     ImportOptions(kind="calls", mapping={"caller": "A", "callee": "B", "start": "T"},
                                   producer_country="XX")):
            with pytest.raises(InputRefused) as e:
                import_path(case, plain, opts, format="plain")
            c.problems("plain import", e.value)
        # partner formats
        for path in (FIX / "partner" / "stix21" / "apt1.json", FIX / "partner" / "misp" / "existing_event.json",
                     FIX / "partner" / "own" / "marked_bundle.json", FIX / "partner" / "ftm" / "donations.ijson"):
            staged = importers.choose(path).stage(path, ImportOptions())   # the review's warnings
            for w in staged.warnings:
                c.add("partner warning", w)
            try:
                import_path(case, path, ImportOptions(handling={"tlp": "GREEN"}), c.progress("partner import"))
            except InputRefused as e:
                c.problems("partner import", e)
        for exc_fn in (lambda: patterns.find_patterns(case, "nonsense"),
                       lambda: xref.xref(case, kinds=("calls",))):
            try:
                exc_fn()
            except LintasError as e:
                c.add("error message", str(e))
        # the SQL console's jobs
        from workstation.rowsource import RowStore

        store = RowStore.for_case(case)
        rs = store.from_sql("SELECT * FROM calls", c.progress("console"))
        view = rs.derive(("start", False), "0812", c.progress("console"))
        view.export(tmp / "calls.csv", progress=c.progress("console"))
        view.close()
        rs.close()
    # error messages the UI shows in dialogs, raised for real
    _errors(c, tmp)
    # the malformed corpus: verify, and import (what the UI does with each)
    ring = keys.Keyring.load(CORPUS / "keyring.json")
    with Case.create(tmp / "corpus.lintas", "Corpus") as case:
        for z in sorted(CORPUS.glob("*.zip")):
            rep = verify(z, keyring=ring, progress=c.progress("verify"))
            for p in rep.problems:
                c.add(f"verify {z.name}", p["reason"])
            try:
                import_path(case, z, ImportOptions(keyring=ring), format="bundle")
            except InputRefused as e:
                c.problems(f"import {z.name}", e)
    shutil.rmtree(tmp, ignore_errors=True)
    return c


def _errors(c: Collected, tmp: Path) -> None:
    from analysis import xref
    from analysis.graph import Scope, build_network
    from exports.dossier import build_dossier
    from workstation import query
    from workstation.case import Case
    from workstation.errors import InputRefused, LintasError
    from workstation.importers import ImportOptions
    from workstation.ingest import import_path
    from workstation.keys import Keyring

    text = tmp / "notes.txt"
    text.write_text("not a case\n", encoding="utf-8")
    csv = tmp / "people.csv"
    csv.write_text("id,name\nP-1,Rizal\n", encoding="utf-8")

    def attempt(where: str, fn) -> None:
        try:
            fn()
        except InputRefused as e:
            c.problems(where, e)
        except LintasError as e:
            c.add(where, str(e))
        else:
            raise AssertionError(f"{where}: no error")

    attempt("open case", lambda: Case.open(tmp / "nothing.lintas"))
    attempt("open case", lambda: Case.open(text))
    attempt("open case", lambda: Case.open(tmp))
    with Case.create(tmp / "errors.lintas", "Errors") as case:
        attempt("new case", lambda: Case.create(tmp / "errors.lintas", "Again"))
        attempt("new case", lambda: Case.create(tmp / "untitled.lintas", ""))
        import_path(case, csv, ImportOptions(kind="persons", producer_country="ID"), format="plain")
        for sql in ("", "INSERT INTO notes VALUES (1)", "SELECT nextval('x')", "SELECT * FROM read_csv('/etc/passwd')",
                    "SELEC 1"):
            attempt("query", lambda sql=sql: list(query.stream(case.con, sql)))
        attempt("judgement", lambda: xref.judge(case, 1, 1, "same"))
        attempt("judgement", lambda: xref.judge(case, 1, 2, "perhaps"))
        attempt("judgement", lambda: xref.judge(case, 1, 999, "same"))
        attempt("judgement", lambda: xref.undo(case, 1, 2))
        attempt("network", lambda: build_network(case, Scope(seeds=("nobody",), hops=1)))
        attempt("dossier", lambda: build_dossier(case, tmp / "x.pdf", ""))
        attempt("import", lambda: import_path(case, tmp / "missing.csv"))
        attempt("import", lambda: import_path(case, csv))
        for name in ("stix1_package.xml",):
            attempt("import", lambda name=name: import_path(case, FIX / "partner" / "own" / name))
        attempt("import", lambda: import_path(case, FIX / "partner" / "stix21" / "interop-objectmarking-test.json"))
        # partner files refused: truncated, malformed, dangling references, unknown markings, STIX 2.0,
        # a MISP search response
        for name, content in _broken_partner_files().items():
            f = tmp / name
            f.write_text(content, encoding="utf-8")
            attempt("partner import", lambda f=f: import_path(case, f))
        attempt("partner import", lambda: import_path(case, FIX / "partner" / "misp"
                                                      / "stix20_bundle_from_pymisp_tests.json"))
    ring = Keyring.in_memory()
    pub = (FIX / "bundles" / "example_partner_my.pub").read_text().strip()
    attempt("keyring", lambda: ring.trust(pub, "Royal Malaysia Police", "Malaysia"))
    attempt("keyring", lambda: ring.trust(pub, ""))
    attempt("keyring", lambda: ring.resolve("0123456789abcdef"))
    # a tampered audit log
    with Case.create(tmp / "tampered.lintas", "Tampered") as case:
        case.record("note", {"text": "a"}, {})
        case.record("note", {"text": "b"}, {})
        case.con.execute("UPDATE audit SET params = '{\"text\": \"changed\"}' WHERE seq = 1")
        for p in case.verify_audit().problems:
            c.add("audit verify", p)


def _broken_partner_files() -> dict[str, str]:
    apt1 = (FIX / "partner" / "stix21" / "apt1.json").read_text(encoding="utf-8")
    marked = json.loads((FIX / "partner" / "own" / "marked_bundle.json").read_text(encoding="utf-8"))
    donations = (FIX / "partner" / "ftm" / "donations.ijson").read_text(encoding="utf-8")
    persons = json.loads((FIX / "partner" / "own" / "persons_event.json").read_text(encoding="utf-8"))
    out = {"cut.json": apt1[: len(apt1) // 2],
           "bad.json": apt1.replace('"relationship_type"', '"relationship_type" "x"', 1),
           "cut.ijson": donations[:5000]}
    doc = json.loads(apt1)
    next(o for o in doc["objects"] if o["type"] == "relationship")["target_ref"] = \
        "malware--00000000-0000-4000-8000-000000000000"
    out["dangling.json"] = json.dumps(doc)
    marked["objects"][3]["object_marking_refs"] = ["marking-definition--00000000-0000-4000-8000-000000000001"]
    out["unknown-marking.json"] = json.dumps(marked)
    lines = donations.splitlines()
    bad = json.loads(lines[3])
    bad["properties"]["payer"] = ["no-such-entity"]
    lines[3] = json.dumps(bad)
    out["dangling.ijson"] = "\n".join(lines) + "\n"
    persons["Event"]["Object"][0]["ObjectReference"][0]["referenced_uuid"] = "00000000-0000-4000-8000-000000000000"
    out["dangling-event.json"] = json.dumps(persons)
    out["search.json"] = '{"response": [{"Event": {}}, {"Event": {}}]}'
    out["cut-event.json"] = '{"Event": {"info": "x", "Attribute": ['
    return out


def untranslated(c: Collected) -> dict[str, str]:
    cat = catalogue("id")
    return {s: where for s, where in c.strings.items()
            if not _names_and_numbers_only(s) and s not in cat.exact and cat.match(s) is None}


def test_every_core_text_of_a_real_run_has_indonesian(collected):
    kinds = {w.split()[0] for w in collected.strings.values()}
    assert {"demo", "xref", "patterns", "network", "dossier", "refused", "plain", "verify", "console", "query",
            "judgement", "keyring", "audit", "open"} <= kinds
    assert len(collected.strings) > 300
    missing = untranslated(collected)
    if os.environ.get("LINTAS_I18N_MISSING"):   # for translators: the texts still to write, as JSON
        Path(os.environ["LINTAS_I18N_MISSING"]).write_text(json.dumps(missing, indent=1, ensure_ascii=False))
    assert not missing, "\n".join(f"{w}: {s!r}" for s, w in sorted(missing.items(), key=lambda x: x[1]))


def test_xref_reasons_for_chinese_family_names_have_indonesian():
    from analysis.names import family_name_relation

    cat = catalogue("id")
    for a, b in (("tan", "chen"), ("liem", "lin"), ("ng", "huang"), ("chan", "chen")):
        why = family_name_relation(a, b)
        if why is None:
            continue
        got = translate(why, "id")
        assert got != why and got.startswith("nama keluarga") and cat.match(why) is not None, (why, got)
    assert "ejaan Indonesia" in translate(family_name_relation("liem", "lin"), "id")
