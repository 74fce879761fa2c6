"""Partner-format benchmark: Lintas's staging of a partner file against the partner's own
reference library reading the same file, in the same run.

* FtM  — ``workstation.formats.ftm`` staging donations.ijson  vs  followthemoney building an
  EntityProxy for every line;
* STIX — ``workstation.formats.stix`` staging apt1.json        vs  ``stix2.parse`` of the bundle;
* MISP — ``workstation.formats.misp`` staging existing_event.json vs  ``pymisp.MISPEvent.load``.

Staging here means reading, checking references and markings, and building the Arrow tables
handed to the import pipeline (which the import benchmark measures).  Median of --repeat
runs; the ratio is Lintas / reference (below 1: faster than the reference reader).

    .venv/bin/python tests/benchmarks/bench_formats.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from timing import median_time  # noqa: E402  (tests/benchmarks on sys.path when run as a script)

from workstation.formats import ftm, misp, stix  # noqa: E402
from workstation.importers import ImportOptions  # noqa: E402

FIX = ROOT / "tests" / "fixtures" / "partner"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7, help="runs per measurement (median)")
    args = ap.parse_args()

    import pymisp
    import stix2
    from followthemoney import model

    donations = FIX / "ftm" / "donations.ijson"
    apt1 = FIX / "stix21" / "apt1.json"
    event = FIX / "misp" / "existing_event.json"

    def ftm_ref():
        with open(donations, encoding="utf-8") as f:
            for line in f:
                model.get_proxy(json.loads(line))

    def misp_ref():
        e = pymisp.MISPEvent()
        e.load(event.read_text(encoding="utf-8"))

    cases = [
        ("FtM donations.ijson (474 entities)", lambda: ftm.IMPORTER.stage(donations, ImportOptions()), ftm_ref),
        ("STIX apt1.json (76 objects)", lambda: stix.IMPORTER.stage(apt1, ImportOptions()),
         lambda: stix2.parse(apt1.read_text(encoding="utf-8"), allow_custom=True)),
        ("MISP existing_event.json (58 items)", lambda: misp.IMPORTER.stage(event, ImportOptions()), misp_ref),
    ]
    print(f"{'file':40} {'Lintas staging':>15} {'reference read':>15} {'ratio':>7}")
    for name, ours, ref in cases:
        ours()
        ref()  # warm both (imports, caches)
        a, b = median_time(ours, args.repeat), median_time(ref, args.repeat)
        print(f"{name:40} {a * 1000:12.1f} ms {b * 1000:12.1f} ms {a / b:7.2f}")


if __name__ == "__main__":
    main()
