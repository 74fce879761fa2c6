"""Entity-resolution benchmark (issue 4): quality on a labelled set, and speed at 125k–500k persons.

A generator plants people of this region in five sources (Indonesian police, Malaysian
police, Interpol, Philippine police, immigration), each source writing their names, birth
dates, phone numbers and passports its own way: Mohd/Muhammad, bin/binti, H./Hj./Drs.,
pre-1972 spelling, "SURNAME, Forename", dela Cruz/De La Cruz, typos, a dropped middle
name, day/month swapped, year only, numbers in national / international / bare form.
Distinct people share common names, and family members share a phone — the hard cases.

Quality: precision and recall of the "likely" band against the planted truth (and of
likely + possible), on --quality-records records.  Speed: ``analysis.xref.xref`` over
a case of N persons from five sources (N = 125k, 250k, 500k by default), median of
--repeat runs, with the ratio of each time to the previous size's (2x records should be
≤ 2.5x time).  The baseline for speed is linear growth from the smallest size.

    .venv/bin/python tests/benchmarks/bench_xref.py [--sizes 125000,250000,500000] [--repeat 1]
    .venv/bin/python tests/benchmarks/bench_xref.py --donations     # real data: nomenklatura donations.csv
    .venv/bin/python tests/benchmarks/bench_xref.py --demo 1.0      # the demo scenario's planted truth
    .venv/bin/python tests/benchmarks/bench_xref.py --skip-speed --missed "no namesake"   # why pairs miss
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from analysis import xref  # noqa: E402
from workstation.case import Case  # noqa: E402
from workstation.normalise import fold_name  # noqa: E402

ID_M = ("Agus Budi Dedi Eko Fajar Gunawan Hadi Irfan Joko Kurniawan Lukman Mulyadi Nanang Purnomo Rahmat "
        "Slamet Taufik Wahyu Yusuf Zainal Arif Bayu Dimas Hendra Imam Syahrul Teguh Cahyo Sunaryo Suharto "
        "Sukarno Suyono Bambang Susilo Yudi Jaya Heru Bagus Yanto Sujatmiko Priyo Wawan Adi Rudi Andi Yoga "
        "Rizal Ridwan Firman Hasan Umar Anwar Iwan Tono Joni Darto").split()
ID_F = ("Ani Bunga Citra Desi Eka Fitri Intan Kartini Lestari Mega Novi Putri Rani Sari Tuti Umi Wati Yanti "
        "Zahra Ayu Dian Lina Mira Nina Ratih Susi Yuni Sri Dewi Juwita Kusuma Rahayu Suryani Wulan").split()
ID_FAMILY = ("Siregar Nasution Harahap Simanjuntak Pratama Wijaya Kusumo Saputra Hidayat Setiawan Gunadi Halim "
             "Tanjung Lubis Sembiring Manurung Pangaribuan Nugroho Susanto Purba Ginting Rumbiak Sinaga "
             "Sutrisno Wibowo Santoso Hartono Suryadi Cahyadi Yuwono Prasetyo Wahyudi Kurniadi Sujono "
             "Suparman Suyatno Widodo Jayadi Mulyono Purwanto Haryono Sugiarto Rahardjo").split()
MY_GIVEN = ("Muhammad Azlan|Ahmad Faris|Nurul Izzah|Siti Nurhaliza|Muhammad Hafiz|Amirul|Hafizah|Khairul|"
            "Norazlina|Shahrul|Zulaikha|Ismail|Roslan|Suraya|Haziq|Muhammad Rizal|Abdul Rahman|Nur Aini|"
            "Muhammad Faizal|Syamsul|Azman|Zulkifli|Rosnah|Faridah|Kamarul|Muhammad Firdaus").split("|")
MY_FATHER = "Abdullah Ahmad Ismail Hassan Osman Yusof Ibrahim Sulaiman Rahman Salleh Kassim Daud Ali Hamid".split()
CN_FAMILY = "Tan Lim Lee Wong Chong Ng Chin Lau Goh Ong Teo Chua Koh".split()
CN_GIVEN = "Ah Kow|Wei Ming|Mei Ling|Chee Keong|Siew Lan|Boon Huat|Kok Wai|Li Hua|Jia Hui|Swee Lan".split("|")
PH_GIVEN = "Juan|Maria|Jose|Ana|Pedro|Rosa|Antonio|Carmen|Ramon|Luz|Eduardo|Teresita|Rolando|Marites".split("|")
PH_FAMILY = ("dela Cruz|de los Santos|Reyes|Santos|Bautista|Garcia|Mendoza|del Rosario|Villanueva|de Guzman|"
             "Ramos|Aquino|Castillo|dela Pena").split("|")

# Javanese-style family names from syllables (rich in the letters the 1972 reform changed: u, j, y, c).
_PRE = "Su Har Wi Pra Kus Sar Jat Mul Pur Tri Sri Ci Yu Cah Jo Bu Sa Gun Nug Wah Sup Sug Ram Sant Hend".split()
_SUF = "yono yanto tono jono wanto mono diono harjo yadi santo yatno jadi wibowo cipto yoto yudi".split()
ID_FAMILY = ID_FAMILY + [a + b for a in _PRE for b in _SUF]
_CN_SYL = "Ah Wei Ming Mei Ling Chee Keong Siew Lan Boon Huat Kok Wai Li Hua Jia Hui Swee Kim Seng Hock Yong Choon".split()
CN_GIVEN = CN_GIVEN + [f"{a} {b}" for a in _CN_SYL for b in _CN_SYL if a != b]
CN_FAMILY = CN_FAMILY + "Yap Foo Khoo Sim Low Teh Gan Heng Kwan Loh".split()
PH_GIVEN = PH_GIVEN + "Ricardo|Jocelyn|Ferdinand|Imelda|Rodrigo|Leni|Manuel|Cristina|Arnel|Divina|Renato|Lorna".split("|")
PH_FAMILY = PH_FAMILY + ("Macaraeg|Dizon|Pascual|Navarro|Tolentino|Salazar|Soriano|de Leon|dela Rosa|Valdez|"
                         "Manalo|Lacson|Ocampo|Tan|Sison|Yulo").split("|")
MY_GIVEN = MY_GIVEN + [f"Muhammad {x}" for x in ID_M[:30]] + [f"Nur {x}" for x in ID_F[:20]] + [
    f"Siti {x}" for x in ID_F[:20]]
MY_FATHER = MY_FATHER + ID_M

SOURCES = {1: ("Polres Bontang extraction", "ID"), 2: ("PDRM package", "MY"), 3: ("Interpol notices", "INTERPOL"),
           4: ("PNP package", "PH"), 5: ("Imigrasi records", "ID")}


def _person(rng: random.Random, pid: int) -> dict:
    style = rng.choices(["id", "my", "cn", "ph"], [0.55, 0.25, 0.1, 0.1])[0]
    female = rng.random() < 0.4
    if style == "id":
        given = rng.choice(ID_F if female else ID_M)
        parts = [given] + ([rng.choice(ID_M + ID_F)] if rng.random() < 0.4 else []) + [rng.choice(ID_FAMILY)]
        nat = "ID"
    elif style == "my":
        parts = rng.choice(MY_GIVEN).split() + [rng.choice(MY_FATHER)]
        female = parts[0] in ("Nurul", "Siti", "Hafizah", "Norazlina", "Zulaikha", "Suraya", "Nur", "Rosnah",
                              "Faridah") or parts[-2] in ID_F
        nat = rng.choice(["MY", "ID"])
    elif style == "cn":
        parts = [rng.choice(CN_FAMILY)] + rng.choice(CN_GIVEN).split()
        nat = rng.choice(["MY", "ID"])
    else:
        parts = [rng.choice(PH_GIVEN)] + rng.choice(PH_FAMILY).split()
        female = parts[0] in ("Maria", "Ana", "Rosa", "Carmen", "Luz", "Teresita", "Marites")
        nat = "PH"
    born = (rng.randint(1955, 2004), rng.randint(1, 12), rng.randint(1, 28))
    return {"pid": pid, "style": style, "parts": parts, "female": female, "nat": nat, "born": born,
            "phone": f"8{rng.randint(11, 59)}{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.8 else None,
            "cc": {"ID": "62", "MY": "60", "PH": "63"}[nat],
            "passport": (f"{rng.choice('ABCEX')}{rng.randint(1_000_000, 9_999_999)}" if rng.random() < 0.5
                         else None)}


def _old_spelling(s: str) -> str:
    out = s.replace("j", "dj").replace("J", "Dj").replace("y", "j").replace("Y", "J").replace("c", "tj")
    out = out.replace("C", "Tj")
    return out.replace("u", "oe").replace("U", "Oe")


def _typo(rng: random.Random, s: str) -> str:
    if len(s) < 5:
        return s
    i = rng.randint(1, len(s) - 3)
    op = rng.random()
    if op < 0.4:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    if op < 0.7:
        return s[:i] + s[i + 1:]
    return s[:i] + rng.choice("aeiounrst") + s[i + 1:]


def _name_as_written(rng: random.Random, p: dict, source: int) -> str:
    parts = list(p["parts"])
    if len(parts) > 2 and rng.random() < 0.1:
        del parts[1]
    if p["style"] == "my":
        parts = [rng.choice(["Mohd", "Muhammad", "Mohamad", "Muhamad", "Md"]) if t == "Muhammad" else t
                 for t in parts]
        parts = [rng.choice(["Nur", "Noor", "Nor"]) if t == "Nur" else t for t in parts]
        parts = [rng.choice(["Abd.", "Abdul"]) if t == "Abdul" else t for t in parts]
        if rng.random() < 0.6:
            parts.insert(len(parts) - 1, ("binti" if p["female"] else "bin") if rng.random() < 0.7
                         else ("bt." if p["female"] else "b."))
    if p["style"] == "id" and source in (1, 5) and rng.random() < 0.3:
        parts = [_old_spelling(t) for t in parts]
    if p["style"] == "ph":
        parts = [t.replace("dela", rng.choice(["dela", "De La", "Dela"])) for t in parts]
    if source == 5 and rng.random() < 0.25:
        k = rng.randrange(len(parts))
        parts[k] = _typo(rng, parts[k])
    if source == 1 and rng.random() < 0.15:
        parts.insert(0, "Hj." if p["female"] else rng.choice(["H.", "Drs.", "Ir."]))
    if source == 3:
        if p["style"] == "cn":
            return f"{parts[0].upper()}, {' '.join(parts[1:])}"
        family = [t for t in parts if t.lower() not in ("bin", "binti", "bt.", "b.")]
        return f"{family[-1].upper()}, {' '.join(family[:-1])}"
    if p["style"] == "cn" and source == 2 and rng.random() < 0.5:
        return " ".join(parts[1:] + parts[:1])
    return " ".join(parts)


# What each source knows (share of its records with a birth date, a phone of the person, a passport
# of a person who has one): a phone extraction knows numbers and rarely birth dates; immigration
# knows passports and birth dates; police packages and Interpol notices sit between.
COMPLETENESS = {1: (0.5, 0.9, 0.1), 2: (0.9, 0.5, 0.4), 3: (0.95, 0.3, 0.6), 4: (0.9, 0.5, 0.3),
                5: (1.0, 0.2, 1.0)}


def _birth(rng: random.Random, born: tuple[int, int, int], source: int) -> str | None:
    y, m, d = born
    if rng.random() >= COMPLETENESS[source][0]:
        return None
    r = rng.random()
    if source == 3 and r < 0.3:
        return f"{y}"
    if r < 0.08 and d <= 12 and d != m:
        return f"{y}-{d:02d}-{m:02d}"
    if r < 0.15:
        return f"{y}"
    return f"{y}-{m:02d}-{d:02d}"


def _phone_written(rng: random.Random, p: dict, region: str) -> str:
    n = p["phone"]
    cc = p["cc"]
    nat = {"62": "ID", "60": "MY", "63": "PH"}[cc]
    forms = [f"+{cc} {n[:3]} {n[3:7]} {n[7:]}", f"{cc}{n}"]
    if region == nat:
        forms += [f"0{n[:3]}-{n[3:7]}-{n[7:]}", f"0{n}"]
    return rng.choice(forms)


def generate(records: int, seed: int = 4) -> tuple[list[dict], list[tuple[int, int]]]:
    """Person records from five sources, and the planted truth as pairs of record numbers."""
    rng = random.Random(seed)
    out: list[dict] = []
    pid = 0
    siblings: list[dict] = []
    while len(out) < records:
        p = _person(rng, pid)
        pid += 1
        # Hard negatives: a namesake (same full name, another birth date and phone), and a
        # brother or sister who shares the phone and the family name.
        if siblings and rng.random() < 0.02:
            other = rng.choice(siblings)
            p["parts"], p["style"] = list(other["parts"]), other["style"]
        elif siblings and rng.random() < 0.05:
            sib = rng.choice(siblings)
            p["phone"], p["cc"], p["parts"][-1] = sib["phone"], sib["cc"], sib["parts"][-1]
            while p["parts"][0] == sib["parts"][0]:  # brothers and sisters are not named alike
                p["parts"][0] = rng.choice(ID_F if p["female"] else ID_M)
        siblings = (siblings + [p])[-50:]
        k = rng.choices([1, 2, 3], [0.55, 0.30, 0.15])[0]
        for source in rng.sample(sorted(SOURCES), k):
            region = SOURCES[source][1]
            rec = {"pid": p["pid"], "source": source, "name": _name_as_written(rng, p, source),
                   "birth": _birth(rng, p["born"], source), "nat": p["nat"] if rng.random() < 0.8 else None,
                   "gender": ("F" if p["female"] else "M") if rng.random() < 0.7 else None, "ids": []}
            if p["phone"] and rng.random() < COMPLETENESS[source][1]:
                rec["ids"].append(("phone", _phone_written(rng, p, region), f"+{p['cc']}{p['phone']}", None))
            if p["passport"] and rng.random() < COMPLETENESS[source][2]:
                v = p["passport"]
                rec["ids"].append(("passport", rng.choice([v, f"{v[0]} {v[1:4]} {v[4:]}"]), v, p["nat"]))
            out.append(rec)
    out = out[:records]
    by_pid: dict[int, list[int]] = {}
    for i, r in enumerate(out):
        by_pid.setdefault(r["pid"], []).append(i)
    truth = [pair for idx in by_pid.values() for pair in itertools.combinations(idx, 2)]
    return out, truth


def load(case: Case, recs: list[dict]) -> list[int]:
    """Write the records as the import pipeline would (normalised companions included); entity ids."""
    n = len(recs)
    base = 1000
    eids = [base + i for i in range(n)]
    src = [r["source"] for r in recs]
    local = [f"S{r['source']}-{i}" for i, r in enumerate(recs)]
    folded = {r["name"]: fold_name(r["name"]) for r in recs}
    with case.transaction() as con:
        for s, (title, country) in SOURCES.items():
            con.execute("INSERT INTO sources (source_id, bundle_id, title, format, importer, producer_country, "
                        "tlp, signature_status, imported_at) VALUES (?, ?, ?, 'lintas-bundle/1', 'bench', ?, "
                        "'AMBER', 'unsigned', now()::TIMESTAMP)", [s, f"bench-{s}", title, country])
        con.register("_ent", pa.table({
            "entity_id": pa.array(eids, pa.int64()), "source_id": pa.array(src, pa.int32()),
            "source_row": pa.array([i + 2 for i in range(n)], pa.int64()), "local_id": local,
            "name": [r["name"] for r in recs], "name_folded": [folded[r["name"]] for r in recs],
            "birth": [r["birth"] for r in recs], "nat": [r["nat"] for r in recs],
            "gender": [r["gender"] for r in recs]}))
        con.execute("INSERT INTO entities SELECT entity_id, 'persons', source_id, source_row, local_id, name, "
                    "name_folded FROM _ent")
        con.execute("INSERT INTO persons (source_id, source_row, id, name, birth_date, birth_date_iso, nationality, "
                    "nationality_iso, gender, entity_id, name_folded, birth_year) SELECT source_id, source_row, "
                    "local_id, name, birth, birth, nat, nat, gender, entity_id, name_folded, "
                    "TRY_CAST(birth[1:4] AS INTEGER) FROM _ent")
        con.unregister("_ent")
        ids = [(recs[i]["source"], i + 2, local[i], eids[i], k, v, norm, c)
               for i in range(n) for (k, v, norm, c) in recs[i]["ids"]]
        cols = list(zip(*ids, strict=True)) if ids else [[]] * 8
        con.register("_ids", pa.table({"source_id": pa.array(cols[0], pa.int32()),
                                       "source_row": pa.array(cols[1], pa.int64()), "owner": list(cols[2]),
                                       "eid": pa.array(cols[3], pa.int64()), "kind": list(cols[4]),
                                       "value": list(cols[5]), "norm": list(cols[6]), "country": list(cols[7])}))
        con.execute("INSERT INTO identifiers (source_id, source_row, owner, kind, value, country, country_iso, "
                    "owner_entity_id, value_norm) SELECT source_id, source_row, owner, kind, value, country, "
                    "country, eid, norm FROM _ids")
        con.unregister("_ids")
    return eids


def evidence_class(ra: dict, rb: dict) -> str:
    """What a planted pair has beyond its names: a shared identifier, both full birth dates, both
    (at least) birth years, or nothing ("name only")."""
    if {i[2] for i in ra["ids"]} & {i[2] for i in rb["ids"]}:
        return "shared identifier"
    if ra["birth"] and rb["birth"]:
        return "both birth dates" if len(ra["birth"]) == 10 and len(rb["birth"]) == 10 else "both birth years"
    return "name only"


def quality(records: int, seed: int = 7) -> dict:
    from analysis.names import name_keys

    recs, truth = generate(records, seed=seed)
    with tempfile.TemporaryDirectory() as d:
        case = Case.create(Path(d) / "q.lintas", "quality")
        with case:
            eids = load(case, recs)
            t0 = time.perf_counter()
            r = xref.xref(case, kinds=("persons",), min_score=0.0, store=False)
            secs = time.perf_counter() - t0
    index = {e: i for i, e in enumerate(eids)}
    truth_set = {frozenset(p) for p in truth}
    out = {"records": records, "true_pairs": len(truth_set), "seconds": secs}
    for name, bands in (("likely", {"likely"}), ("likely+possible", {"likely", "possible"})):
        pred = {frozenset((index[p["a"]["entity_id"]], index[p["b"]["entity_id"]]))
                for p in r.pairs if p["band"] in bands}
        tp = len(pred & truth_set)
        out[name] = {"predicted": len(pred), "precision": tp / len(pred) if pred else 1.0,
                     "recall": tp / len(truth_set) if truth_set else 1.0}
    # Planted pairs with some evidence beyond the name (both birth dates known, or an identifier
    # in common); the others can only ever be "possible": a name alone does not make a person.
    def corroborated(a: int, b: int) -> bool:
        ra, rb = recs[a], recs[b]
        return bool((ra["birth"] and rb["birth"]) or {i[2] for i in ra["ids"]} & {i[2] for i in rb["ids"]})

    corr = {k for k in truth_set if corroborated(*k)}
    pred = {frozenset((index[p["a"]["entity_id"]], index[p["b"]["entity_id"]]))
            for p in r.pairs if p["band"] == "likely"}
    out["corroborated"] = {"pairs": len(corr), "recall": len(pred & corr) / len(corr) if corr else 1.0}
    # Calibration: observed share of true pairs per score band.
    buckets = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.85), (0.85, 0.95), (0.95, 1.01)]
    cal = []
    for lo, hi in buckets:
        ps = [p for p in r.pairs if lo <= p["score"] < hi]
        if ps:
            true = sum(frozenset((index[p["a"]["entity_id"]], index[p["b"]["entity_id"]])) in truth_set for p in ps)
            cal.append((lo, hi, len(ps), statistics.mean(p["score"] for p in ps), true / len(ps)))
    out["calibration"] = cal
    # Recall per kind of evidence.  A name-only pair whose name (its phonetic key) another planted
    # person also bears cannot be told apart from that namesake by anything in the records: no
    # analyst could call it likely.  Counted here, and kept in the headline figures.
    holders_pids: dict[str, set[int]] = {}
    for rec in recs:
        holders_pids.setdefault(name_keys(rec["name"]).phonetic_key, set()).add(rec["pid"])

    def namesake(i: int) -> bool:
        return len(holders_pids[name_keys(recs[i]["name"]).phonetic_key]) > 1

    by_class: dict[str, list[int]] = {}
    for k in truth_set:
        a, b = sorted(k)
        c = evidence_class(recs[a], recs[b])
        if c == "name only":
            c += ", a namesake in the case" if namesake(a) or namesake(b) else ", no namesake"
        row = by_class.setdefault(c, [0, 0])
        row[0] += 1
        row[1] += k in pred
    out["by_evidence"] = by_class
    unres = by_class.get("name only, a namesake in the case", [0, 0])
    out["resolvable"] = {"pairs": len(truth_set) - unres[0],
                         "recall": (len(pred & truth_set) - unres[1]) / max(1, len(truth_set) - unres[0])}
    through = [p for p in r.pairs if p["band"] == "likely" and any(x.startswith("both likely the same as")
                                                                  for x in p["reasons"])]
    out["through"] = (len(through), sum(frozenset((index[p["a"]["entity_id"]], index[p["b"]["entity_id"]]))
                                        in truth_set for p in through))
    # A few missed and false pairs, to read.
    pred_likely = {frozenset((index[p["a"]["entity_id"]], index[p["b"]["entity_id"]])): p
                   for p in r.pairs if p["band"] == "likely"}
    false = [p for k, p in pred_likely.items() if k not in truth_set]
    out["false"] = random.Random(1).sample(false, min(12, len(false)))
    out["missed"] = [(recs[a]["name"], recs[a]["birth"], recs[a]["ids"], recs[b]["name"], recs[b]["birth"], recs[b]["ids"])
                     for a, b in (tuple(sorted(k)) for k in list(truth_set - set(pred_likely))[:8])]
    # Every missed planted pair by class, with its score and reasons (None: never compared).
    scored = {frozenset((index[p["a"]["entity_id"]], index[p["b"]["entity_id"]])): p for p in r.pairs}
    out["missed_by_class"] = {}
    for k in sorted(truth_set - set(pred_likely), key=sorted):
        a, b = sorted(k)
        c = evidence_class(recs[a], recs[b])
        if c == "name only":
            c += ", a namesake in the case" if namesake(a) or namesake(b) else ", no namesake"
        out["missed_by_class"].setdefault(c, []).append((recs[a], recs[b], scored.get(k)))
    return out


_SHAPES = ((re.compile(r"^names: .* ~ .*, ([0-9.]+)"), r"names \1"),
           (re.compile(r"\d{4}(-\d\d){0,2}"), "D"),
           (re.compile(r"(same|different) (nationality|country) [A-Z]+( vs [A-Z]+)?"), r"\1 \2"),
           (re.compile(r"^both likely the same as .*"), "through a third entity"),
           (re.compile(r"^(same|different) (.+?) (number|numbers|address) .*? \("), r"\1 \2 \3 ("))


def reason_shape(reasons: list[str] | None) -> str:
    """A pair's reasons without their values (names, dates, numbers): what kind of evidence it had."""
    if reasons is None:
        return "(never compared: no blocking key in common)"
    out = []
    for x in reasons:
        for rx, repl in _SHAPES:
            x = rx.sub(repl, x)
        out.append(x)
    return " | ".join(out)


