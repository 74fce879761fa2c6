"""A case for dossier tests and the dossier benchmark, written by SQL inserts.

Four sources with different handling:

  #1 POLRI (ID)       AMBER, releasable to ID, MY, INTERPOL  — the unit's own evidence
  #2 PDRM (MY)        AMBER, releasable to ID, MY            — goes to MY (producer), not INTERPOL
  #3 AFP (AU)         RED                                    — goes to neither
  #4 open source (ID) CLEAR, no releasable_to                — goes to anyone

Names that must never reach a recipient are in ``SECRET_FOR``.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from pathlib import Path

from workstation.case import Case
from workstation.normalise import identifier_norm
from workstation.sql import ident

SECRET_MY_SOURCE = ["Lim Rahsia Wei", "Siti Tersembunyi"]       # source #2: withheld from INTERPOL
SECRET_RED = ["Zebulon Redacted-Hart"]                          # source #3: withheld from everyone
MASKED_NAME = "Wahyu Samaran-Pribadi"                           # source #4 personal data: masked for both
MASKED = [MASKED_NAME, "Dedi Terbuka-Pribadi"]
SECRET_FOR = {"MY": SECRET_RED + MASKED, "INTERPOL": SECRET_RED + SECRET_MY_SOURCE + MASKED}
NON_LATIN = ["محمد الأمين", "陈志明", "Nguyễn Văn Hùng"]
THAI_ALIAS = "เฉิน จื้อหมิง"                                       # Chen's name as a Thai source writes it

T0 = dt.datetime(2026, 3, 1, 8, 0)


def _png(colour: tuple[int, int, int]) -> bytes:
    from PIL import Image

    img = Image.new("RGB", (60, 80), colour)
    for x in range(15, 45):
        for y in range(10, 40):
            img.putpixel((x, y), (240, 220, 200))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def _insert(con, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    cols = list(dict.fromkeys(c for r in rows for c in r))
    sql = (f"INSERT INTO {ident(table)} ({', '.join(ident(c) for c in cols)}) "
           f"VALUES ({', '.join('?' for _ in cols)})")
    con.executemany(sql, [[r.get(c) for c in cols] for r in rows])


def make_case(path: Path, extra_subjects: int = 0, seed: int = 3) -> Case:
    """Create the test case at ``path`` and return it open."""
    rng = random.Random(seed)
    case = Case.create(path, "Operasi Mawar", ref="MAWAR-2026-014", unit="Satreskrim Polres Bontang")
    con = case.con
    now = dt.datetime(2026, 11, 20, 10, 0)
    sources = [
        dict(source_id=1, bundle_id="polri-mawar-01", title="Ekstraksi ponsel dan CDR Operasi Mawar",
             format="lintas-bundle/1", importer="bundle", container_name="mawar_polri.zip",
             container_sha256="a1" * 32, producer_agency="POLRI Polres Bontang", producer_unit="Satreskrim",
             producer_country="ID", tlp="AMBER", releasable_to=["ID", "MY", "INTERPOL"],
             legal_basis="KUHAP art. 5; ASEAN MLAT 2004", caveats=[], signature_status="verified",
             signer_key_id="b2" * 32, signer_name="POLRI Polres Bontang", imported_at=now),
        dict(source_id=2, bundle_id="pdrm-d7-12", title="Transfers and travel, PDRM D7",
             format="lintas-bundle/1", importer="bundle", container_name="pdrm_d7.zip",
             container_sha256="c3" * 32, producer_agency="Royal Malaysia Police", producer_unit="D7",
             producer_country="MY", tlp="AMBER", releasable_to=["ID", "MY"],
             legal_basis="ASEAN MLAT 2004, request 12/2026",
             caveats=["Not for use as evidence in court without MLA confirmation"],
             signature_status="verified", signer_key_id="d4" * 32, signer_name="PDRM D7", imported_at=now),
        dict(source_id=3, bundle_id="afp-red-3", title="AFP liaison note on Zebulon Redacted-Hart",
             format="lintas-bundle/1", importer="bundle", container_name="afp_note.zip",
             container_sha256="e5" * 32, producer_agency="Australian Federal Police", producer_unit="ILO",
             producer_country="AU", tlp="RED", releasable_to=["ID"], legal_basis="Police-to-police",
             caveats=[], signature_status="unsigned", imported_at=now),
        dict(source_id=4, bundle_id="osint-4", title="Open-source news clippings", format="csv",
             importer="plain", container_name="news.csv", container_sha256="f6" * 32,
             producer_agency="Satreskrim Polres Bontang", producer_country="ID", tlp="CLEAR",
             releasable_to=[], legal_basis=None, caveats=[], signature_status="unsigned", imported_at=now),
    ]
    persons, entities, identifiers, rels, calls, travel, sightings, addresses = [], [], [], [], [], [], [], []
    transfers, incidents, files = [], [], []
    eid = [0]

    def person(src, pid, name, role, aliases=(), birth=None, nat=None):
        eid[0] += 1
        e = eid[0]
        persons.append(dict(source_id=src, source_row=len([p for p in persons if p["source_id"] == src]) + 2,
                            id=pid, name=name, aliases=list(aliases), birth_date=birth, birth_date_iso=birth,
                            nationality=nat, nationality_iso=nat, entity_id=e, name_folded=name.lower(),
                            role=role))
        entities.append(dict(entity_id=e, kind="person", source_id=src, source_row=persons[-1]["source_row"],
                             local_id=pid, name=name, name_folded=name.lower()))
        return e

    def ident_(src, owner, e, kind, value, vf=None, vt=None):
        identifiers.append(dict(source_id=src, source_row=len(identifiers) + 2, owner=owner, kind=kind, value=value,
                                valid_from=vf, valid_from_iso=vf, valid_to=vt, valid_to_iso=vt,
                                owner_entity_id=e, value_norm=identifier_norm(kind, value, "ID")))

    # source 1: the unit's own evidence
    boss = person(1, "P-001", "Budi Santoso", "suspect", ["Bos Tawau", "Pak Budi"], "1979-04-02", "ID")
    arab = person(1, "P-002", NON_LATIN[0], "suspect", ["Mohammed Al-Amin"], "1985", "MY")
    chen = person(1, "P-003", NON_LATIN[1], "suspect", ["Chen Zhiming", THAI_ALIAS], "1981-11", "MY")
    viet = person(1, "P-004", NON_LATIN[2], "victim", [], "2001-06-15", "VN")
    wit = person(1, "P-005", "Rina Marlina", "witness", [], "1990", "ID")
    vic2 = person(1, "P-006", "Dewi Lestari", "victim", ["Dewi"], "2003", "ID")
    ident_(1, "P-001", boss, "phone", "+6281234567890", "2026-01-01", "2026-04-10")
    ident_(1, "P-001", boss, "phone", "+6281399887766", "2026-04-11")
    ident_(1, "P-001", boss, "passport", "B1234567")
    ident_(1, "P-001", boss, "bank_account", "BRI-0012-3456")
    ident_(1, "P-002", arab, "phone", "+60123456789", "2026-01-01")
    ident_(1, "P-003", chen, "phone", "+60198765432")
    ident_(1, "P-004", viet, "phone", "+84912345678")
    ident_(1, "P-005", wit, "phone", "+6285211112222")
    ident_(1, "P-006", vic2, "phone", "+6285733334444")
    for a, b, k, s in ((boss, arab, "associate", "P-001/P-002"), (boss, chen, "associate", "P-001/P-003"),
                       (arab, viet, "recruiter", "P-002/P-004"), (chen, vic2, "recruiter", "P-003/P-006"),
                       (boss, wit, "employee", "P-001/P-005")):
        src_id, tgt_id = s.split("/")
        rels.append(dict(source_id=1, source_row=len(rels) + 2, source=src_id, target=tgt_id, kind=k,
                         source_entity_id=a, target_entity_id=b))
    phones = {boss: "+6281399887766", arab: "+60123456789", chen: "+60198765432", viet: "+84912345678",
              wit: "+6285211112222", vic2: "+6285733334444"}
    pairs = [(boss, arab, 14), (boss, chen, 9), (arab, viet, 5), (chen, vic2, 4), (boss, wit, 2), (arab, chen, 3)]
    for a, b, n in pairs:
        for i in range(n):
            t = T0 + dt.timedelta(days=rng.randint(0, 200), minutes=rng.randint(0, 1400))
            calls.append(dict(source_id=1, source_row=len(calls) + 2, caller=phones[a], caller_e164=phones[a],
                              callee=phones[b], callee_e164=phones[b], start=t.isoformat() + "+08:00", start_utc=t,
                              duration_s=float(rng.randint(10, 600)), kind="voice", cell_id=f"C{i % 7}",
                              lat=1.1 + rng.random() * 3, lon=116.5 + rng.random() * 2))
    # a call to the RED source's person: withheld with them, from everyone
    calls.append(dict(source_id=1, source_row=len(calls) + 2, caller=phones[boss], caller_e164=phones[boss],
                      callee="+61400111222", callee_e164="+61400111222", start="2026-05-02T10:00:00+08:00",
                      start_utc=dt.datetime(2026, 5, 2, 2, 0), duration_s=60.0, kind="voice"))
    for who, doc in ((boss, "B1234567"), (chen, "K7654321"), (vic2, "C1111111")):
        for day, frm, to, voy in ((dt.datetime(2026, 4, 12, 6), "Tawau", "Nunukan", "KM Purnama 12"),
                                  (dt.datetime(2026, 6, 3, 9), "Nunukan", "Balikpapan", "KM Lambelu 4")):
            if who == vic2 and voy.startswith("KM Lambelu"):
                continue
            travel.append(dict(source_id=1, source_row=len(travel) + 2, time=day.isoformat(), time_utc=day,
                               kind="departure", person={boss: "P-001", chen: "P-003", vic2: "P-006"}[who],
                               document=doc, place_from=frm, place_to=to, carrier="Pelni", voyage=voy,
                               person_entity_id=who, document_norm=doc))
    sightings.append(dict(source_id=1, source_row=2, subject="P-001", time="2026-05-20T21:00:00+08:00",
                          time_utc=dt.datetime(2026, 5, 20, 13), lat=4.2448, lon=117.8912, place="Tawau jetty",
                          kind="surveillance", note="met an unknown man", subject_entity_id=boss))
    addresses.append(dict(source_id=1, source_row=2, owner="P-001", full="Jl. Pelabuhan 7, Bontang", city="Bontang",
                          country="ID", country_iso="ID", lat=0.1333, lon=117.5, owner_entity_id=boss))
    addresses.append(dict(source_id=1, source_row=3, owner="P-003", full="Jalan Kuhara 21, Tawau", city="Tawau",
                          country="MY", country_iso="MY", lat=4.25, lon=117.88, owner_entity_id=chen))
    files.append(dict(source_id=1, path="data/calls.csv", kind="calls", format="csv", sha256="11" * 32,
                      bytes=4096, rows=len(calls)))
    files.append(dict(source_id=1, path="data/persons.csv", kind="persons", format="csv", sha256="12" * 32,
                      bytes=900, rows=6))

    # extra synthetic subjects (benchmark scale)
    extra = []
    for i in range(extra_subjects):
        e = person(1, f"X-{i:04d}", f"Subjek Sintetis {i:03d}", rng.choice(["suspect", "victim", "witness", None]),
                   [f"Alias {i}"], f"{1960 + i % 40}", rng.choice(["ID", "MY", "PH"]))
        ph = f"+62811{i:07d}"
        ident_(1, f"X-{i:04d}", e, "phone", ph)
        phones[e] = ph
        extra.append(e)
    everyone = list(phones)
    for i, e in enumerate(extra):
        for other in rng.sample(everyone, 3):
            if other == e:
                continue
            rels.append(dict(source_id=1, source_row=len(rels) + 2, source="X", target="Y",
                             kind=rng.choice(["associate", "family", "recruiter"]), source_entity_id=e,
                             target_entity_id=other))
            for _ in range(rng.randint(1, 6)):
                t = T0 + dt.timedelta(days=rng.randint(0, 240), minutes=rng.randint(0, 1400))
                calls.append(dict(source_id=1, source_row=len(calls) + 2, caller=phones[e], caller_e164=phones[e],
                                  callee=phones[other], callee_e164=phones[other], start=t.isoformat(),
                                  start_utc=t, duration_s=30.0, kind="voice", lat=0.5 + rng.random() * 4,
                                  lon=115.5 + rng.random() * 3))
        t = T0 + dt.timedelta(days=rng.randint(0, 240))
        travel.append(dict(source_id=1, source_row=len(travel) + 2, time=t.isoformat(), time_utc=t, kind="departure",
                           person=f"X-{i:04d}", place_from=rng.choice(["Tawau", "Nunukan", "Tarakan"]),
                           place_to=rng.choice(["Balikpapan", "Samarinda", "Sandakan"]), carrier="Pelni",
                           voyage=f"KM {i % 5}", person_entity_id=e))
        sightings.append(dict(source_id=1, source_row=len(sightings) + 2, subject=f"X-{i:04d}", time=t.isoformat(),
                              time_utc=t + dt.timedelta(days=3), lat=0.5 + rng.random() * 4,
                              lon=115.5 + rng.random() * 3, place=f"Pos {i % 9}", kind="patrol", subject_entity_id=e))

    # source 2: Malaysian partner data (withheld from INTERPOL)
    lim = person(2, "MY-01", SECRET_MY_SOURCE[0], "suspect", ["Ah Wei"], "1975", "MY")
    siti = person(2, "MY-02", SECRET_MY_SOURCE[1], "victim", [], "2002", "ID")
    ident_(2, "MY-01", lim, "bank_account", "MBB-5566-7788")
    ident_(2, "MY-01", lim, "phone", "+60177001122")
    ident_(2, "MY-02", siti, "phone", "+60177003344")
    rels.append(dict(source_id=2, source_row=2, source="MY-01", target="MY-02", kind="recruiter",
                     source_entity_id=lim, target_entity_id=siti))
    for i in range(6):
        t = T0 + dt.timedelta(days=10 * i)
        transfers.append(dict(source_id=2, source_row=i + 2, from_account="MBB-5566-7788", to_account="BRI-0012-3456",
                              time=t.isoformat(), time_utc=t, amount=9500 + i, currency="MYR", channel="remittance"))
    travel.append(dict(source_id=2, source_row=2, time="2026-04-12T06:00:00", time_utc=dt.datetime(2026, 4, 12, 6),
                       kind="departure", person="MY-02", document="A9988776", place_from="Tawau", place_to="Nunukan",
                       carrier="Pelni", voyage="KM Purnama 12", person_entity_id=siti))
    files.append(dict(source_id=2, path="data/transfers.csv", kind="transfers", format="csv", sha256="21" * 32,
                      bytes=2048, rows=6))

    # source 3: RED (to nobody but its producer, AU)
    red = person(3, "AU-1", SECRET_RED[0], "suspect", ["The Dentist"], "1970", "AU")
    ident_(3, "AU-1", red, "phone", "+61400111222")
    files.append(dict(source_id=3, path="data/persons.csv", kind="persons", format="csv", sha256="31" * 32,
                      bytes=100, rows=1))

    # source 4: CLEAR open source; its persons file declares the name personal data, so a recipient
    # that gets it only because it is TLP:CLEAR sees a pseudonym
    os1 = person(4, "OS-1", MASKED_NAME, "witness", [], "1988", "ID")
    os2 = person(4, "OS-2", "Dedi Terbuka-Pribadi", "witness", [], "1990", "ID")
    rels.append(dict(source_id=4, source_row=2, source="OS-1", target="OS-2", kind="associate",
                     source_entity_id=os1, target_entity_id=os2))
    files.append(dict(source_id=4, path="persons.csv", kind="persons", format="csv", sha256="42" * 32, bytes=90,
                      rows=1, personal_data=["name", "aliases"]))
    # source 4: CLEAR open source
    incidents.append(dict(source_id=4, source_row=2, id="N-1", time="2026-07-01T00:00:00Z",
                          time_utc=dt.datetime(2026, 7, 1), kind="rescue", lat=4.13, lon=117.66,
                          place="Nunukan harbour", description="12 migrants rescued from a boat", status="closed"))
    files.append(dict(source_id=4, path="news.csv", kind="incidents", format="csv", sha256="41" * 32, bytes=300,
                      rows=1))

    with case.transaction():
        _insert(con, "sources", sources)
        _insert(con, "persons", persons)
        _insert(con, "entities", entities)
        _insert(con, "identifiers", identifiers)
        _insert(con, "relationships", rels)
        _insert(con, "calls", calls)
        _insert(con, "travel", travel)
        _insert(con, "sightings", sightings)
        _insert(con, "addresses", addresses)
        _insert(con, "transfers", transfers)
        _insert(con, "incidents", incidents)
        _insert(con, "source_files", files)
        for src, eid_, local, colour, title in ((1, boss, "P-001", (90, 60, 40), "Photo of Budi Santoso"),
                                                (3, red, "AU-1", (10, 10, 120), "Photo AU-1")):
            blob = _png(colour)
            import hashlib

            sha = hashlib.sha256(blob).hexdigest()
            con.execute("INSERT INTO attachment_chunks VALUES (?, 0, ?)", [sha, blob])
            con.execute("INSERT INTO attachments VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [src, f"files/{local}.png", sha, len(blob), "image/png", title, [local]])
            con.execute("INSERT INTO attachment_links VALUES (?, ?, ?, ?)", [sha, src, local, eid_])
    return case
