"""Build the demo: bundles on disk, signed by the demo partner keys, imported into a case.

``build_demo(out)`` leaves in ``out``:

* ``bundles/*.zip`` — the six ``lintas-bundle/1`` packages, four of them signed
  by the DEMO partner keys of ``resources/demo/keys/``, one unsigned;
* ``demo.lintas`` — the case "Operasi Mawar" (MAWAR-2026-014) with every
  bundle imported, verified against the demo keyring;
* ``truth.json`` — what was planted, for tests and evaluations (never inside the case).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ..errors import LintasError
from ..paths import resources_dir
from ..progress import NULL, Progress
from .generate import BundleOut, Scenario, TableOut, generate

log = logging.getLogger(__name__)

CASE_NAME = "demo.lintas"
TRUTH_NAME = "truth.json"
TITLE = "Operasi Mawar"
REF = "MAWAR-2026-014"
UNIT = "Satreskrim Polres Bontang"


# What each key of truth.json holds.  A person is referred to as {bundle_id, id} (its id as
# written in its bundle); phones in E.164; times in UTC; amounts in the transfers' currency.
TRUTH_ABOUT = {
    "key_organisers": "the hubs and bridges of the calls and relationships network (top two by degree and "
                      "betweenness by construction), with every bundle's record of them and their phones",
    "financier": "who pays for it all, and the account the structured deposits go to",
    "same_persons": "groups of records (bundle_id, id, name as written) that are one real person",
    "same_person_pairs": "the same, as every pair within a group",
    "different_persons": "look-alike records that are different people (must not be matched)",
    "victims": "victims (role 'victim' in every bundle; never suspects) and who recruited them",
    "phone_switches": "a number dropped for a new one with the same contacts: old last call < new first call",
    "colocation": "two phones seen at the same cell within the window, repeatedly",
    "co_travel": "pairs on the same voyage more than once",
    "escorted_crossings": "victims' border crossings, each with the escort on the same ferry",
    "money_cycle": "accounts in order (first = last) and the transfers of each round",
    "fan_in": "the account many distinct senders pay into within a few days, and where it passes the money on",
    "structuring": "cash deposits just under the reporting threshold (the threshold and its legal basis)",
    "incidents": "what the incident reports show over time",
    "bundles": "each bundle's id, producer, handling, signer, rows per file and source_id in the case",
    "network": "sizes of the generated phone network and calls",
}


# -- writing the files -----------------------------------------------------------
def _write_table(t: TableOut, path: Path, con: duckdb.DuckDBPyConnection) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if t.format == "csv":
        pacsv.write_csv(t.table, path, pacsv.WriteOptions(include_header=True, quoting_style="needed"))
    elif t.format == "parquet":
        pq.write_table(t.table, path, compression="zstd")
    elif t.format == "jsonl":
        con.register("demo_rows", t.table)
        try:
            lit = str(path).replace("'", "''")
            con.execute(f"COPY (SELECT * FROM demo_rows) TO '{lit}' (FORMAT json)")
        finally:
            con.unregister("demo_rows")
    else:  # pragma: no cover - the generator only makes the three formats
        raise ValueError(t.format)


def write_bundle_dir(bundle: BundleOut, directory: Path) -> Path:
    """The bundle's data files and partial manifest (no hashes yet) in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(":memory:", config={"threads": "1"})   # one thread: rows keep their order
    try:
        for t in bundle.tables:
            _write_table(t, directory / t.path, con)
    finally:
        con.close()
    for a in bundle.attachments:
        p = directory / a.path
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(a.data)
    (directory / "manifest.json").write_text(json.dumps(bundle.manifest, indent=2, ensure_ascii=False) + "\n",
                                             encoding="utf-8")
    return directory


def write_scenario(scenario: Scenario, directory: Path, progress: Progress = NULL) -> dict[str, Path]:
    """Every bundle of ``scenario`` as an unpacked directory under ``directory``."""
    out = {}
    for i, b in enumerate(scenario.bundles):
        progress(i / len(scenario.bundles), f"writing {b.key}")
        out[b.key] = write_bundle_dir(b, directory / b.key)
    progress(1.0, "bundles written")
    return out


# -- demo keys -------------------------------------------------------------------
def demo_keys() -> list[dict]:
    """The DEMO partner keys: name, country, key_id, public_key, file (PEM private key)."""
    d = resources_dir() / "demo" / "keys"
    entries = json.loads((d / "keys.json").read_text(encoding="utf-8"))["keys"]
    return [e | {"file": d / e["file"]} for e in entries]