def print_missed(q: dict, wanted: str, examples: int = 2) -> None:
    """Missed planted pairs of the classes whose name contains ``wanted``, grouped by the shape of
    their reasons (most frequent first), with the score and a few examples of each."""
    for c, rows in sorted(q["missed_by_class"].items()):
        if wanted.lower() not in c.lower():
            continue
        print(f"\nmissed, {c}: {len(rows)} pairs")
        groups: dict[str, list] = {}
        for ra, rb, p in rows:
            groups.setdefault(reason_shape(p["reasons"] if p else None), []).append((ra, rb, p))
        for shape, g in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            scores = [p["score"] for _, _, p in g if p]
            print(f"  {len(g):>5}  score {statistics.median(scores) if scores else float('nan'):.3f}  {shape}")
            for ra, rb, _ in g[:examples]:
                print(f"           {ra['name']!r} {ra['birth'] or '-'} {ra['nat'] or '-'} ~ "
                      f"{rb['name']!r} {rb['birth'] or '-'} {rb['nat'] or '-'}")


def speed(size: int, repeat: int) -> tuple[float, dict]:
    recs, _ = generate(size, seed=11)
    times = []
    stats: dict = {}
    with tempfile.TemporaryDirectory() as d:
        case = Case.create(Path(d) / "s.lintas", "speed")
        with case:
            load(case, recs)
            for _ in range(repeat):
                t0, c0 = time.perf_counter(), time.process_time()
                res = xref.xref(case, kinds=("persons",))
                times.append(time.perf_counter() - t0)
                stats = res.to_json()
                stats["cpu"] = time.process_time() - c0
    return statistics.median(times), stats


