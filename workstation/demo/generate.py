"""Generate the demo scenario's data: tables per bundle and the planted truths.

Everything comes from one ``numpy.random.Generator`` seeded with ``seed`` (one
child stream per part, so a change in one part leaves the others alone), and
is built column-wise: calls, messages, transfers and crossings are numpy
arrays turned into Arrow tables, never a Python loop per call.  Only the
fixed cast (a few dozen people) is built row by row.

Sizes at ``scale`` s: about 3000·s calls, 400·s messages, 800·s transfers,
300·s border crossings and 500·s background phone numbers, on top of the
fixed core (which alone makes a few hundred rows).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from itertools import product

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..paths import resources_dir
from ..progress import NULL, Progress
from . import cast as C
from .phones import NumberBook, e164, local_times, random_nsn

WITA = 8            # UTC+8: Bontang, Nunukan, Kupang; Sabah and Zamboanga are UTC+8 too
WIB = 7             # UTC+7: the financial intelligence unit writes Jakarta time
DAY = 86400

# The reporting threshold the demo's structuring is built around (see truth.json).
THRESHOLD_IDR = 500_000_000


@dataclass
class TableOut:
    path: str                      # inside the bundle, e.g. data/calls.csv
    kind: str
    format: str                    # csv | parquet | jsonl
    table: pa.Table
    columns: dict[str, str] = field(default_factory=dict)   # canonical -> file column
    personal_data: list[str] = field(default_factory=list)


@dataclass
class AttachmentOut:
    path: str
    data: bytes
    media_type: str
    title: str
    describes: list[str]


@dataclass
class BundleOut:
    key: str
    manifest: dict                 # the partial manifest (no hashes, sizes or rows)
    tables: list[TableOut]
    attachments: list[AttachmentOut] = field(default_factory=list)
    signer: str | None = None      # a demo key name, or None for an unsigned bundle


@dataclass
class Scenario:
    bundles: list[BundleOut]
    truth: dict


def _epoch(date: str, hour: float = 0.0, offset: int = WITA) -> int:
    d = dt.datetime.fromisoformat(date).replace(tzinfo=dt.UTC)
    return int(d.timestamp() + hour * 3600 - offset * 3600)


def _iso_utc(t: int) -> str:
    return dt.datetime.fromtimestamp(int(t), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _bundle_id(seed: int, scale: float, key: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"lintas-demo:{seed}:{scale!r}:{key}"))


def _names() -> dict:
    return json.loads((resources_dir() / "demo" / "names.json").read_text(encoding="utf-8"))


class _Ids:
    """Local ids per bundle, in order of first use."""

    def __init__(self, fmt: dict[str, str]) -> None:
        self.fmt = fmt
        self.ids: dict[tuple[str, str], str] = {}
        self.count: dict[str, int] = {}

    def __call__(self, bundle: str, who: str) -> str:
        k = (bundle, who)
        if k not in self.ids:
            n = self.count.get(bundle, 0) + 1
            self.count[bundle] = n
            self.ids[k] = self.fmt[bundle].format(n=n)
        return self.ids[k]

    def get(self, bundle: str, who: str) -> str | None:
        return self.ids.get((bundle, who))


def generate(seed: int = 14, scale: float = 1.0, progress: Progress = NULL) -> Scenario:
    """The whole scenario for ``seed`` and ``scale``: deterministic, byte for byte."""
    if not scale > 0:
        raise ValueError("scale must be positive")
    streams = np.random.SeedSequence(seed).spawn(8)
    rng_net, rng_calls, rng_msg, rng_money, rng_travel, rng_people, rng_inc, rng_fmt = (
        np.random.default_rng(s) for s in streams)
    g = _Gen(seed, scale, rng_net, rng_calls, rng_msg, rng_money, rng_travel, rng_people, rng_inc, rng_fmt)
    return g.run(progress)


class _Gen:
    def __init__(self, seed, scale, rng_net, rng_calls, rng_msg, rng_money, rng_travel, rng_people,
                 rng_inc, rng_fmt) -> None:
        self.seed, self.scale = seed, scale
        self.rng_net, self.rng_calls, self.rng_msg = rng_net, rng_calls, rng_msg
        self.rng_money, self.rng_travel, self.rng_people = rng_money, rng_travel, rng_people
        self.rng_inc, self.rng_fmt = rng_inc, rng_fmt
        self.names = _names()
        self.members = {m.key: m for m in C.CAST}
        self.ids = _Ids({C.BONTANG_REPORTS: "P-{n:03d}", C.BONTANG_PHONE: "EKS-{n:02d}",
                         C.PPATK: "NSB-{n:05d}", C.PDRM: "TWU/2026/{n:04d}",
                         C.INTERPOL: "IP-2026-{n:05d}", C.PNP: "PNP-ZC-{n:03d}"})
        self.bundle_ids = {k: _bundle_id(seed, scale, k) for k in
                           (C.BONTANG_REPORTS, C.BONTANG_PHONE, C.PPATK, C.PDRM, C.INTERPOL, C.PNP)}
        self.t0 = _epoch(C.START)
        self.t1 = _epoch(C.END, 24)
        self.truth: dict = {}
        self.tables: dict[str, list[TableOut]] = {k: [] for k in self.bundle_ids}
        self.attachments: dict[str, list[AttachmentOut]] = {k: [] for k in self.bundle_ids}

    # ------------------------------------------------------------------ people
    def _victims(self):
        for (key, name, other, birth, recruiter, home, recruited), nsn in zip(C.VICTIMS, C.VICTIM_PHONES,
                                                                                strict=True):
            yield key, name, other, birth, recruiter, home, recruited, nsn

    def _ref(self, bundle: str, who: str) -> dict:
        return {"bundle": bundle, "bundle_id": self.bundle_ids[bundle], "id": self.ids(bundle, who)}

    # ------------------------------------------------------------------ phone network
    def build_network(self) -> None:
        rng = self.rng_net
        countries: list[str] = []
        nsn: list[str] = []
        node_number: list[int] = []          # node -> number index (the first, for switchers)
        node_city: list[str] = []
        node_window: list[tuple[int, int]] = []
        self.node_of: dict[str, int] = {}
        self.number_of: dict[str, list[int]] = {}

        def add_number(country: str, n: str) -> int:
            countries.append(country)
            nsn.append(n)
            return len(nsn) - 1

        def add_node(number: int, city: str, window: tuple[int, int]) -> int:
            node_number.append(number)
            node_city.append(city)
            node_window.append(window)
            return len(node_number) - 1

        full = (self.t0, self.t1)
        circles: list[tuple[int, int, str, str]] = []      # (owner node, size, country, city)
        for m in C.CAST:
            nums = [add_number(m.country, p) for p in m.phones]
            self.number_of[m.key] = nums
            window = (_epoch(m.active[0]), _epoch(m.active[1], 24)) if m.active else full
            self.node_of[m.key] = add_node(nums[0], m.city, window)
            circles.append((self.node_of[m.key], m.circle, m.country, m.city))
        for key, _name, _o, _b, _r, home, recruited, phone in self._victims():
            num = add_number("ID", phone)
            self.number_of[key] = [num]
            start = _epoch(recruited) - 21 * DAY
            self.node_of[key] = add_node(num, home, (start, self.t1))
            circles.append((self.node_of[key], 2, "ID", home))

        taken = set(nsn)
        edges: list[tuple[int, int, float]] = []
        for a, b, w in C.TIES:
            edges.append((self.node_of[a], self.node_of[b], w))
        for key, _name, other, _b, recruiter, _h, _recruited, _p in self._victims():
            edges.append((self.node_of[recruiter], self.node_of[key], 3.0))
            if C.PDRM in other:      # rescued from the plantation: the foreman had their number
                edges.append((self.node_of["rosli"], self.node_of[key], 1.0))
        for v in ("v01", "v05", "v09"):
            edges.append((self.node_of["rudi"], self.node_of[v], 1.0))

        # Personal circles: family and friends who call the member and each other.
        self.circle_of: dict[int, list[int]] = {}
        by_country: dict[str, list[tuple[int, int, str]]] = {}
        for owner, size, country, city in circles:
            by_country.setdefault(country, []).append((owner, size, city))
        for country in sorted(by_country):
            group = by_country[country]
            fresh = random_nsn(rng, country, sum(s for _, s, _ in group), taken)
            taken.update(fresh)
            it = iter(fresh)
            for owner, size, city in group:
                members = [add_node(add_number(country, next(it)), city, full) for _ in range(size)]
                self.circle_of[owner] = members
                w = 2.0 if size >= 8 else 1.5
                edges += [(owner, c, w) for c in members]
                edges += [(members[i], members[(i + 1) % size], 0.5) for i in range(size) if size > 2]

        # Background population: small communities (families, workplaces, kampung) that talk
        # among themselves.  A ring with two neighbours each side plus a few chords keeps every
        # degree below the organisers' by construction.
        n_noise = int(round(500 * self.scale))
        sizes_a = rng.integers(6, 21, n_noise // 6 + 1)
        k = int(np.searchsorted(np.cumsum(sizes_a), n_noise))   # first community reaching n_noise
        sizes_a = sizes_a[:k + 1].astype(np.int64)
        if len(sizes_a):
            sizes_a[-1] -= int(sizes_a.sum()) - n_noise
            if sizes_a[-1] < 3:
                sizes_a = sizes_a[:-1]
        comm_country = rng.choice(np.array(["ID", "MY", "PH"]), len(sizes_a), p=[0.6, 0.3, 0.1])
        noise_cities = {"ID": ["Bontang", "Sangatta", "Samarinda", "Balikpapan", "Tarakan", "Nunukan"],
                        "MY": ["Tawau", "Semporna", "Sandakan", "Kota Kinabalu"], "PH": ["Zamboanga"]}
        comm_city = np.array([noise_cities[c][int(rng.integers(0, len(noise_cities[c])))]
                              for c in comm_country.tolist()], dtype=object)
        node_country_noise = np.repeat(comm_country, sizes_a)
        total = int(sizes_a.sum())
        noise_nsn = np.empty(total, dtype=object)
        for country in ("ID", "MY", "PH"):
            where = np.flatnonzero(node_country_noise == country)
            if len(where):
                fresh = random_nsn(rng, country, len(where), taken)
                taken.update(fresh)
                noise_nsn[where] = fresh
        first_number = len(nsn)
        first_node = len(node_number)
        countries_all = np.concatenate([np.array(countries, dtype=object), node_country_noise.astype(object)])
        nsn_all = pa.concat_arrays([pa.array(nsn, pa.string()), pa.array(noise_nsn, pa.string())])
        self.book = NumberBook(countries_all.astype(str), nsn_all)
        # noise node i -> number first_number + i, city of its community
        self.node_number = np.concatenate([np.array(node_number, np.int64),
                                           first_number + np.arange(total, dtype=np.int64)])
        self.node_city = np.concatenate([np.array(node_city, dtype=object), np.repeat(comm_city, sizes_a)])
        place_code = {p: i for i, p in enumerate(C.PLACES)}
        self.node_city_code = np.concatenate([
            np.array([place_code[c] for c in node_city], np.int64),
            np.repeat(np.array([place_code[c] for c in comm_city.tolist()], np.int64), sizes_a)])
        win = np.array(node_window, np.int64).reshape(-1, 2)
        self.node_window = np.concatenate([win, np.tile([self.t0, self.t1], (total, 1))])
        # community edges, vectorised: ring (+1, +2) and one chord per 4 nodes
        starts = np.repeat(np.concatenate([[0], np.cumsum(sizes_a)[:-1]]), sizes_a) + first_node
        size_of = np.repeat(sizes_a, sizes_a)
        local = np.arange(total) - (starts - first_node)
        src = np.arange(total) + first_node
        ring1 = starts + (local + 1) % size_of
        ring2 = starts + (local + 2) % size_of
        chords_from = src[rng.random(total) < 0.25]
        csize = size_of[chords_from - first_node]
        cstart = starts[chords_from - first_node]
        chords_to = cstart + (chords_from - cstart + 3 + rng.integers(0, np.maximum(csize - 5, 1))) % csize
        # Half the communities (at most six per person) know someone in a member's personal circle,
        # one tie in the same country: the background hangs off the network's fringe, evenly, so
        # the organisers carry the most shortest paths while no fringe number gathers many ties.
        # The rest of the population never touches the network.
        comm_start = np.concatenate([[0], np.cumsum(sizes_a)[:-1]]).astype(np.int64) + first_node
        victims = {self.node_of[v[0]] for v in C.VICTIMS}
        circle_nodes = np.array(sorted(c for owner, cs in self.circle_of.items() if owner not in victims
                                       for c in cs), np.int64)
        circle_country = np.array(countries, dtype=object)[self.node_number[circle_nodes]]
        link_from_l, link_to_l = [], []
        for country in ("ID", "MY", "PH"):
            pool = rng.permutation(circle_nodes[circle_country == country])
            comms = np.flatnonzero(comm_country == country)
            k = min(len(comms) // 2, 6 * len(pool))
            if k:
                chosen = rng.choice(comms, k, replace=False)
                link_from_l.append(comm_start[chosen] + rng.integers(0, sizes_a[chosen]))
                link_to_l.append(pool[np.arange(k) % len(pool)])
        link_from = np.concatenate(link_from_l) if link_from_l else np.zeros(0, np.int64)
        link_to = np.concatenate(link_to_l) if link_to_l else np.zeros(0, np.int64)
        ok = np.ones(len(link_to), bool)
        ea = np.concatenate([src, src, chords_from, link_from[ok]])
        eb = np.concatenate([ring1, ring2, chords_to, link_to[ok]])
        ew = np.concatenate([np.ones(total), np.full(total, 0.6), np.full(len(chords_from), 0.4),
                             np.full(int(ok.sum()), 0.5)])
        core = np.array(edges, dtype=np.float64).reshape(-1, 3)
        ea = np.concatenate([core[:, 0].astype(np.int64), ea])
        eb = np.concatenate([core[:, 1].astype(np.int64), eb])
        ew = np.concatenate([core[:, 2], ew])
        # drop self-loops and duplicate pairs (small communities wrap around)
        keep = ea != eb
        lo, hi = np.minimum(ea, eb)[keep], np.maximum(ea, eb)[keep]
        ew = ew[keep]
        _, first = np.unique(lo * (len(self.node_number) + 1) + hi, return_index=True)
        first = np.sort(first)
        self.ea, self.eb, self.ew = lo[first], hi[first], ew[first]

    # ------------------------------------------------------------------ calls
    def number_at(self, node: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Number used by ``node`` at time ``t`` (switchers change number on their switch date)."""
        num = self.node_number[node].copy()
        for key, date in C.SWITCH_DATES.items():
            ts = _epoch(date)
            old, new = self.number_of[key]
            num[(node == self.node_of[key]) & (t >= ts)] = new
            assert old == self.node_number[self.node_of[key]]
        return num

    def build_calls(self) -> None:
        rng = self.rng_calls
        w0 = np.maximum(self.node_window[self.ea, 0], self.node_window[self.eb, 0])
        w1 = np.minimum(self.node_window[self.ea, 1], self.node_window[self.eb, 1])
        ok = w1 > w0 + DAY
        ea, eb, ew, w0, w1 = self.ea[ok], self.eb[ok], self.ew[ok], w0[ok], w1[ok]
        n_edges = len(ea)
        # every tie is used at least once; a switcher's ties once before and once after the switch
        mand_e = [np.arange(n_edges)]
        mand_lo = [w0]
        mand_hi = [w1]
        for key, date in C.SWITCH_DATES.items():
            ts = _epoch(date)
            node = self.node_of[key]
            mine = np.flatnonzero((ea == node) | (eb == node))
            # each tie once in the three weeks after the switch and once in the three before it:
            # the person carries on with the same contacts, and the old number goes silent
            mand_e.append(mine)
            mand_lo.append(np.maximum(w0[mine], ts))
            mand_hi.append(np.minimum(w1[mine], ts + 21 * DAY))
            mand_lo[0] = mand_lo[0].copy()
            mand_hi[0] = mand_hi[0].copy()
            mand_lo[0][mine] = np.maximum(w0[mine], ts - 21 * DAY)
            mand_hi[0][mine] = np.minimum(w1[mine], ts - 3600)
        e_idx = np.concatenate(mand_e)
        lo = np.concatenate(mand_lo)
        hi = np.concatenate(mand_hi)
        extra = max(0, int(round(3000 * self.scale)) - len(e_idx))
        if extra:
            picked = rng.choice(n_edges, extra, p=ew / ew.sum())
            e_idx = np.concatenate([e_idx, picked])
            lo = np.concatenate([lo, w0[picked]])
            hi = np.concatenate([hi, w1[picked]])
        n = len(e_idx)
        # a day inside the window, an hour from a waking-day profile
        days = lo // DAY + (rng.random(n) * np.maximum((hi - lo) // DAY, 1)).astype(np.int64)
        hour_p = np.array([1, 1, 1, 1, 1, 2, 4, 6, 7, 7, 7, 7, 8, 7, 6, 6, 7, 8, 9, 9, 8, 6, 4, 2], float)
        hours = rng.choice(24, n, p=hour_p / hour_p.sum())
        secs = rng.integers(0, 3600, n)
        # local (WITA) day and hour -> UTC
        t = days * DAY + hours * 3600 + secs - WITA * 3600
        span = np.maximum(hi - lo - 60, 1)
        t = lo + np.mod(t - lo, span)     # wrap into the window (no pile-up at its edges)
        swap = rng.random(n) < 0.5
        a = np.where(swap, eb[e_idx], ea[e_idx])
        b = np.where(swap, ea[e_idx], eb[e_idx])
        # co-location: the organiser and the seized phone's owner meet at the safe house
        meet_days = sorted(rng.choice(np.arange(20, 200), 6, replace=False).tolist())
        meet_t = np.array([self.t0 + d * DAY + (19 - WITA) * 3600 + int(rng.integers(0, 3600))
                           for d in meet_days], np.int64)
        rizal, andi = self.node_of["rizal"], self.node_of["andi"]
        rz_peers = self._peers(rizal, exclude={andi})
        an_peers = self._peers(andi, exclude={rizal})
        ma = np.concatenate([np.full(6, rizal), np.full(6, andi)])
        mb = np.concatenate([rng.choice(rz_peers, 6), rng.choice(an_peers, 6)])
        mt = np.concatenate([meet_t, meet_t + rng.integers(120, 1200, 6)])
        a = np.concatenate([a, ma])
        b = np.concatenate([b, mb])
        t = np.concatenate([t, mt])
        n = len(t)
        order = np.argsort(t, kind="stable")
        a, b, t = a[order], b[order], t[order]
        is_meet = np.isin(order, np.arange(n - 12, n))
        kind = np.where(rng.random(n) < 0.15, "sms", "voice")
        dur = np.where(kind == "voice", np.clip(rng.lognormal(4.2, 1.0, n), 5, 3600).astype(np.int64), 0)
        self.calls = {"a": a, "b": b, "t": t, "kind": kind, "dur": dur, "meet": is_meet,
                      "na": self.number_at(a, t), "nb": self.number_at(b, t)}
        self.meet_t = meet_t

    def _peers(self, node: int, exclude: set[int]) -> np.ndarray:
        peers = np.concatenate([self.eb[self.ea == node], self.ea[self.eb == node]])
        return np.array(sorted(set(peers.tolist()) - exclude), np.int64)

    def _cells(self, nodes: np.ndarray, country_of_number: np.ndarray, rng) -> tuple:
        """Cell id, lat, lon of the caller's side: a cell of the home area, jittered."""
        places = list(C.PLACES)
        code = self.node_city_code[nodes]
        cell_no = rng.integers(1, 25, len(nodes))
        p_lat = np.array([C.PLACES[p][0] for p in places])
        p_lon = np.array([C.PLACES[p][1] for p in places])
        lat = p_lat[code] + ((cell_no * 37) % 17 - 8) * 0.004
        lon = p_lon[code] + ((cell_no * 53) % 19 - 9) * 0.004
        lac = pa.array([f"{hash_int(p) % 9000 + 1000}" for p in places], pa.string()).take(pa.array(code))
        mcc = np.select([country_of_number == "ID", country_of_number == "MY"], ["510-10-", "502-13-"], "515-02-")
        cell = pc.binary_join_element_wise(pa.array(mcc), lac, "-",
                                           pa.array(cell_no).cast(pa.string()), "")
        return cell, np.round(lat, 5), np.round(lon, 5)

    def write_calls(self) -> None:
        c = self.calls
        rng = self.rng_fmt
        ca = self.book.country[c["na"]]
        cb = self.book.country[c["nb"]]
        cell, lat, lon = self._cells(c["a"], ca, rng)
        safe = C.PLACES["Bontang"]
        cell = np.where(c["meet"], "510-10-4471-7", cell.to_numpy(zero_copy_only=False))
        lat = np.where(c["meet"], round(safe[0] + 0.0121, 5), lat)
        lon = np.where(c["meet"], round(safe[1] + 0.0087, 5), lon)
        indonesian = (ca == "ID") | (cb == "ID")
        # Telkomsel CDR (Polres Bontang, by court order): every call with an Indonesian side.
        w = np.flatnonzero(indonesian)
        slot_a = np.where(self.book.country[c["na"][w]] == "ID", 3, 0)     # operator style: 62812…
        slot_b = np.where(self.book.country[c["nb"][w]] == "ID", 3, 0)
        cdr = pa.table({
            "A_NUMBER": self.book.written(c["na"][w], "ID", slot_a),
            "B_NUMBER": self.book.written(c["nb"][w], "ID", slot_b),
            "START_TIME": local_times(c["t"][w], WITA, "+08:00"),
            "DURATION": pa.array(c["dur"][w], pa.int64()),
            "CALL_TYPE": pa.array(c["kind"][w], pa.string()),
            "CELL_ID": pa.array(cell[w], pa.string()),
            "LAT": pa.array(lat[w]), "LON": pa.array(lon[w]),
        })
        self.tables[C.BONTANG_PHONE].append(TableOut(
            "data/cdr_telkomsel.parquet", "calls", "parquet", cdr,
            columns={"caller": "A_NUMBER", "callee": "B_NUMBER", "start": "START_TIME", "duration_s": "DURATION",
                     "kind": "CALL_TYPE", "cell_id": "CELL_ID", "lat": "LAT", "lon": "LON"},
            personal_data=["caller", "callee"]))
        # The seized phone's own call log: naive local times (default_timezone Asia/Makassar).
        andi_num = self.number_of["andi"][0]
        w = np.flatnonzero((c["na"] == andi_num) | (c["nb"] == andi_num))
        slots = rng.integers(0, 6, (2, len(w)))
        log_t = pa.table({
            "caller": self.book.written(c["na"][w], "ID", slots[0]),
            "callee": self.book.written(c["nb"][w], "ID", slots[1]),
            "start": local_times(c["t"][w], WITA, ""),
            "duration_s": pa.array(c["dur"][w], pa.int64()),
            "kind": pa.array(c["kind"][w], pa.string()),
        })
        self.tables[C.BONTANG_PHONE].append(TableOut("data/ponsel_panggilan.csv", "calls", "csv", log_t,
                                                     personal_data=["caller", "callee"]))
        # Royal Malaysia Police: calls among Malaysian and Philippine numbers (Tawau CDR).
        w = np.flatnonzero(~indonesian)
        slots = rng.integers(0, 4, (2, len(w)))
        my = pa.table({
            "caller": self.book.written(c["na"][w], "MY", slots[0]),
            "callee": self.book.written(c["nb"][w], "MY", slots[1]),
            "start": local_times(c["t"][w], 8, ""),
            "duration_s": pa.array(c["dur"][w], pa.int64()),
            "kind": pa.array(c["kind"][w], pa.string()),
            "cell_id": pa.array(cell[w], pa.string()),
        })
        self.tables[C.PDRM].append(TableOut("data/panggilan_tawau.csv", "calls", "csv", my,
                                            personal_data=["caller", "callee"]))
        self.call_counts = {"cdr": int(indonesian.sum()), "seized_log": len(log_t), "pdrm": len(my)}

    # ------------------------------------------------------------------ truths about phones
    def phone_truths(self) -> None:
        c = self.calls
        e164s = self.book.e164()
        switches = []
        for key, date in C.SWITCH_DATES.items():
            old, new = self.number_of[key]
            used_old = (c["na"] == old) | (c["nb"] == old)
            used_new = (c["na"] == new) | (c["nb"] == new)

            def peers(num, used):
                other = np.where(c["na"][used] == num, c["nb"][used], c["na"][used])
                return {e164s[int(i)].as_py() for i in np.unique(other)}

            po, pn = peers(old, used_old), peers(new, used_new)
            m = self.members[key]
            refs = [self._ref(b, key) for b in m.names if b in (C.BONTANG_REPORTS, C.PDRM, C.INTERPOL)]
            switches.append({
                "person": next(iter(m.names.values())), "refs": refs,
                "old": e164(m.country, m.phones[0]), "new": e164(m.country, m.phones[1]),
                "switch_date": date,
                "old_last_call": _iso_utc(c["t"][used_old].max()),
                "new_first_call": _iso_utc(c["t"][used_new].min()),
                "old_contacts": len(po), "new_contacts": len(pn),
                "shared_contacts": sorted(po & pn),
            })
        self.truth["phone_switches"] = switches
        rz, an = self.number_of["rizal"][0], self.number_of["andi"][0]
        self.truth["colocation"] = [{
            "a": {"person": "Muhammad Rizal bin Abdullah", "phone": e164s[rz].as_py()},
            "b": {"person": "Andi Saputra", "phone": e164s[an].as_py()},
            "cell_id": "510-10-4471-7", "place": "rumah kos Gg. Mawar, Bontang (safe house)",
            "times": [_iso_utc(t) for t in self.meet_t.tolist()],
            "window_minutes": 30,
        }]

    # ------------------------------------------------------------------ persons and the rest
    def people(self) -> None:
        rng = self.rng_people
        names = self.names
        B, E, F, M, IP, P = (C.BONTANG_REPORTS, C.BONTANG_PHONE, C.PPATK, C.PDRM, C.INTERPOL, C.PNP)
        rows: dict[str, list[dict]] = {k: [] for k in self.bundle_ids}
        idents: dict[str, list[dict]] = {k: [] for k in self.bundle_ids}
        nat_style = {B: lambda c: c, E: lambda c: c, F: lambda c: c, P: lambda c: c,
                     M: lambda c: {"ID": "INDONESIA", "MY": "MALAYSIA", "PH": "FILIPINA"}[c],
                     IP: lambda c: {"ID": "IDN", "MY": "MYS", "PH": "PHL"}[c]}
        gender_style = {B: {"M": "L", "F": "P"}, M: {"M": "Lelaki", "F": "Perempuan"}}
        notes = {"organiser": "Pengendali jaringan", "financier": "Penyandang dana",
                 "transport": "Koordinator transportasi Nunukan", "documents": "Pengurus paspor palsu",
                 "recruiter": "Perekrut", "courier": "Kurir", "employer": "Mandor ladang",
                 "boatman": "Tekong (pengemudi perahu)", "organiser-ph": "Contact in Zamboanga",
                 "landlady": "Pemilik rumah kos", "harbour official": "Petugas pelabuhan",
                 "neighbour": "Tetangga", "ferry terminal officer": "Pegawai terminal feri",
                 "decoy": ""}
        for m in C.CAST:
            for b, name in m.names.items():
                pid = self.ids(b, m.key)
                rows[b].append({
                    "id": pid, "name": name, "aliases": list(m.aliases.get(b, ())),
                    "birth_date": m.birth.get(b), "nationality": nat_style[b](m.nationality),
                    "gender": gender_style.get(b, {}).get(m.gender, m.gender),
                    "notes": _note(b, m, notes), "role": m.role})
                if b in (B, E, M, P):
                    region = {B: "ID", E: "ID", M: "MY", P: "PH"}[b]
                    for i in range(len(m.phones)):
                        slot = int(rng.integers(0, 6))
                        idx = self.number_of[m.key][i]
                        written = self.book.written(np.array([idx]), region, np.array([slot]))[0].as_py()
                        valid_to = None
                        valid_from = None
                        if len(m.phones) > 1:
                            sd = C.SWITCH_DATES[m.key]
                            valid_to, valid_from = (sd, None) if i == 0 else (None, sd)
                        idents[b].append({"owner": pid, "kind": "phone", "value": written, "country": m.country,
                                          "valid_from": valid_from, "valid_to": valid_to})
                if m.passport and b in (B, M, IP):
                    idents[b].append({"owner": pid, "kind": "passport", "value": m.passport[1],
                                      "country": m.passport[0], "valid_from": None, "valid_to": None})
                if m.national_id and b in (B, M) and (b == B) == (m.country == "ID"):
                    idents[b].append({"owner": pid, "kind": "national_id", "value": m.national_id,
                                      "country": m.country, "valid_from": None, "valid_to": None})
        victims = []
        for key, name, other, birth, recruiter, home, recruited, _nsn in self._victims():
            refs = []
            for b, nm in [(B, name), *other.items()]:
                pid = self.ids(b, key)
                refs.append(self._ref(b, key) | {"name": nm})
                row = {"id": pid, "name": nm, "aliases": [], "birth_date": birth,
                       "nationality": nat_style[b]("ID"), "gender": gender_style.get(b, {}).get("F", "F"),
                       "notes": None, "role": "victim"}
                if b == B:
                    row["notes"] = f"Korban, direkrut {recruited} di {home}"
                    idx = self.number_of[key][0]
                    written = self.book.written(np.array([idx]), "ID", np.array([int(rng.integers(0, 6))]))
                    idents[B].append({"owner": pid, "kind": "phone", "value": written[0].as_py(), "country": "ID",
                                      "valid_from": None, "valid_to": None})
                elif b == M:
                    row["notes"] = "Diselamatkan dalam serbuan ladang, Semporna"
                else:
                    row["notes"] = "Yellow Notice (missing person), DEMO"
                    row["birth_date"] = birth[:4] if key == "v16" else birth
                rows[b].append(row)
            victims.append({"name": name, "recruited_by": self.members[recruiter].names[B],
                            "recruited_on": recruited, "refs": refs})
        # one victim's birth date is written day/month swapped by the Malaysian side
        for r in rows[M]:
            if r["name"] == "Dewi Lestari":
                r["birth_date"] = "2002-09-07"
        self.truth["victims"] = victims
        # Background persons of interest: names drawn without repetition.
        pools = {
            M: [f"{g} bin {p}" for g, p in product(names["my_given"], names["my_patronymic"])]
            + [f"{f} {g}" for f, g in product(names["my_chinese_family"], names["my_chinese_given"])],
            IP: [f"{f.upper()}, {g}" for f, g in product(names["id_family"], names["id_given_m"] + names["id_given_f"])]
            + [f"{f.upper()}, {g}" for f, g in product(names["ph_family"], names["ph_given"])],
            P: [f"{g} {f}" for g, f in product(names["ph_given"], names["ph_family"])],
            B: [f"{g} {f}" for g, f in product(names["id_given_m"] + names["id_given_f"], names["id_family"])],
        }
        counts = {M: 4 + int(30 * self.scale), IP: 4 + int(12 * self.scale), P: 2 + int(3 * self.scale),
                  B: 2 + int(10 * self.scale)}
        for b in (B, M, IP, P):
            pool = pools[b]
            pick = rng.choice(len(pool), min(counts[b], len(pool)), replace=False)
            for j in pick.tolist():
                pid = self.ids(b, f"bg{j}")
                year = int(rng.integers(1960, 2004))
                rows[b].append({"id": pid, "name": pool[j], "aliases": [],
                                "birth_date": f"{year}-{int(rng.integers(1, 13)):02d}-{int(rng.integers(1, 29)):02d}",
                                "nationality": nat_style[b]({B: "ID", M: "MY", IP: "ID", P: "PH"}[b]),
                                "gender": None, "notes": None,
                                "role": "witness" if rng.random() < 0.4 else "suspect"})
        self.person_rows, self.ident_rows = rows, idents
        # the seized phone's owner: a person of the extraction bundle
        owner = self.ids(E, "andi")
        idents[E].append({"owner": owner, "kind": "imei", "value": "356789104455612", "country": None,
                          "valid_from": None, "valid_to": None})
        self.truth_same_persons()

    def truth_same_persons(self) -> None:
        groups = []
        pairs = []
        people = [(m.key, m.names) for m in C.CAST if m.function != "decoy"]
        people += [(k, {C.BONTANG_REPORTS: n, **o}) for k, n, o, *_ in C.VICTIMS]
        for key, names in people:
            refs = [self._ref(b, key) | {"name": nm} for b, nm in names.items()]
            if len(refs) < 2:
                continue
            groups.append({"person": key, "refs": refs})
            for i in range(len(refs)):
                for j in range(i + 1, len(refs)):
                    pairs.append([{k: refs[i][k] for k in ("bundle_id", "id")},
                                  {k: refs[j][k] for k in ("bundle_id", "id")}])
        self.truth["same_persons"] = groups
        self.truth["same_person_pairs"] = pairs
        r, d = self.members["rizal"], self.members["rizal_decoy"]
        j, jd = self.members["djoko"], self.members["joko_decoy"]
        self.truth["different_persons"] = [
            {"a": self._ref(C.PDRM, "rizal") | {"name": r.names[C.PDRM]},
             "b": self._ref(C.PDRM, "rizal_decoy") | {"name": d.names[C.PDRM]},
             "why": "same given names, different father's name and birth year (1981 vs 1994)"},
            {"a": self._ref(C.INTERPOL, "djoko") | {"name": j.names[C.INTERPOL]},
             "b": self._ref(C.INTERPOL, "joko_decoy") | {"name": jd.names[C.INTERPOL]},
             "why": "SANTOSO, Joko vs SANTOSO, Joko Widodo: born 1975 vs 1961, different passports"},
        ]

    def write_people(self) -> None:
        B, E, M, IP, P = (C.BONTANG_REPORTS, C.BONTANG_PHONE, C.PDRM, C.INTERPOL, C.PNP)
        cols = ["id", "name", "aliases", "birth_date", "nationality", "gender", "notes", "role"]

        def table(rows, csv_lists: bool) -> pa.Table:
            data = {c: [r.get(c) for r in rows] for c in cols}
            if csv_lists:
                data["aliases"] = [";".join(a) or None for a in data["aliases"]]
                return pa.table({c: pa.array(v, pa.string()) for c, v in data.items()})
            return pa.table({c: pa.array(v, pa.list_(pa.string()) if c == "aliases" else pa.string())
                             for c, v in data.items()})

        ident_cols = ["owner", "kind", "value", "country", "valid_from", "valid_to"]

        def itable(rows) -> pa.Table:
            return pa.table({c: pa.array([r.get(c) for r in rows], pa.string()) for c in ident_cols})

        pd = ["name", "aliases", "birth_date"]
        self.tables[B] += [TableOut("data/orang.csv", "persons", "csv", table(self.person_rows[B], True),
                                    personal_data=pd),
                           TableOut("data/identitas.csv", "identifiers", "csv", itable(self.ident_rows[B]),
                                    personal_data=["value"])]
        self.tables[E] += [TableOut("data/pemilik.csv", "persons", "csv", table(self.person_rows[E], True),
                                    personal_data=pd),
                           TableOut("data/pemilik_identitas.csv", "identifiers", "csv",
                                    itable(self.ident_rows[E]), personal_data=["value"])]
        # PDRM writes JSON lines with its own (Malay) field names, mapped in the manifest.
        malay = {"id": "no_rujukan", "name": "nama", "aliases": "nama_lain", "birth_date": "tarikh_lahir",
                 "nationality": "warganegara", "gender": "jantina", "notes": "catatan"}
        t = table(self.person_rows[M], False).rename_columns([malay.get(c, c) for c in cols])
        self.tables[M] += [TableOut("data/orang.jsonl", "persons", "jsonl", t, columns=malay,
                                    personal_data=pd),
                           TableOut("data/pengenalan.jsonl", "identifiers", "jsonl", itable(self.ident_rows[M]),
                                    personal_data=["value"])]
        self.tables[IP] += [TableOut("data/notices.jsonl", "persons", "jsonl", table(self.person_rows[IP], False),
                                    personal_data=pd),
                           TableOut("data/documents.csv", "identifiers", "csv", itable(self.ident_rows[IP]))]
        self.tables[P] += [TableOut("data/persons.csv", "persons", "csv", table(self.person_rows[P], True)),
                           TableOut("data/identifiers.csv", "identifiers", "csv", itable(self.ident_rows[P]))]

    # ------------------------------------------------------------------ ties, places, events
    def relationships_and_places(self) -> None:
        B, M, P = C.BONTANG_REPORTS, C.PDRM, C.PNP

        def rel(b, s, t, kind, start=None, note=None):
            return {"source": self.ids(b, s), "target": self.ids(b, t), "kind": kind, "start": start,
                    "end": None, "note": note}

        rb = [rel(B, "rizal", k, "recruiter", "2025", "mengendalikan perekrut")
              for k in ("andi", "siti", "yohanes", "bambang", "nuraisyah")]
        rb += [rel(B, "rizal", k, "associate") for k in ("djoko", "hendra", "soenarjo", "agus", "rudi",
                                                         "abdulrahman")]
        rb += [rel(B, "hendra", "agus", "employee", "2024-06"), rel(B, "djoko", "rudi", "associate"),
               rel(B, "andi", "nuraisyah", "family", None, "sepupu"),
               rel(B, "maryam", "andi", "associate", "2026-02", "penyewa kamar kos")]
        for key, _n, _o, _b, recruiter, _h, recruited, _p in self._victims():
            rb.append(rel(B, recruiter, key, "recruiter", recruited, "merekrut korban"))
        rm = [rel(M, "abdulrahman", k, "associate") for k in ("faizal", "lim", "rosli", "awang", "rizal")]
        rm += [rel(M, "rosli", "abdulrahman", "employee", "2023"), rel(M, "faizal", "lim", "associate")]
        for key, _n, other, *_ in C.VICTIMS:
            if M in other:
                rm.append(rel(M, "rosli", key, "employee", None, "pekerja tanpa permit di ladang"))
        rp = [rel(P, "jose", "theresa", "associate"), rel(P, "jose", "abdulrahman", "associate", None,
                                                          "business partner in Sabah")]
        cols = ["source", "target", "kind", "start", "end", "note"]

        def t(rows):
            return pa.table({c: pa.array([r[c] for r in rows], pa.string()) for c in cols})

        self.tables[B].append(TableOut("data/hubungan.csv", "relationships", "csv", t(rb)))
        self.tables[M].append(TableOut("data/hubungan.jsonl", "relationships", "jsonl", t(rm)))
        self.tables[P].append(TableOut("data/relationships.csv", "relationships", "csv", t(rp)))
        bt = C.PLACES["Bontang"]
        safe = "Jl. Brigjen Katamso Gg. Mawar No. 14, Bontang Utara"
        addr = [
            {"owner": self.ids(B, "maryam"), "full": safe, "city": "Bontang", "region": "Kalimantan Timur",
             "country": "ID", "lat": bt[0] + 0.0121, "lon": bt[1] + 0.0087, "valid_from": "2019", "valid_to": None},
            {"owner": self.ids(B, "andi"), "full": safe + " (kamar 3)", "city": "Bontang",
             "region": "Kalimantan Timur", "country": "ID", "lat": bt[0] + 0.0121, "lon": bt[1] + 0.0087,
             "valid_from": "2026-02", "valid_to": None},
            {"owner": self.ids(B, "rizal"), "full": "Jl. Ahmad Yani No. 88, Bontang Baru", "city": "Bontang",
             "region": "Kalimantan Timur", "country": "ID", "lat": bt[0] - 0.0043, "lon": bt[1] + 0.0121,
             "valid_from": "2015", "valid_to": None},
            {"owner": self.ids(B, "djoko"), "full": "Jl. Pelabuhan Tunon Taka, Nunukan Timur", "city": "Nunukan",
             "region": "Kalimantan Utara", "country": "ID", "lat": 4.1351, "lon": 117.6702,
             "valid_from": None, "valid_to": None},
        ]
        acols = ["owner", "full", "city", "region", "country", "lat", "lon", "valid_from", "valid_to"]
        self.tables[B].append(TableOut("data/alamat.csv", "addresses", "csv", pa.table(
            {c: pa.array([r[c] for r in addr], pa.float64() if c in ("lat", "lon") else pa.string())
             for c in acols}), personal_data=["full"]))

    def incidents(self) -> None:
        rng = self.rng_inc
        n = max(12, int(round(120 * self.scale)))
        weeks = (self.t1 - self.t0) // (7 * DAY)
        # rising in Nunukan over the period (the border crossing), flat elsewhere
        places = np.array(["Bontang", "Sangatta", "Samarinda", "Balikpapan", "Tarakan", "Nunukan"])
        wk = rng.integers(0, weeks, n)
        trend = wk / max(weeks - 1, 1)
        p_nunukan = 0.08 + 0.42 * trend
        nunukan = rng.random(n) < p_nunukan
        other = places[rng.integers(0, 5, n)]
        place = np.where(nunukan, "Nunukan", other)
        kinds = np.array(sorted(C.INCIDENT_KINDS))
        kind = kinds[rng.integers(0, len(kinds), n)]
        t = self.t0 + wk * 7 * DAY + rng.integers(0, 7, n) * DAY + rng.integers(7, 22, n) * 3600 \
            + rng.integers(0, 3600, n)
        order = np.argsort(t, kind="stable")
        t, place, kind = t[order], place[order], kind[order]
        lat = np.array([C.PLACES[p][0] for p in place.tolist()]) + rng.normal(0, 0.01, n)
        lon = np.array([C.PLACES[p][1] for p in place.tolist()]) + rng.normal(0, 0.01, n)
        # a report names a victim by initials only (UU 21/2007 art. 44: victims' identities are protected)
        initials = [".".join(w[0] for w in v[1].split()) + "." for v in C.VICTIMS]
        desc = [C.INCIDENT_KINDS[k].format(who=f"perempuan berinisial {initials[i % len(initials)]}")
                for i, k in enumerate(kind.tolist())]
        status = np.array(["dalam penyelidikan", "selesai", "dilimpahkan ke Polda Kaltim"])[rng.integers(0, 3, n)]
        ids = [f"LP/{i + 1:04d}/2026/Polres Btg" for i in range(n)]
        self.tables[C.BONTANG_REPORTS].append(TableOut("data/laporan_polisi.csv", "incidents", "csv", pa.table({
            "id": ids, "time": local_times(t, WITA, "+08:00"), "kind": pa.array(kind, pa.string()),
            "lat": np.round(lat, 5), "lon": np.round(lon, 5), "place": pa.array(place, pa.string()),
            "description": desc, "status": pa.array(status, pa.string())})))
        self.truth["incidents"] = {"rows": n, "rising_place": "Nunukan",
                                   "note": "share of incidents in Nunukan grows linearly from 8% to 50%"}

    # ------------------------------------------------------------------ the seized phone
    def seized_phone(self) -> None:
        rng = self.rng_msg
        E = C.BONTANG_PHONE
        andi = self.node_of["andi"]
        andi_num = self.number_of["andi"][0]
        peers = self._peers(andi, exclude=set())
        key_of_node = {v: k for k, v in self.node_of.items()}
        cat = []
        for p in peers.tolist():
            k = key_of_node.get(p)
            if k == "rizal":
                cat.append("boss")
            elif k and k.startswith("v"):
                cat.append("victim")
            elif k in ("nuraisyah", "soenarjo", "maryam"):
                cat.append("peer")
            else:
                cat.append("other")
        cat = np.array(cat)
        weight = np.select([cat == "boss", cat == "victim", cat == "peer"], [6.0, 3.0, 2.0], 1.0)
        n = max(30, int(round(400 * self.scale)))
        who = rng.choice(len(peers), n, p=weight / weight.sum())
        incoming = rng.random(n) < 0.5
        w0 = np.maximum(self.node_window[peers[who], 0], self.node_window[andi, 0])
        w1 = np.minimum(self.node_window[peers[who], 1], self.node_window[andi, 1])
        t = w0 + (rng.random(n) * (w1 - w0)).astype(np.int64)
        t = np.sort(t)  # the chat list is written in time order
        pick = rng.integers(0, 8, n)
        # every (category, direction, pick) has one text: build the few dozen, then take
        cats = ["boss", "other", "peer", "victim"]     # sorted, for searchsorted
        texts = []
        for c in cats:
            for inc in (False, True):
                pool = C.MESSAGES[f"{c}_{'in' if inc else 'out'}"] if c in ("boss", "victim") else C.MESSAGES[c]
                texts += [pool[k % len(pool)].format(n=2 + k % 4) for k in range(8)]
        code = (np.searchsorted(np.array(cats), cat[who]) * 2 + incoming) * 8 + pick
        bodies = pa.array(texts, pa.string()).take(pa.array(code))
        peer_num = self.node_number[peers[who]]
        slots = rng.integers(0, 6, n)
        me = self.book.written(np.full(n, andi_num), "ID", np.full(n, 1))
        them = self.book.written(peer_num, "ID", slots)
        app = np.where(rng.random(n) < 0.88, "whatsapp", "sms")
        e164s = self.book.e164()
        thread = pc.binary_join_element_wise(pa.array(app, pa.string()), e164s.take(pa.array(peer_num)), ":")
        msgs = pa.table({
            "sender": pa.array(np.where(incoming, them.to_numpy(zero_copy_only=False),
                                        me.to_numpy(zero_copy_only=False)), pa.string()),
            "recipient": pa.array(np.where(incoming, me.to_numpy(zero_copy_only=False),
                                           them.to_numpy(zero_copy_only=False)), pa.string()),
            "time": local_times(t, WITA, ""), "app": pa.array(app, pa.string()), "body": bodies,
            "thread": thread, "direction": pa.array(np.where(incoming, "incoming", "outgoing"), pa.string()),
        })
        self.tables[E].append(TableOut("data/ponsel_pesan.jsonl", "messages", "jsonl", msgs,
                                       personal_data=["sender", "recipient", "body"]))
        # the phone book
        owner = self.ids(E, "andi")
        labels, values = [], []
        fam = iter(C.FAMILY_LABELS * 4)
        vic = {k: n.split()[0] for k, n, *_ in C.VICTIMS}
        vic_home = {k: h for k, _n, _o, _b, _r, h, *_ in C.VICTIMS}
        book_nodes = list(peers.tolist()) + [self.node_of["djoko"], self.node_of["abdulrahman"]]
        for p in book_nodes:
            k = key_of_node.get(p)
            if k and k in self.members:
                labels.append(self.members[k].label or self.members[k].names.get(C.BONTANG_REPORTS, k))
            elif k:
                labels.append(f"{vic[k]} {vic_home[k]}")
            else:
                labels.append(next(fam))
            values.append(int(self.node_number[p]))
        labels.append("Djoko Nunukan Baru")
        values.append(self.number_of["djoko"][1])
        vals = self.book.written(np.array(values), "ID", rng.integers(0, 6, len(values)))
        contacts = pa.table({"owner": [owner] * len(labels), "label": labels, "value": vals,
                             "kind": ["phone"] * len(labels)})
        self.tables[E].append(TableOut("data/ponsel_kontak.csv", "contacts", "csv", contacts,
                                       personal_data=["label", "value"]))

    # ------------------------------------------------------------------ money
    def money(self) -> None:
        rng = self.rng_money
        F = C.PPATK
        bank = {"BRI": "002", "MANDIRI": "008", "BNI": "009", "BCA": "014"}

        def acct(code: str) -> str:
            return f"{bank[code]}-{int(rng.integers(10 ** 9, 10 ** 10))}"

        accounts = {"rizal": acct("BRI"), "hendra": acct("BCA"), "cv_mawar": acct("MANDIRI"),
                    "pt_samudra": acct("BNI"), "djoko": acct("BRI"), "andi": acct("BRI"), "agus": acct("BRI"),
                    "siti": acct("BNI")}
        holders = {"rizal": "rizal", "hendra": "hendra", "djoko": "djoko", "andi": "andi", "agus": "agus",
                   "siti": "siti"}
        orgs = {"cv_mawar": ("CV Mawar Jaya Mandiri", "AHU-0031245.AH.01.14 Tahun 2024", "CV"),
                "pt_samudra": ("PT Samudra Tenaga Kerja Borneo", "AHU-0098812.AH.01.01 Tahun 2023", "PT")}
        tr: list[tuple[str, str, int, float, str, str]] = []   # from, to, epoch, amount, channel, reference

        # 1. the money cycle, twice: CV -> PT -> Djoko -> Rizal -> CV, a few percent kept at each hop
        cycle = ["cv_mawar", "pt_samudra", "djoko", "rizal"]
        rounds = []
        for start in ("2026-05-04", "2026-08-10"):
            amount = float(rng.integers(240, 260)) * 1_000_000
            t = _epoch(start, 10, WIB)
            legs = []
            for i, a in enumerate(cycle):
                b = cycle[(i + 1) % len(cycle)]
                tr.append((accounts[a], accounts[b], t, amount, "transfer",
                           ["pembayaran jasa rekrutmen", "biaya operasional", "pinjaman", "pengembalian modal"][i]))
                legs.append({"from": accounts[a], "to": accounts[b], "time": _iso_utc(t), "amount": amount})
                t += int(rng.integers(1, 3)) * DAY + int(rng.integers(0, 6 * 3600))
                amount = round(amount * (1 - float(rng.uniform(0.015, 0.03))), -3)
            rounds.append(legs)
        self.truth["money_cycle"] = {
            "accounts": [accounts[a] for a in cycle] + [accounts[cycle[0]]],
            "holders": ["CV Mawar Jaya Mandiri", "PT Samudra Tenaga Kerja Borneo", "Djoko Santoso",
                        "Muhammad Rizal bin Abdullah"],
            "rounds": rounds, "currency": "IDR"}

        # 2. fan-in: families pay "processing fees" into the recruiter's account, then it passes on
        n_fam = 25
        fam_acct = [acct(["BRI", "BNI", "MANDIRI"][i % 3]) for i in range(n_fam)]
        fam_pool = [f"{g} {f}" for g, f in product(self.names["id_given_m"], self.names["id_family"])]
        fam_names = [fam_pool[j] for j in rng.choice(len(fam_pool), n_fam, replace=False).tolist()]
        # a recruitment drive: the fees come in over ten days before the April departures
        t_fan = np.sort(_epoch("2026-04-01", 8, WIB) + rng.integers(0, 10 * DAY, n_fam))
        fan_amt = (rng.integers(35, 76, n_fam) * 100_000).astype(float)
        for a, t, x in zip(fam_acct, t_fan.tolist(), fan_amt.tolist(), strict=True):
            tr.append((a, accounts["andi"], t, x, "transfer", "biaya pengurusan kerja Malaysia"))
        # pass-through: every four days the takings go on to the CV within a day
        week_end = _epoch("2026-04-05", 0, WIB)
        passed = []
        while week_end <= int(t_fan.max()) + 4 * DAY:
            got = fan_amt[(t_fan < week_end) & (t_fan >= week_end - 4 * DAY)].sum()
            if got:
                when = week_end + int(rng.integers(2, 20)) * 3600
                tr.append((accounts["andi"], accounts["cv_mawar"], when, float(got), "transfer", "setoran"))
                passed.append({"time": _iso_utc(when), "amount": float(got)})
            week_end += 4 * DAY
        self.truth["fan_in"] = {"account": accounts["andi"], "holder": "Andi Saputra",
                                "senders": fam_acct, "window": [_iso_utc(int(t_fan.min())),
                                                                _iso_utc(int(t_fan.max()))],
                                "total": float(fan_amt.sum()), "passed_on_to": accounts["cv_mawar"],
                                "pass_through": passed, "currency": "IDR"}

        # 3. structuring: cash deposits just under the threshold into the financier's account
        n_dep = 12
        t_dep = np.sort(_epoch("2026-06-01", 9, WIB) + rng.integers(0, 26, n_dep) * DAY
                        + rng.integers(0, 7 * 3600, n_dep))
        dep_amt = (rng.integers(9100, 9990, n_dep) * 50_000).astype(float)     # IDR 455-499.5 million
        branches = ["KCP Bontang Kota", "KCP Bontang Utara", "KCP Sangatta", "KCU Samarinda", "KCP Loktuan"]
        deposits = []
        for i, (t, x) in enumerate(zip(t_dep.tolist(), dep_amt.tolist(), strict=True)):
            ref = f"Setor tunai a.n. AGUS SALIM, {branches[i % len(branches)]}"
            tr.append(("TUNAI", accounts["hendra"], t, x, "setor_tunai", ref))
            deposits.append({"time": _iso_utc(t), "amount": x, "reference": ref})
        self.truth["structuring"] = {
            "account": accounts["hendra"], "holder": "Hendra Tanoto", "depositor": "Agus Salim",
            "from_account": "TUNAI", "channel": "setor_tunai", "deposits": deposits,
            "threshold": {"currency": "IDR", "amount": THRESHOLD_IDR,
                          "basis": ("Indonesia's cash transaction report (LTKT) to PPATK: cash "
                                    "transactions of IDR 500 million or more (UU 8/2010 art. 23(1)(b))")},
            "band": [0.9 * THRESHOLD_IDR, THRESHOLD_IDR]}

        # 4. background: a three-tier flow (people -> shops -> wholesalers), acyclic by construction,
        # amounts far from the threshold band, so the planted patterns stand out.
        n_bg = int(round(800 * self.scale))
        n0 = max(10, n_bg // 2)
        n1 = max(10, int(0.7 * n_bg) // 3)
        n2 = max(5, int(0.3 * n_bg) // 4)
        digits = rng.choice(9 * 10 ** 9, n0 + n1 + n2, replace=False) + 10 ** 9
        codes = np.array(list(bank.values()))[rng.integers(0, 4, n0 + n1 + n2)]
        bg_acct = _join(pa.array(codes, pa.string()), "-", pa.array(digits).cast(pa.string()))
        bg_acct = bg_acct.to_numpy(zero_copy_only=False)
        tier1 = rng.random(n_bg) < 0.7
        frm = np.where(tier1, rng.integers(0, n0, n_bg), n0 + rng.integers(0, n1, n_bg))
        to = np.where(tier1, n0 + rng.integers(0, n1, n_bg), n0 + n1 + rng.integers(0, n2, n_bg))
        amt = np.round(np.clip(rng.lognormal(np.where(tier1, 13.5, 16.0), 1.0), 50_000, 75_000_000), -3)
        t_bg = self.t0 + rng.integers(0, self.t1 - self.t0, n_bg)
        ch = np.array(["transfer", "kliring", "RTGS", "mobile banking"])[rng.integers(0, 4, n_bg)]
        refs = np.array(["pembayaran", "belanja", "cicilan", "gaji", "sewa", "invoice"])[rng.integers(0, 6, n_bg)]
        core = np.array(tr, dtype=object).reshape(-1, 6)
        frm_all = np.concatenate([core[:, 0].astype(str), bg_acct[frm]])
        to_all = np.concatenate([core[:, 1].astype(str), bg_acct[to]])
        t_all = np.concatenate([core[:, 2].astype(np.int64), t_bg])
        amt_all = np.concatenate([core[:, 3].astype(float), amt])
        ch_all = np.concatenate([core[:, 4].astype(str), ch])
        ref_all = np.concatenate([core[:, 5].astype(str), refs])
        order = np.argsort(t_all, kind="stable")
        # whole rupiah throughout: written with two decimals as the bank reports them
        amount_text = _join(pa.array(np.round(amt_all[order]).astype(np.int64)).cast(pa.string()), ".00")
        transfers = pa.table({
            "from_account": pa.array(frm_all[order], pa.string()), "to_account": pa.array(to_all[order], pa.string()),
            "time": local_times(t_all[order], WIB, "+07:00"), "amount": amount_text,
            "currency": pa.array(np.full(len(order), "IDR"), pa.string()),
            "channel": pa.array(ch_all[order], pa.string()), "reference": pa.array(ref_all[order], pa.string())})
        self.tables[F].append(TableOut("data/transaksi.csv", "transfers", "csv", transfers,
                                       personal_data=["from_account", "to_account"]))
        # account holders (persons, organisations) and their accounts
        rows, idents = [], []
        for k, who in holders.items():
            m = self.members[who]
            pid = self.ids(F, who)
            rows.append({"id": pid, "name": m.names.get(F, m.names[C.BONTANG_REPORTS].upper()),
                         "aliases": [], "birth_date": m.birth.get(F, m.birth.get(C.BONTANG_REPORTS)),
                         "nationality": "ID", "gender": None, "notes": "Nasabah (KYC)", "role": m.role})
            idents.append({"owner": pid, "kind": "bank_account", "value": accounts[k], "country": "ID"})
            if m.national_id:
                idents.append({"owner": pid, "kind": "national_id", "value": m.national_id, "country": "ID"})
        for i, (a, nm) in enumerate(zip(fam_acct, fam_names, strict=True)):
            pid = self.ids(F, f"fam{i}")
            rows.append({"id": pid, "name": nm.upper(), "aliases": [], "birth_date": None, "nationality": "ID",
                         "gender": None, "notes": "Nasabah (KYC), keluarga calon pekerja", "role": "witness"})
            idents.append({"owner": pid, "kind": "bank_account", "value": a, "country": "ID"})
        org_rows = []
        for k, (nm, reg, kind) in orgs.items():
            oid = self.ids(F, k)
            org_rows.append({"id": oid, "name": nm, "country": "ID", "registration_number": reg, "kind": kind})
            idents.append({"owner": oid, "kind": "bank_account", "value": accounts[k], "country": "ID"})
        pcols = ["id", "name", "aliases", "birth_date", "nationality", "gender", "notes", "role"]
        self.tables[F] += [
            TableOut("data/nasabah.parquet", "persons", "parquet", pa.table(
                {c: pa.array([r[c] for r in rows], pa.list_(pa.string()) if c == "aliases" else pa.string())
                 for c in pcols}), personal_data=["name", "birth_date"]),
            TableOut("data/badan_usaha.csv", "organizations", "csv", pa.table(
                {c: pa.array([r[c] for r in org_rows], pa.string())
                 for c in ("id", "name", "country", "registration_number", "kind")})),
            TableOut("data/rekening.parquet", "identifiers", "parquet", pa.table(
                {c: pa.array([r.get(c) for r in idents], pa.string())
                 for c in ("owner", "kind", "value", "country")}), personal_data=["value"]),
        ]
        self.accounts = accounts

    # ------------------------------------------------------------------ travel
    def travel(self) -> None:
        rng = self.rng_travel
        M, IP = C.PDRM, C.INTERPOL
        # ferries Nunukan -> Tawau (two a day) and Sandakan -> Zamboanga (twice a week)
        days = np.arange((self.t1 - self.t0) // DAY)
        nt_dep = np.concatenate([self.t0 + days * DAY + (8 - WITA) * 3600, self.t0 + days * DAY + (14 - WITA) * 3600])
        nt_dep.sort()
        nt_voy = np.array([f"TWX-{_local_code(t)}" for t in nt_dep.tolist()])

        def voyage_at(date: str, hour: int) -> int:
            return int(np.searchsorted(nt_dep, _epoch(date, hour)))

        # co-travel pairs: Rizal & Djoko three times; Abdul Rahman & Jose twice to Zamboanga
        pair_trips = [voyage_at(d, 8) for d in ("2026-04-14", "2026-06-23", "2026-09-08")]
        travel_i = []   # Interpol rows (by person id, UTC)
        crossings = []  # PDRM rows (by document)
        co = []

        def add_ferry(who_keys: list[str], v: int) -> None:
            t = int(nt_dep[v])
            for k in who_keys:
                m = self.members[k]
                if IP in m.names:
                    travel_i.append({"time": t, "kind": "departure", "person": self.ids(IP, k), "document": None,
                                     "place_from": "Nunukan", "place_to": "Tawau",
                                     "carrier": "Tawau Express Ferry", "voyage": str(nt_voy[v])})
                    travel_i.append({"time": t + 3 * 3600, "kind": "arrival", "person": self.ids(IP, k),
                                     "document": None, "place_from": "Nunukan", "place_to": "Tawau",
                                     "carrier": "Tawau Express Ferry", "voyage": str(nt_voy[v])})
                crossings.append((t + 3 * 3600 + 600, m.passport[1], str(nt_voy[v])))

        for v in pair_trips:
            add_ferry(["rizal", "djoko"], v)
        co.append({"a": self._ref(IP, "rizal") | {"name": "RIZAL, Mohamad", "document": "C1234567"},
                   "b": self._ref(IP, "djoko") | {"name": "SANTOSO, Joko", "document": "C2468013"},
                   "voyages": [{"voyage": str(nt_voy[v]), "carrier": "Tawau Express Ferry",
                                "departure": _iso_utc(int(nt_dep[v])), "from": "Nunukan", "to": "Tawau"}
                               for v in pair_trips]})
        # Sandakan -> Zamboanga: Abdul Rahman and Jose (flights booked together, DEMO carrier)
        sz = []
        for d in ("2026-05-19", "2026-09-22"):
            t = _epoch(d, 16)
            voy = f"SZ-{d[5:7]}{d[8:10]}"
            for k in ("abdulrahman", "jose"):
                travel_i.append({"time": t, "kind": "departure", "person": self.ids(IP, k), "document": None,
                                 "place_from": "Sandakan", "place_to": "Zamboanga", "carrier": "Sulu Pearl Shipping",
                                 "voyage": voy})
            sz.append({"voyage": voy, "carrier": "Sulu Pearl Shipping", "departure": _iso_utc(t),
                       "from": "Sandakan", "to": "Zamboanga"})
        co.append({"a": self._ref(IP, "abdulrahman") | {"name": "ABDUL RAHMAN BIN YUSOF", "document": "A38811207"},
                   "b": self._ref(IP, "jose") | {"name": "DELA CRUZ, Jose", "document": "P1234567A"},
                   "voyages": sz})
        # solo trips of the subjects (flights), never together
        flights = [("Balikpapan", "Tarakan", "MASwings", "MH3047"), ("Tarakan", "Balikpapan", "Lion Air", "JT0731"),
                   ("Tawau", "Kota Kinabalu", "MASwings", "MH2125"), ("Samarinda", "Balikpapan", "Susi Air", "SI9021")]
        for k in ("rizal", "hendra", "djoko", "abdulrahman", "lim", "jose"):
            for _ in range(3):
                f = flights[int(rng.integers(0, len(flights)))]
                t = self.t0 + int(rng.integers(0, self.t1 - self.t0))
                travel_i.append({"time": t, "kind": "check_in", "person": self.ids(IP, k) if IP in
                                 self.members[k].names else None,
                                 "document": None if IP in self.members[k].names else self.members[k].passport[1],
                                 "place_from": f[0], "place_to": f[1], "carrier": f[2],
                                 "voyage": f"{f[3]}/{_local_code(t)}"})
        # victims cross with the escort, one voyage each
        escorted = []
        for _key, name, _o, _b, _r, _h, recruited, _p in self._victims():
            v = voyage_at(recruited, 8) + 2 * int(rng.integers(3, 10))
            v = min(v, len(nt_dep) - 1)
            doc = f"C5{int(rng.integers(10 ** 5, 10 ** 6)):06d}"
            crossings.append((int(nt_dep[v]) + 3 * 3600 + 600, doc, str(nt_voy[v])))
            crossings.append((int(nt_dep[v]) + 3 * 3600 + 660, self.members["rudi"].passport[1], str(nt_voy[v])))
            escorted.append({"victim": name, "document": doc, "voyage": str(nt_voy[v])})
        self.truth["escorted_crossings"] = escorted
        self.truth["co_travel"] = co
        # background travellers: each makes one or two crossings, so no chance pair repeats
        n_bg = int(round(300 * self.scale))
        n_people = max(1, int(n_bg / 1.5))
        digits = rng.choice(9 * 10 ** 6, n_people, replace=False) + 10 ** 6
        pfx = np.where(rng.random(n_people) < 0.7, "C", "A")
        docs = np.char.add(pfx, digits.astype(str))
        person = np.concatenate([np.arange(n_people), rng.choice(n_people, n_bg - n_people, replace=False)])
        voy = rng.integers(0, len(nt_dep), len(person))
        # keep a returning traveller off the voyages of the planted pairs
        bad = np.isin(voy, pair_trips)
        voy[bad] = (voy[bad] + 1) % len(nt_dep)
        ct = np.concatenate([np.array([c[0] for c in crossings], np.int64),
                             nt_dep[voy] + 3 * 3600 + rng.integers(0, 1800, len(person))])
        cdoc = np.concatenate([np.array([c[1] for c in crossings], dtype=object), docs[person].astype(object)])
        cvoy = np.concatenate([np.array([c[2] for c in crossings], dtype=object), nt_voy[voy].astype(object)])
        order = np.lexsort((cdoc.astype(str), ct))
        n = len(order)
        self.tables[M].append(TableOut("data/lintasan_sempadan.parquet", "travel", "parquet", pa.table({
            "time": local_times(ct[order], 8, "+08:00"),
            "kind": pa.array(np.full(n, "border_crossing"), pa.string()),
            "person": pa.nulls(n, pa.string()),
            "document": pa.array(cdoc[order], pa.string()),
            "place_from": pa.array(np.full(n, "Nunukan"), pa.string()),
            "place_to": pa.array(np.full(n, "Tawau"), pa.string()),
            "carrier": pa.array(np.full(n, "Tawau Express Ferry"), pa.string()),
            "voyage": pa.array(cvoy[order], pa.string()),
            "checkpoint": pa.array(np.full(n, "ICQS Terminal Feri Tawau"), pa.string()),
        }), personal_data=["document"]))
        travel_i.sort(key=lambda r: (r["time"], r["person"] or "", r["kind"]))
        tcols = ["time", "kind", "person", "document", "place_from", "place_to", "carrier", "voyage"]
        tt = {c: [r[c] for r in travel_i] for c in tcols}
        tt["time"] = local_times(np.array(tt["time"], np.int64), 0, "Z")
        self.tables[IP].append(TableOut("data/travel.csv", "travel", "csv",
                                       pa.table({c: pa.array(v, pa.string()) for c, v in tt.items()})))

    # ------------------------------------------------------------------ sightings (PNP)
    def sightings(self) -> None:
        P = C.PNP
        z = C.PLACES["Zamboanga"]
        times = ["2026-05-20T07:40:00+08:00", "2026-06-11T15:05:00+08:00", "2026-09-23T08:10:00+08:00",
                 "2026-10-02T21:30:00+08:00"]
        places = ["Zamboanga City port", "Canelar, Zamboanga City", "Zamboanga City port", "Sta. Maria"]
        self.tables[P].append(TableOut("data/sightings.csv", "sightings", "csv", pa.table({
            "subject": [self.ids(P, "jose")] * 3 + [self.ids(P, "theresa")],
            "time": times, "lat": [z[0], z[0] + 0.01, z[0], z[0] + 0.02], "lon": [z[1], z[1] - 0.01, z[1], z[1]],
            "place": places, "kind": ["surveillance"] * 4,
            "note": ["met arriving passengers from Sandakan", "visited a recruitment office",
                     "met arriving passengers from Sandakan", "seen with two young women"]})))

    # ------------------------------------------------------------------ truths on the network
    def organiser_truth(self) -> None:
        e164s = self.book.e164()
        org = []
        for k, why in (("rizal", "hub of the Indonesian side: all five recruiters, the transport coordinator, "
                                 "the financier and the Tawau organiser talk to him"),
                       ("abdulrahman", "hub of the Malaysian side and the only bridge to the Philippine cell")):
            m = self.members[k]
            refs = [self._ref(b, k) | {"name": n} for b, n in m.names.items()]
            org.append({"person": m.names.get(C.BONTANG_REPORTS) or m.names[C.PDRM], "refs": refs,
                        "phones": [e164s[i].as_py() for i in self.number_of[k]], "why": why})
        self.truth["key_organisers"] = org
        m = self.members["hendra"]
        self.truth["financier"] = {"person": m.names[C.BONTANG_REPORTS],
                                   "refs": [self._ref(b, "hendra") | {"name": n} for b, n in m.names.items()],
                                   "account": self.accounts["hendra"]}

    def attachments_out(self) -> None:
        from .images import passport_png

        IP = C.INTERPOL
        for k in ("rizal", "djoko"):
            m = self.members[k]
            pid = self.ids(IP, k)
            png = passport_png(m.names[IP], m.passport[0], m.passport[1], m.birth[IP], pid)
            self.attachments[IP].append(AttachmentOut(
                f"files/passport_{m.passport[1]}.png", png, "image/png",
                f"Passport scan {m.passport[1]} (DEMO, generated)", [pid]))

    # ------------------------------------------------------------------ manifests
    def manifests(self) -> list[BundleOut]:
        B, E, F, M, IP, P = (C.BONTANG_REPORTS, C.BONTANG_PHONE, C.PPATK, C.PDRM, C.INTERPOL, C.PNP)
        spec = {
            B: ("Laporan polisi dan data orang, Operasi Mawar", "2026-11-02T09:00:00+08:00",
                {"agency": "Polres Bontang", "unit": "Satreskrim, Unit PPA", "country": "ID",
                 "contact": "satreskrim.bontang@example.invalid (DEMO)"},
                "Asia/Makassar",
                {"tlp": "AMBER", "releasable_to": ["ID", "MY", "PH", "INTERPOL"],
                 "legal_basis": "KUHAP; UU 21/2007 tentang Pemberantasan TPPO",
                 "caveats": ["Data korban: lindungi identitas (UU 21/2007 Pasal 44)"]}, "polres-bontang"),
            E: ("Ekstraksi ponsel sitaan BB-07/2026 dan CDR Telkomsel", "2026-11-03T14:30:00+08:00",
                {"agency": "Polres Bontang", "unit": "Satreskrim, Unit Siber", "country": "ID",
                 "contact": "satreskrim.bontang@example.invalid (DEMO)"},
                "Asia/Makassar",
                {"tlp": "AMBER", "releasable_to": ["ID", "INTERPOL"],
                 "legal_basis": "Penetapan Pengadilan Negeri Bontang No. 41/Pen.Pid/2026/PN Bon (DEMO)",
                 "caveats": ["Penyitaan ponsel berdasarkan penetapan pengadilan; CDR hanya untuk penyidikan"]},
                "polres-bontang"),
            F: ("Hasil Analisis PPATK: aliran dana jaringan Mawar", "2026-11-05T16:00:00+07:00",
                {"agency": "PPATK (Pusat Pelaporan dan Analisis Transaksi Keuangan)", "unit": "Direktorat Analisis",
                 "country": "ID", "contact": "DEMO"},
                "Asia/Jakarta",
                {"tlp": "AMBER+STRICT", "releasable_to": ["ID"],
                 "legal_basis": "UU 8/2010 tentang TPPU, Pasal 44 dan 90",
                 "caveats": ["Intelijen keuangan: bukan alat bukti", "Tidak untuk diteruskan tanpa izin PPATK"]},
                "ppatk"),
            M: ("Maklumat PDRM Tawau: suspek, mangsa, lintasan sempadan", "2026-11-10T11:20:00+08:00",
                {"agency": "Royal Malaysia Police", "unit": "D7 (Anti-Trafficking), IPD Tawau", "country": "MY",
                 "contact": "DEMO"},
                "Asia/Kuala_Lumpur",
                {"tlp": "AMBER", "releasable_to": ["ID", "MY"],
                 "legal_basis": "ASEAN MLAT 2004, request 12/2026",
                 "caveats": ["Not for use as evidence in court without MLA confirmation"]}, "pdrm"),
            IP: ("INTERPOL notices and travel of subjects, operation Mawar", "2026-11-12T08:00:00Z",
                {"agency": "INTERPOL", "unit": "Human Trafficking and Migrant Smuggling Unit (DEMO)",
                 "country": "INTERPOL", "contact": "DEMO"},
                "UTC",
                {"tlp": "GREEN", "releasable_to": ["ID", "MY", "PH", "INTERPOL"],
                 "legal_basis": "INTERPOL Rules on the Processing of Data", "caveats": []}, "interpol"),
            P: ("PNP Zamboanga: contacts of the Sabah route", "2026-11-14T10:00:00+08:00",
                {"agency": "Philippine National Police", "unit": "Women and Children Protection Center, Zamboanga",
                 "country": "PH", "contact": "DEMO"},
                "Asia/Manila",
                {"tlp": "CLEAR", "releasable_to": [], "legal_basis": "open exchange", "caveats": []}, None),
        }
        out = []
        for key, (title, created, producer, tz, handling, signer) in spec.items():
            tables = self.tables[key]
            m = {"format": "lintas-bundle/1", "bundle_id": self.bundle_ids[key], "title": title,
                 "created_at": created, "producer": producer, "case_ref": "MAWAR-2026-014",
                 "default_timezone": tz, "handling": handling,
                 "tables": [{"path": t.path, "kind": t.kind, "format": t.format,
                             **({"columns": t.columns} if t.columns else {}),
                             **({"personal_data": t.personal_data} if t.personal_data else {})} for t in tables]}
            if self.attachments[key]:
                m["attachments"] = [{"path": a.path, "media_type": a.media_type, "title": a.title,
                                     "describes": a.describes} for a in self.attachments[key]]
            out.append(BundleOut(key, m, tables, self.attachments[key], signer))
        return out

    def run(self, progress: Progress = NULL) -> Scenario:
        steps = [self.build_network, self.build_calls, self.people, self.write_calls, self.phone_truths,
                 self.write_people, self.relationships_and_places, self.incidents, self.seized_phone,
                 self.money, self.travel, self.sightings, self.organiser_truth, self.attachments_out]
        for i, step in enumerate(steps):
            progress(i / len(steps), f"generating: {step.__name__.strip('_').replace('_', ' ')}")
            step()
        bundles = self.manifests()
        self.truth["bundles"] = {b.key: {"bundle_id": b.manifest["bundle_id"], "title": b.manifest["title"],
                                         "producer": b.manifest["producer"]["agency"],
                                         "country": b.manifest["producer"]["country"],
                                         "tlp": b.manifest["handling"]["tlp"],
                                         "releasable_to": b.manifest["handling"]["releasable_to"],
                                         "signed_by": b.signer,
                                         "rows": {t.path: t.table.num_rows for t in b.tables}}
                                 for b in bundles}
        self.truth["network"] = {"numbers": len(self.book), "ties": len(self.ea), "calls": len(self.calls["t"]),
                                 **self.call_counts}
        return Scenario(bundles, self.truth)


def _note(bundle: str, m: C.Member, notes: dict[str, str]) -> str | None:
    """The remark a producer writes about a member, in its own language."""
    if m.function == "decoy":
        return None
    if bundle == C.INTERPOL:
        kind = "Red Notice" if m.role == "suspect" else "Green Notice"
        return f"{kind} (DEMO): {m.function}, trafficking in persons / migrant smuggling, Bontang-Tawau route"
    if bundle == C.PDRM:
        return {"suspect": "Suspek", "witness": "Saksi"}.get(m.role, "") + f" ({m.function}), kes ATIPSOM Tawau"
    if bundle == C.PNP:
        return f"{m.role} ({m.function}), Sabah route"
    return notes[m.function] or None


def _local_code(t: int) -> str:
    d = dt.datetime.fromtimestamp(int(t) + WITA * 3600, dt.UTC)
    return d.strftime("%m%d") + ("A" if d.hour < 12 else "B")


def _join(*parts) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def hash_int(s: str) -> int:
    """A stable integer for a string (Python's hash() is salted per process)."""
    return int.from_bytes(hashlib.sha256(s.encode()).digest()[:4], "big")