def demo_keyring():
    from ..keys import Keyring

    return Keyring.in_memory([{"key_id": e["key_id"], "public_key": e["public_key"], "name": e["name"],
                               "country": e["country"]} for e in demo_keys()])


def _pack(src: Path, out: Path, signer: str | None, tmp: Path, progress: Progress) -> Path:
    from ..bundle import pack

    if signer is None:
        return pack(src, out, None, progress)
    key = next((e for e in demo_keys() if e["slug"] == signer), None)
    if key is None:
        raise LintasError(f"no demo key {signer!r} in resources/demo/keys/keys.json")
    # The key files ship with the program (mode 0644); a private copy keeps the signer quiet.
    private = tmp / f"{signer}.pem"
    fd = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, Path(key["file"]).read_bytes())
    finally:
        os.close(fd)
    return pack(src, out, private, progress)


def pack_scenario(scenario: Scenario, bundles_dir: Path, progress: Progress = NULL) -> dict[str, Path]:
    """Write, pack and sign every bundle as ``bundles_dir/<key>.zip`` (existing ones are replaced)."""
    bundles_dir.mkdir(parents=True, exist_ok=True)
    zips: dict[str, Path] = {}
    n = len(scenario.bundles)
    with tempfile.TemporaryDirectory(prefix="lintas-demo-", dir=bundles_dir) as tmp_s:
        tmp = Path(tmp_s)
        for i, b in enumerate(scenario.bundles):
            progress(i / n, f"writing bundle {b.key}")
            target = bundles_dir / f"{b.key}.zip"
            if target.exists():
                target.unlink()
            src = write_bundle_dir(b, tmp / b.key)
            zips[b.key] = _pack(src, target, b.signer, tmp, progress.sub((i + 0.5) / n, (i + 1) / n))
            shutil.rmtree(src)
    progress(1.0, "bundles packed")
    return zips


# -- the whole demo ----------------------------------------------------------------
def build_demo(out: Path, scale: float = 1.0, seed: int = 14, progress: Progress = NULL) -> dict:
    """Generate, pack, sign and import the demo; write ``truth.json``.  Returns paths and counts."""
    from ..case import Case
    from ..importers import ImportOptions
    from ..ingest import import_path

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    scenario = generate(seed, scale, progress.sub(0.0, 0.1))
    case_path = out / CASE_NAME
    for old in (case_path, out / TRUTH_NAME, case_path.with_name(case_path.name + ".wal")):
        if old.exists():
            old.unlink()
    zips = pack_scenario(scenario, out / "bundles", progress.sub(0.1, 0.4))
    n = len(scenario.bundles)
    signers = {b.key: b.signer for b in scenario.bundles}
    truth_data = scenario.truth
    del scenario   # the generated tables are on disk now: free them before the import
    keyring = demo_keyring()
    results = {}
    case = Case.create(case_path, TITLE, ref=REF, unit=UNIT)
    try:
        for i, (key, signer) in enumerate(signers.items()):
            options = ImportOptions(allow_unsigned=signer is None)
            options.keyring = keyring  # the bundle importer reads it from the options
            r = import_path(case, zips[key], options, progress.sub(0.4 + 0.55 * i / n, 0.4 + 0.55 * (i + 1) / n))
            if not r.imported:
                raise LintasError(f"the demo bundle {zips[key].name} was not imported: {r.problems[:5]}")
            results[key] = r
        rows = case.row_counts()
    except BaseException:
        case.close()
        case_path.unlink(missing_ok=True)   # no half-built demo case is left behind
        raise
    case.close()
    truth = {"scenario": f"{TITLE} ({REF}): transnational human trafficking, Bontang - Nunukan - Tawau - "
                         "Zamboanga. All people, numbers, accounts and documents are fictional.",
             "about": TRUTH_ABOUT, "seed": seed, "scale": scale, "case": CASE_NAME,
             "bundle_files": {k: f"bundles/{p.name}" for k, p in zips.items()},
             **truth_data}
    for k, r in results.items():
        truth["bundles"][k]["source_id"] = r.source_id
    truth_path = out / TRUTH_NAME
    truth_path.write_text(json.dumps(truth, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    progress(1.0, "demo case built")
    log.info("demo built in %s: %s", out, rows)
    return {"case": case_path, "truth": truth_path, "bundles": list(zips.values()),
            "rows": rows, "seed": seed, "scale": scale}