def donations() -> None:
    """Real data: the nomenklatura donations fixture; parties and donors written several ways.

    One entity per distinct name as written (as the fixture's FtM mapping keys them), from the
    first row that writes it; donors keep that row's address.
    """
    path = ROOT.parent / "shared" / "data" / "ftm_nomenklatura_donations" / "donations.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    seen: dict[tuple[str, str], int] = {}
    with tempfile.TemporaryDirectory() as d:
        case = Case.create(Path(d) / "don.lintas", "donations")
        with case:
            with case.transaction() as con:
                con.execute("INSERT INTO sources (source_id, bundle_id, title, format, importer, tlp, "
                            "signature_status, imported_at) VALUES (1, 'donations', 'Bundestag donations', 'csv', "
                            "'bench', 'CLEAR', 'unsigned', now()::TIMESTAMP)")
                for i, r in enumerate(rows, start=2):
                    for role, name, kind in (("party", r["Party"], "organizations"),
                                             ("donor", r["Donor"], "persons" if r["DonorType"] == "PERSON"
                                              else "organizations")):
                        if (kind, name) in seen:
                            continue
                        eid = seen[(kind, name)] = len(seen) + 1
                        local = f"{role}-{i}"
                        con.execute("INSERT INTO entities VALUES (?, ?, 1, ?, ?, ?, ?)",
                                    [eid, kind, i, local, name, fold_name(name)])
                        if kind == "persons":
                            con.execute("INSERT INTO persons (source_id, source_row, id, name, entity_id, "
                                        "name_folded) VALUES (1, ?, ?, ?, ?, ?)", [i, local, name, eid, fold_name(name)])
                        else:
                            con.execute("INSERT INTO organizations (source_id, source_row, id, name, country, "
                                        "entity_id, name_folded) VALUES (1, ?, ?, ?, ?, ?, ?)",
                                        [i, local, name, "DE", eid, fold_name(name)])
                        if role == "donor" and r["Street"]:
                            con.execute("INSERT INTO addresses (source_id, source_row, owner, \"full\", city, "
                                        "owner_entity_id) VALUES (1, ?, ?, ?, ?, ?)",
                                        [i, local, r["Street"], r["City"], eid])
            res = xref.xref(case, min_score=0.5)
    print(f"donations.csv: {len(rows)} rows, {res.entities} distinct names as written (parties and donors), "
          f"{res.candidates} candidate pairs, {len(res.pairs)} suggestions "
          f"({sum(p['band'] == 'likely' for p in res.pairs)} likely)")
    for p in res.pairs:
        print(f"  {p['score']:.3f} {p['band']:<8} {p['a']['name']!r} ~ {p['b']['name']!r}")
        print("           " + "; ".join(p["reasons"]))


