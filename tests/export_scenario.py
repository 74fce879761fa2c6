"""A small case of five sources with every handling branch, written straight into a real
case file (shared by the tests/test_export*.py files; not a test module itself).

sources
  1  ID unit, AMBER, releasable to ID MY INTERPOL: Andi (P-001), Budi (P-002), and
     Cahya (P-003) whose row has its own handling TLP:RED; phones; calls; a relationship
     Andi–Cahya; an address of Cahya; a photo of Andi and one of Cahya.
  2  MY police, RED: Lim Wei Ming (P-001) and his phone.
  3  ID telco, GREEN, releasable to MY only: calls Andi→Lim, Andi→Budi, Budi→Reyes.
  4  PH police, AMBER+STRICT: Reyes (P-9) and his phone.
  5  ID unit, CLEAR with no releasable_to: a wanted person (name is personal data) and an
     incident.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from workstation.case import Case

ANDI, BUDI, CAHYA, LIM, REYES = "Andi Saputra", "Budi Santoso", "Cahya Rahmawati", "Lim Wei Ming", "Juan Reyes"
PUBLIC = "Dewi Lestari"
PH_ANDI, PH_BUDI, PH_CAHYA = "+6281234567890", "+6281211112222", "+6281299998888"
PH_LIM, PH_REYES = "+60123456789", "+639171234567"
PHOTO_ANDI = b"\x89PNG fake photo of andi"
PHOTO_CAHYA = b"\x89PNG fake photo of cahya"

SOURCES = [
    # id, bundle_id, title, producer_country, tlp, releasable_to, legal_basis, caveats
    (1, "b-1", "Seizure Bontang", "ID", "AMBER", ["ID", "MY", "INTERPOL"], "KUHAP art. 7", []),
    (2, "b-2", "PDRM intelligence", "MY", "RED", [], "ASEAN MLAT 2004", ["no court use"]),
    (3, "b-3", "Telco CDR", "ID", "GREEN", ["MY"], "UU ITE", []),
    (4, "b-4", "PNP report", "PH", "AMBER+STRICT", [], "bilateral MoU", []),
    (5, "b-5", "Public notice", "ID", "CLEAR", [], None, []),
]


def build(path) -> Case:
    case = Case.create(path, "Operasi Uji", ref="UJI-1", unit="Satreskrim")
    con = case.con
    now = dt.datetime(2026, 11, 27, 10, 0, 0)
    for sid, bid, title, prod, tlp, rel, lb, cav in SOURCES:
        con.execute("INSERT INTO sources (source_id, bundle_id, title, format, importer, producer_country, "
                    "tlp, releasable_to, legal_basis, caveats, signature_status, imported_at, "
                    "producer_agency) VALUES (?, ?, ?, 'lintas-bundle/1', 'lintas-bundle', ?, ?, ?, ?, ?, "
                    "'verified', ?, ?)", [sid, bid, title, prod, tlp, rel, lb, cav, now, f"agency {prod}"])
    con.execute("INSERT INTO handlings VALUES (1, 1, 'RED', [], 'KUHAP art. 7', ['source protection'], "
                "'informant')")
    persons = [  # source, row, id, name, nationality, entity_id, handling_id
        (1, 1, "P-001", ANDI, "ID", 1, None), (1, 2, "P-002", BUDI, "ID", 2, None),
        (1, 3, "P-003", CAHYA, "ID", 3, 1), (2, 1, "P-001", LIM, "MY", 4, None),
        (4, 1, "P-9", REYES, "PH", 5, None), (5, 1, "W-1", PUBLIC, "ID", 6, None)]
    for sid, row, pid, name, nat, eid, hid in persons:
        con.execute("INSERT INTO persons (source_id, source_row, id, name, aliases, nationality, entity_id, "
                    "name_folded, handling_id, extra) VALUES (?, ?, ?, ?, ?, ?, ?, lower(?), ?, ?)",
                    [sid, row, pid, name, [name.split()[0]], nat, eid, name, hid,
                     '{"rank": "x", "mother": "Siti"}' if sid == 5 else None])
        con.execute("INSERT INTO entities VALUES (?, 'person', ?, ?, ?, ?, lower(?))",
                    [eid, sid, row, pid, name, name])
    idents = [(1, 1, "P-001", PH_ANDI, 1), (1, 2, "P-002", PH_BUDI, 2), (1, 3, "P-003", PH_CAHYA, None),
              (2, 1, "P-001", PH_LIM, None), (4, 1, "P-9", PH_REYES, 5)]
    for sid, row, owner, phone, oeid in idents:
        con.execute("INSERT INTO identifiers (source_id, source_row, owner, kind, value, owner_entity_id, "
                    "value_norm) VALUES (?, ?, ?, 'phone', ?, ?, ?)",
                    [sid, row, owner, phone.replace("+62", "0") if sid == 1 else phone, oeid, phone])
    calls = [(1, 1, PH_ANDI, PH_BUDI), (1, 2, PH_BUDI, PH_CAHYA),
             (3, 1, PH_ANDI, PH_LIM), (3, 2, PH_ANDI, PH_BUDI), (3, 3, PH_BUDI, PH_REYES)]
    for sid, row, a, b in calls:
        con.execute("INSERT INTO calls (source_id, source_row, caller, caller_e164, callee, callee_e164, "
                    "start, start_utc, duration_s, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 60, 'voice')",
                    [sid, row, a, a, b, b, f"2026-10-0{row}T10:00:00+08:00", dt.datetime(2026, 10, row, 2)])
    con.execute("INSERT INTO relationships (source_id, source_row, source, target, kind, source_entity_id, "
                "target_entity_id) VALUES (1, 1, 'P-001', 'P-003', 'associate', 1, 3), "
                "(1, 2, 'P-001', 'P-002', 'associate', 1, 2)")
    con.execute("INSERT INTO addresses (source_id, source_row, owner, \"full\", city, country) VALUES "
                "(1, 1, 'P-003', 'Jl. Mawar 3, Bontang', 'Bontang', 'ID'), "
                "(1, 2, 'P-001', 'Jl. Melati 9, Bontang', 'Bontang', 'ID')")
    con.execute("INSERT INTO incidents (source_id, source_row, id, time, time_utc, kind, place) VALUES "
                "(5, 1, 'I-1', '2026-09-01T08:00:00+08:00', TIMESTAMP '2026-09-01 00:00:00', 'smuggling', "
                "'Tawau')")
    files = [(1, "data/persons.csv", "persons", ["name", "aliases"]), (1, "data/calls.csv", "calls", []),
             (5, "data/persons.csv", "persons", ["name", "aliases", "mother"])]
    for sid, p, kind, pd in files:
        con.execute("INSERT INTO source_files (source_id, path, kind, format, personal_data) "
                    "VALUES (?, ?, ?, 'csv', ?)", [sid, p, kind, pd])
    for content, pid in ((PHOTO_ANDI, "P-001"), (PHOTO_CAHYA, "P-003")):
        h = hashlib.sha256(content).hexdigest()
        con.execute("INSERT INTO attachment_chunks VALUES (?, 0, ?)", [h, content])
        con.execute("INSERT INTO attachments VALUES (1, ?, ?, ?, 'image/png', ?, [?])",
                    [f"files/{pid}.png", h, len(content), f"photo {pid}", pid])
    # the ids above were given by hand: move the case's sequences past them, as the import
    # pipeline would have
    for seq, n in (("seq_source", len(SOURCES)), ("seq_entity", len(persons)), ("seq_handling", 1)):
        con.execute(f"SELECT nextval('{seq}') FROM range({n})").fetchall()
    return case


_TEMPLATE: dict[str, object] = {}


def copy_of_template(tmp_path_factory, dest) -> Case:
    """The scenario built once per test session, copied (a file copy) for each test."""
    import shutil

    if "path" not in _TEMPLATE:
        path = tmp_path_factory.mktemp("scenario-template") / "scenario.lintas"
        build(path).close()
        _TEMPLATE["path"] = path
    shutil.copyfile(_TEMPLATE["path"], dest)
    return Case.open(dest)
