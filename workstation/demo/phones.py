"""Phone numbers and timestamps of the demo, formatted column-wise with Arrow compute.

Numbers are held as national significant numbers (NSN) with a country; they are
written the way each producer writes them, in mixed styles per row
(``0812-3456-7890``, ``+62 812 3456 7890``, ``6281234567890`` …).  A bundle only
writes foreign numbers in international form, as an exchange partner would.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

CALLING_CODE = {"ID": "62", "MY": "60", "PH": "63"}
NSN_LENGTH = {"ID": 11, "MY": 9, "PH": 10}

# Mobile prefixes that phonenumbers accepts as valid for each country.
MOBILE_PREFIXES = {
    "ID": ("811", "812", "813", "821", "822", "852", "853", "814", "815", "816", "855", "856", "857",
           "858", "817", "818", "819", "859", "877", "878", "895", "896", "897", "898", "899"),
    "MY": ("12", "13", "16", "17", "19"),
    "PH": ("917", "918", "905", "906", "915", "916", "926", "927", "935", "936"),
}

# Split points of the NSN used by the written styles: (prefix, middle) lengths.
_SPLIT = {"ID": (3, 4), "MY": (2, 3), "PH": (3, 3)}


def e164(country: str, nsn: str) -> str:
    return f"+{CALLING_CODE[country]}{nsn}"


def _parts(nsn: pa.Array, country: str) -> tuple[pa.Array, pa.Array, pa.Array]:
    a, b = _SPLIT[country]
    n = NSN_LENGTH[country]
    return (pc.utf8_slice_codeunits(nsn, 0, a), pc.utf8_slice_codeunits(nsn, a, a + b),
            pc.utf8_slice_codeunits(nsn, a + b, n))


def _join(*parts) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def styles(nsn: pa.Array, country: str, domestic: bool) -> list[pa.Array]:
    """Every way a producer writes these numbers, as a list of arrays (one per style).

    ``domestic``: the producer is in the numbers' own country, so national forms
    (leading 0, or the country code without ``+``) appear; otherwise only
    international forms do.
    """
    cc = CALLING_CODE[country]
    p, m, s = _parts(nsn, country)
    if country == "ID":
        intl = [_join(f"+{cc} ", p, " ", m, " ", s), _join(f"+{cc}", nsn)]
        national = [_join("0", p, "-", m, "-", s), _join(cc, nsn), _join("0", p, " ", m, " ", s),
                    _join("0", nsn)]
    elif country == "MY":
        intl = [_join(f"+{cc} ", p, "-", m, " ", s), _join(f"+{cc}", nsn)]
        national = [_join("0", p, "-", m, " ", s), _join(cc, nsn)]
    else:
        intl = [_join(f"+{cc} ", p, " ", m, " ", s), _join(f"+{cc}", nsn)]
        national = [_join("0", p, " ", m, " ", s)]
    return intl + national if domestic else intl


class NumberBook:
    """All numbers of the scenario: index -> (country, NSN), and their written forms."""

    def __init__(self, countries: np.ndarray, nsn: list[str] | pa.Array) -> None:
        self.country = np.asarray(countries)
        self.nsn = pa.array(nsn, pa.string()) if not isinstance(nsn, pa.Array) else nsn
        self._written: dict[tuple[str, int], pa.Array] = {}

    def __len__(self) -> int:
        return len(self.nsn)

    def e164(self, idx: np.ndarray | None = None) -> pa.Array:
        full = _join(_cc_column(self.country), self.nsn)
        return full if idx is None else full.take(pa.array(idx))

    def _flat(self, producer_country: str, width: int) -> pa.Array:
        """Written forms of every number, ``width`` slots per number, interleaved."""
        key = (producer_country, width)
        if key not in self._written:
            slot_arrays: list[list[pa.Array]] = [[] for _ in range(width)]
            order = []
            for country in CALLING_CODE:
                where = np.flatnonzero(self.country == country)
                if not len(where):
                    continue
                forms = styles(self.nsn.take(pa.array(where)), country, country == producer_country)
                for k in range(width):
                    slot_arrays[k].append(forms[k % len(forms)])
                order.append(where)
            back = np.argsort(np.concatenate(order), kind="stable")
            slots = [pa.concat_arrays(a).take(pa.array(back)) for a in slot_arrays]
            # interleave: row i slot k at i*width + k
            n = len(self)
            inter = np.arange(n * width).reshape(width, n).T.ravel()  # position in the stacked array
            self._written[key] = pa.concat_arrays(slots).take(pa.array(inter))
        return self._written[key]

    def written(self, idx: np.ndarray, producer_country: str, slot: np.ndarray, width: int = 6) -> pa.Array:
        """The numbers ``idx`` as a producer in ``producer_country`` writes them, style ``slot``."""
        flat = self._flat(producer_country, width)
        return flat.take(pa.array(np.asarray(idx, np.int64) * width + np.asarray(slot, np.int64) % width))


def _cc_column(countries: np.ndarray) -> pa.Array:
    out = np.empty(len(countries), dtype=object)
    for c, code in CALLING_CODE.items():
        out[countries == c] = "+" + code
    return pa.array(out, pa.string())


def random_nsn(rng: np.random.Generator, country: str, n: int, exclude: set[str]) -> list[str]:
    """``n`` distinct random mobile numbers of ``country``, none of them in ``exclude``."""
    prefixes = np.array(MOBILE_PREFIXES[country])
    rest = NSN_LENGTH[country] - len(prefixes[0])
    out: list[str] = []
    seen = set(exclude)
    while len(out) < n:
        want = int((n - len(out)) * 1.1) + 8
        pre = prefixes[rng.integers(0, len(prefixes), want)]
        # a first subscriber digit of 2-9: every such number is valid (checked with phonenumbers)
        sub = rng.integers(2 * 10 ** (rest - 1), 10 ** rest, want, dtype=np.int64)
        cand = np.char.add(pre.astype(f"U{len(prefixes[0])}"), np.char.zfill(sub.astype("U12"), rest))
        cand = pd_unique(cand)
        for c in cand.tolist():
            if c not in seen:
                seen.add(c)
                out.append(c)
                if len(out) == n:
                    break
    return out


def pd_unique(a: np.ndarray) -> np.ndarray:
    """Distinct values in order of first appearance."""
    _, first = np.unique(a, return_index=True)
    return a[np.sort(first)]


def local_times(epoch_utc: np.ndarray, offset_hours: float | None, suffix: str) -> pa.Array:
    """ISO 8601 text of UTC epoch seconds shown at ``offset_hours``, with ``suffix`` appended.

    ``offset_hours=8, suffix="+08:00"`` gives WITA with its offset; ``suffix=""``
    gives naive local times (the bundle then names its ``default_timezone``).
    """
    shift = int(round((offset_hours or 0) * 3600))
    local = np.asarray(epoch_utc, np.int64) + shift
    # Dates are few (one per day): format those, and the time of day from two-digit tables.
    day, sod = np.divmod(local, 86400)
    days, inv = np.unique(day, return_inverse=True)
    day_text = pa.array(np.datetime_as_string(days.astype("datetime64[D]")), pa.string()).take(pa.array(inv))
    two = pa.array([f"{i:02d}" for i in range(60)], pa.string())
    hh = two.take(pa.array(sod // 3600))
    mm = two.take(pa.array(sod // 60 % 60))
    ss = two.take(pa.array(sod % 60))
    return _join(day_text, "T", hh, ":", mm, ":", ss, suffix)
