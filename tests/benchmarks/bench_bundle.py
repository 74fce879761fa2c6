"""Bundle container benchmark: verify / open / pack of a bundle holding one large `calls` CSV.

Each Lintas operation is set against the bare work it cannot avoid, on the same file in
the same run:

* verify or open a directory bundle  vs  hashlib.sha256 over the file;
* verify a ZIP (inflate + hash)       vs  zipfile reading the member to the end, unhashed;
* open a ZIP (inflate, hash, write)   vs  zipfile.extractall;
* pack to a ZIP (hash, count, deflate) vs  zipfile writing the file deflated (level 1, as pack).

Median of --repeat runs, in one process.

    .venv/bin/python tests/benchmarks/bench_bundle.py [--rows 2000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from timing import median_time  # noqa: E402  (tests/benchmarks on sys.path when run as a script)

from workstation import bundle, keys  # noqa: E402


def make_source(d: Path, rows: int) -> Path:
    import duckdb

    src = d / "src"
    (src / "data").mkdir(parents=True)
    con = duckdb.connect()
    con.execute(f"""
        COPY (SELECT '0812-' || lpad(CAST(hash(i) % 60000 AS VARCHAR), 4, '0') || '-7890' AS caller,
                     '+62 813 ' || lpad(CAST(hash(i + 7) % 60000 AS VARCHAR), 4, '0') || ' 1234' AS callee,
                     strftime(TIMESTAMP '2026-01-01' + to_seconds(CAST(i * 3 AS BIGINT)),
                              '%Y-%m-%dT%H:%M:%S+08:00') AS start,
                     CAST(hash(i) % 900 AS INTEGER) AS duration_s, 'voice' AS kind,
                     'BTG-' || CAST(i % 400 AS VARCHAR) AS cell_id
              FROM range({rows}) t(i))
        TO '{src / "data" / "calls.csv"}' (FORMAT csv, HEADER)""")
    con.close()
    (src / "manifest.json").write_text(json.dumps({
        "title": "Benchmark CDR", "producer": {"agency": "Polres Bontang", "country": "ID"},
        "handling": {"tlp": "AMBER"}, "tables": [{"path": "data/calls.csv", "kind": "calls"}]}))
    return src


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=2_000_000, help="rows of the calls CSV")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-bundle-") as tmp:
        d = Path(tmp)
        src = make_source(d, a.rows)
        csv_path = src / "data" / "calls.csv"
        size = csv_path.stat().st_size
        key = d / "k.pem"
        _, pub = keys.new_key("bench", key)
        ring = keys.Keyring.in_memory()
        ring.trust(pub, "bench")
        dir_bundle = bundle.pack(src, d / "dirb", sign_key=key)
        zip_bundle = bundle.pack(src, d / "b.zip", sign_key=key)
        work = d / "work"
        work.mkdir()

        def sha_file():
            h = hashlib.sha256()
            with open(csv_path, "rb") as fh:
                while chunk := fh.read(1 << 20):
                    h.update(chunk)

        def zip_read():
            with zipfile.ZipFile(zip_bundle) as zf, zf.open("data/calls.csv") as fh:
                while fh.read(1 << 20):
                    pass

        def zip_extract():
            out = work / "x"
            with zipfile.ZipFile(zip_bundle) as zf:
                zf.extractall(out)
            shutil.rmtree(out)

        def zip_write():
            out = d / "plain.zip"
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
                zf.write(csv_path, "data/calls.csv")
            out.unlink()

        def verify_dir():
            assert bundle.verify(dir_bundle, keyring=ring).valid

        def open_dir():
            bundle.open_bundle(dir_bundle, keyring=ring).close()

        def verify_zip():
            assert bundle.verify(zip_bundle, keyring=ring).valid

        def open_zip():
            bundle.open_bundle(zip_bundle, keyring=ring, workdir=work).close()

        def pack_zip():
            out = d / "again.zip"
            bundle.pack(src, out, sign_key=key)
            out.unlink()

        rows = [("verify directory bundle", verify_dir, "sha256 of the file", sha_file),
                ("open directory bundle", open_dir, "sha256 of the file", sha_file),
                ("verify ZIP bundle", verify_zip, "zipfile read, no hash", zip_read),
                ("open ZIP bundle (extract+hash)", open_zip, "zipfile.extractall", zip_extract),
                ("pack ZIP (hash+rows+deflate)", pack_zip, "zipfile write deflate-1", zip_write)]
        print(f"calls CSV: {a.rows:,} rows, {size / 1e6:.0f} MB; ZIP {zip_bundle.stat().st_size / 1e6:.0f} MB; "
              f"median of {a.repeat}")
        print(f"{'operation':<32} {'lintas s':>9}  {'baseline':<24} {'base s':>7} {'ratio':>6}")
        for name, fn, bname, bfn in rows:
            t = median_time(fn, a.repeat)
            b = median_time(bfn, a.repeat)
            print(f"{name:<32} {t:>9.2f}  {bname:<24} {b:>7.2f} {t / b:>6.2f}")


if __name__ == "__main__":
    main()