def demo(scale: float) -> None:
    """The demo scenario's planted truth (``workstation.demo``): same-person pairs and look-alikes."""
    import json

    from workstation.demo.build import build_demo

    with tempfile.TemporaryDirectory() as d:
        out = Path(d)
        build_demo(out, scale=scale)
        truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
        with Case.open(out / "demo.lintas") as case:
            r = xref.xref(case, kinds=("persons",), min_score=0.5, store=False)

    def key(ref: dict) -> tuple[str, str]:
        return ref["bundle_id"], ref["id"]

    pairs = {frozenset((key(a), key(b))) for a, b in truth["same_person_pairs"]}
    looks = {frozenset((key(x["a"]), key(x["b"]))) for x in truth["different_persons"]}
    likely = {frozenset((key(p["a"]), key(p["b"]))) for p in r.pairs if p["band"] == "likely"}
    anyband = {frozenset((key(p["a"]), key(p["b"]))) for p in r.pairs}
    # Through confirmed likely pairs (what the analyst sees once they are confirmed): clusters.
    parent: dict = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for k in likely:
        a, b = tuple(k)
        parent[find(a)] = find(b)
    closed = {k for k in pairs if find(tuple(k)[0]) == find(tuple(k)[1])}
    tp = len(likely & pairs)
    print(f"demo (scale {scale}): {r.entities} persons, {len(pairs)} planted same-person pairs, "
          f"{len(looks)} planted look-alikes")
    print(f"  likely: {len(likely)} pairs, precision {tp / len(likely) if likely else 1:.3f}, "
          f"recall {tp / len(pairs):.3f}; recall through clusters of likely pairs {len(closed) / len(pairs):.3f}")
    print(f"  likely+possible recall {len(anyband & pairs) / len(pairs):.3f}; look-alikes suggested: "
          f"{len(likely & looks)} likely, {len(anyband & looks)} in any band")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="125000,250000,500000", help="person counts to time")
    ap.add_argument("--repeat", type=int, default=1, help="runs per size (median)")
    ap.add_argument("--quality-records", type=int, default=20000, help="size of the labelled set")
    ap.add_argument("--seed", type=int, default=7, help="seed of the labelled set (7: the reported one)")
    ap.add_argument("--donations", action="store_true", help="only the real-data run on donations.csv")
    ap.add_argument("--skip-speed", action="store_true", help="quality only")
    ap.add_argument("--demo", type=float, metavar="SCALE", help="only the demo scenario's truth, at this scale")
    ap.add_argument("--missed", metavar="CLASS", help="print the missed planted pairs of the evidence classes "
                    "containing CLASS ('no namesake', 'birth years', 'all'), grouped by their reasons")
    a = ap.parse_args()
    if a.donations:
        donations()
        return
    if a.demo:
        demo(a.demo)
        return
    q = quality(a.quality_records, a.seed)
    print(f"quality: {q['records']} records (seed {a.seed}), {q['true_pairs']} planted same-person pairs, "
          f"xref {q['seconds']:.1f} s")
    print(f"{'band':<16}{'predicted':>10}{'precision':>11}{'recall':>9}")
    for name in ("likely", "likely+possible"):
        m = q[name]
        print(f"{name:<16}{m['predicted']:>10}{m['precision']:>11.3f}{m['recall']:>9.3f}")
    c = q["corroborated"]
    print(f"planted pairs with evidence beyond the name: {c['pairs']} "
          f"({c['pairs'] / q['true_pairs']:.1%}); recall of 'likely' among them {c['recall']:.3f}")
    print("recall of 'likely' by the evidence a planted pair has beyond its names:")
    for c, (n, found) in sorted(q["by_evidence"].items()):
        print(f"  {c:<36}{n:>7} pairs ({n / q['true_pairs']:5.1%}), recall {found / n:.3f}")
    rs = q["resolvable"]
    print(f"separately, without the name-only pairs a namesake makes unresolvable: {rs['pairs']} pairs, "
          f"recall {rs['recall']:.3f} (the headline figure above is over all pairs)")
    need = -(-95 * q["true_pairs"] // 100)
    found = sum(f for _, f in q["by_evidence"].values())
    print(f"recall 0.95 needs {need} planted pairs likely, {max(0, need - found)} more than now; not likely now: "
          + ", ".join(f"{n - f} {c}" for c, (n, f) in sorted(q["by_evidence"].items())))
    n_th, tp_th = q["through"]
    print(f"likely only through a third entity (both likely the same as it): {n_th} pairs, {tp_th} true")
    print("calibration (score range: pairs, mean score, observed share same):")
    for lo, hi, n, mean, obs in q["calibration"]:
        print(f"  {lo:.2f}-{min(hi, 1.0):.2f}: {n:>7} pairs, mean {mean:.3f}, observed {obs:.3f}")
    for p in q["false"]:
        print("  false likely:", p["a"]["name"], "~", p["b"]["name"], p["score"], p["reasons"])
    for m in q["missed"]:
        print("  missed:", m)
    if a.missed:
        print_missed(q, "" if a.missed == "all" else a.missed)
    if a.skip_speed:
        return
    print(f"\nspeed: xref of N persons from {len(SOURCES)} sources (median of {a.repeat}; 'load' is the "
          "machine's 1-minute load average, 2 cores shared)", flush=True)
    print(f"{'persons':>10}{'seconds':>10}{'CPU s':>8}{'vs previous':>13}{'per 100k':>10}{'candidates':>12}"
          f"{'suggested':>11}  load")
    prev = None
    for n in (int(x) for x in a.sizes.split(",")):
        t, st = speed(n, a.repeat)
        ratio = f"{t / prev[1]:.2f}x/{n / prev[0]:.0f}x" if prev else "-"
        load = os.getloadavg()[0]
        print(f"{n:>10}{t:>10.1f}{st['cpu']:>8.1f}{ratio:>13}{t / n * 1e5:>10.2f}{st['candidates']:>12}"
              f"{st['suggested']:>11}  {load:.1f}", flush=True)
        prev = (n, t)


if __name__ == "__main__":
    main()
