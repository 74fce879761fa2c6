"""Charts of dossiers as reportlab vector drawings: network, timeline, map of places.

Layouts are deterministic (a seeded force layout), so the same case gives the same PDF.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors

from workstation.paths import resources_dir

from .fonts import label_runs, visual

ROLE_COLOURS = {
    "suspect": colors.HexColor("#C62828"),
    "victim": colors.HexColor("#1565C0"),
    "witness": colors.HexColor("#2E7D32"),
}
OTHER = colors.HexColor("#757575")
EDGE = colors.HexColor("#90A4AE")
KIND_COLOURS = [colors.HexColor(c) for c in
                ("#1565C0", "#C62828", "#2E7D32", "#6A1B9A", "#EF6C00", "#00838F", "#5D4037", "#AD1457")]


def _label(d: Drawing, x: float, y: float, text: str, size: float = 6.5, anchor: str = "middle",
           colour=colors.black, bold: bool = False) -> None:
    runs = label_runs(visual(text), size, bold)
    x -= {"start": 0, "middle": 0.5, "end": 1}[anchor] * sum(w for _, _, w in runs)
    for t, font, w in runs:
        d.add(String(x, y, t, fontName=font, fontSize=size, textAnchor="start", fillColor=colour))
        x += w


# -- network -------------------------------------------------------------------------------
@dataclass
class Node:
    key: str
    label: str
    role: str | None = None
    key_player: bool = False


@dataclass
class Edge:
    a: str
    b: str
    weight: float = 1.0


def force_layout(n: int, edges: Sequence[tuple[int, int, float]], iterations: int = 150,
                 seed: int = 7) -> np.ndarray:
    """Fruchterman–Reingold positions in the unit square, the same for the same graph."""
    if n == 0:
        return np.zeros((0, 2))
    if n == 1:
        return np.array([[0.5, 0.5]])
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    k = 1.0 / math.sqrt(n)
    src = np.array([e[0] for e in edges], dtype=int)
    dst = np.array([e[1] for e in edges], dtype=int)
    w = np.array([min(4.0, 1 + math.log(e[2])) if e[2] > 1 else 1.0 for e in edges])
    temp = 0.1
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.sqrt((delta ** 2).sum(-1)) + 1e-9
        rep = (k * k / dist ** 2)[:, :, None] * delta
        disp = rep.sum(1)
        if len(src):
            d = pos[src] - pos[dst]
            dl = np.sqrt((d ** 2).sum(-1)) + 1e-9
            att = (dl / k * w)[:, None] * d
            np.add.at(disp, src, -att)
            np.add.at(disp, dst, att)
        # a pull to the centre keeps separate components on the page, near the rest
        disp += (0.5 - pos) * 0.6 * math.sqrt(n) * k
        length = np.sqrt((disp ** 2).sum(-1)) + 1e-9
        pos += disp / length[:, None] * np.minimum(length, temp)[:, None]
        temp *= 0.97
    # scale to the bulk of the nodes: a small far-off component must not squeeze the rest into a corner
    q = 0.03 if n >= 30 else 0.0
    lo, hi = np.quantile(pos, q, axis=0), np.quantile(pos, 1 - q, axis=0)
    span = np.where(hi - lo < 1e-9, 1.0, hi - lo)
    return np.clip((pos - lo) / span, 0.0, 1.0)


def network(nodes: Sequence[Node], edges: Sequence[Edge], width: float, height: float,
            legend: dict[str, str]) -> Drawing:
    d = Drawing(width, height)
    d.add(Rect(0, 0, width, height, fillColor=colors.white, strokeColor=colors.HexColor("#CCCCCC"),
               strokeWidth=0.5))
    index = {nd.key: i for i, nd in enumerate(nodes)}
    es = [(index[e.a], index[e.b], e.weight) for e in edges if e.a in index and e.b in index and e.a != e.b]
    pos = force_layout(len(nodes), es)
    pad = 28
    xy = [(pad + p[0] * (width - 2 * pad), pad + 10 + p[1] * (height - 2 * pad - 14)) for p in pos]
    wmax = max([e[2] for e in es] or [1])
    for a, b, wt in es:
        d.add(Line(xy[a][0], xy[a][1], xy[b][0], xy[b][1], strokeColor=EDGE,
                   strokeWidth=0.4 + 1.8 * wt / wmax))
    small = len(nodes) > 60
    for i, nd in enumerate(nodes):
        x, y = xy[i]
        r = 5.5 if nd.key_player else (2.6 if small else 3.6)
        col = ROLE_COLOURS.get((nd.role or "").lower(), OTHER)
        d.add(Circle(x, y, r, fillColor=col, strokeColor=colors.black if nd.key_player else colors.white,
                     strokeWidth=0.9 if nd.key_player else 0.3))
    boxes: list = []
    order = sorted(range(len(nodes)), key=lambda i: (not nodes[i].key_player, i))  # key players first
    for i in order:
        nd = nodes[i]
        if not (nd.key_player or not small):
            continue
        x, y = xy[i]
        r = 5.5 if nd.key_player else 3.6
        size = 6.5 if nd.key_player else 5.5
        text = nd.label[:28]
        w = len(text) * size * 0.58
        for dx, dy in ((0, r + 1.5), (0, -r - size - 0.5), (w / 2 + r + 1, -size / 2 + 1), (-w / 2 - r - 1, -size / 2 + 1)):
            b = (x + dx - w / 2, y + dy - 1, x + dx + w / 2, y + dy + size)
            if _free(b, boxes):
                boxes.append(b)
                _label(d, x + dx, y + dy, text, size=size, bold=nd.key_player)
                break
    _legend(d, 6, 6, [(ROLE_COLOURS["suspect"], legend["suspect"]), (ROLE_COLOURS["victim"], legend["victim"]),
                      (ROLE_COLOURS["witness"], legend["witness"]), (OTHER, legend["other"])])
    return d


def _free(b, boxes) -> bool:
    return all(b[2] < o[0] or o[2] < b[0] or b[3] < o[1] or o[3] < b[1] for o in boxes)


def _legend(d: Drawing, x: float, y: float, items, size: float = 6) -> None:
    for col, text in items:
        d.add(Circle(x + 3, y + 2, 2.6, fillColor=col, strokeColor=None))
        _label(d, x + 8, y, text, size=size, anchor="start")
        x += 12 + len(text) * size * 0.55


# -- timeline ------------------------------------------------------------------------------
@dataclass
class Event:
    time: dt.datetime
    lane: str
    kind: str


def timeline(events: Sequence[Event], width: float, height: float, kind_labels: dict[str, str],
             max_lanes: int = 18) -> Drawing:
    d = Drawing(width, height)
    d.add(Rect(0, 0, width, height, fillColor=colors.white, strokeColor=colors.HexColor("#CCCCCC"),
               strokeWidth=0.5))
    if not events:
        return d
    counts: dict[str, int] = {}
    for e in events:
        counts[e.lane] = counts.get(e.lane, 0) + 1
    lanes = sorted(counts, key=lambda k: (-counts[k], k))[:max_lanes]
    lane_index = {k: i for i, k in enumerate(lanes)}
    kinds = sorted({e.kind for e in events})
    kind_col = {k: KIND_COLOURS[i % len(KIND_COLOURS)] for i, k in enumerate(kinds)}
    t0 = min(e.time for e in events)
    t1 = max(e.time for e in events)
    span = max((t1 - t0).total_seconds(), 86400.0)
    left, right, bottom, top = 110, 10, 34, 8
    lane_h = (height - bottom - top) / max(len(lanes), 1)

    def x_of(t: dt.datetime) -> float:
        return left + (t - t0).total_seconds() / span * (width - left - right)

    for name, i in lane_index.items():
        y = height - top - (i + 0.5) * lane_h
        d.add(Line(left, y, width - right, y, strokeColor=colors.HexColor("#E0E0E0"), strokeWidth=0.4))
        _label(d, left - 4, y - 2, name[:26], size=6, anchor="end")
    for e in events:
        i = lane_index.get(e.lane)
        if i is None:
            continue
        y = height - top - (i + 0.5) * lane_h
        d.add(Circle(x_of(e.time), y, 2.2, fillColor=kind_col[e.kind], strokeColor=None))
    # axis: month or year ticks
    d.add(Line(left, bottom - 4, width - right, bottom - 4, strokeColor=colors.black, strokeWidth=0.5))
    for t, text in _ticks(t0, t1):
        x = x_of(t)
        d.add(Line(x, bottom - 6, x, bottom - 2, strokeColor=colors.black, strokeWidth=0.5))
        _label(d, x, bottom - 14, text, size=5.5)
    _legend(d, left, 4, [(kind_col[k], kind_labels.get(k, k)) for k in kinds])
    return d


def _ticks(t0: dt.datetime, t1: dt.datetime, want: int = 8) -> list[tuple[dt.datetime, str]]:
    days = (t1 - t0).days
    if days > 3 * 365:
        years = range(t0.year + 1, t1.year + 1)
        step = max(1, len(years) // want)
        return [(dt.datetime(y, 1, 1), str(y)) for y in list(years)[::step]]
    if days > 60:
        months = []
        y, m = t0.year, t0.month
        while True:
            m += 1
            if m > 12:
                y, m = y + 1, 1
            t = dt.datetime(y, m, 1)
            if t > t1:
                break
            months.append(t)
        step = max(1, len(months) // want)
        return [(t, t.strftime("%Y-%m")) for t in months[::step]]
    step = max(1, days // want)
    start = dt.datetime(t0.year, t0.month, t0.day) + dt.timedelta(days=1)
    out = []
    t = start
    while t <= t1:
        out.append((t, t.strftime("%m-%d")))
        t += dt.timedelta(days=step)
    return out


# -- map -------------------------------------------------------------------------------------
@dataclass
class Place:
    lon: float
    lat: float
    label: str
    kind: str


@cache
def _geo(name: str) -> list[dict]:
    with open(resources_dir() / "geo" / name, encoding="utf-8") as f:
        return json.load(f)["features"]


@cache
def _outlines(name: str) -> list[tuple[tuple[float, float, float, float], list, str | None]]:
    """Every outer ring of a layer with its bounding box (to skip what lies off the map)."""
    out = []
    for f in _geo(name):
        for ring in _rings(f["geometry"]):
            xs = [p[0] for p in ring]
            ys = [p[1] for p in ring]
            out.append(((min(xs), min(ys), max(xs), max(ys)), ring, f["properties"].get("iso_a2")))
    return out


def _meets(a, b) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _rings(geom: dict):
    if geom["type"] == "Polygon":
        yield from geom["coordinates"][:1]
    elif geom["type"] == "MultiPolygon":
        for poly in geom["coordinates"]:
            yield poly[0]


def _clip(ring, box):
    """Sutherland–Hodgman clipping of one ring to the box (lon0, lat0, lon1, lat1)."""
    x0, y0, x1, y1 = box
    pts = [tuple(p) for p in ring]
    for inside, cut in (
        (lambda p: p[0] >= x0, lambda a, b: (x0, a[1] + (b[1] - a[1]) * (x0 - a[0]) / (b[0] - a[0]))),
        (lambda p: p[0] <= x1, lambda a, b: (x1, a[1] + (b[1] - a[1]) * (x1 - a[0]) / (b[0] - a[0]))),
        (lambda p: p[1] >= y0, lambda a, b: (a[0] + (b[0] - a[0]) * (y0 - a[1]) / (b[1] - a[1]), y0)),
        (lambda p: p[1] <= y1, lambda a, b: (a[0] + (b[0] - a[0]) * (y1 - a[1]) / (b[1] - a[1]), y1)),
    ):
        if not pts:
            return []
        out = []
        prev = pts[-1]
        for p in pts:
            if inside(p):
                if not inside(prev):
                    out.append(cut(prev, p))
                out.append(p)
            elif inside(prev):
                out.append(cut(prev, p))
            prev = p
        pts = out
    return pts


def map_box(places: Sequence[Place]) -> tuple[float, float, float, float]:
    if not places:
        return (94.0, -11.5, 142.0, 21.0)
    lons = [p.lon for p in places]
    lats = [p.lat for p in places]
    x0, x1, y0, y1 = min(lons), max(lons), min(lats), max(lats)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half = max(x1 - x0, (y1 - y0) * 1.5, 6.0) / 2 * 1.25
    return (cx - half, cy - half / 1.5, cx + half, cy + half / 1.5)


def place_map(places: Sequence[Place], width: float, height: float, kind_labels: dict[str, str],
              note: str) -> Drawing:
    box = map_box(places)
    x0, y0, x1, y1 = box
    d = Drawing(width, height)
    d.add(Rect(0, 0, width, height, fillColor=colors.HexColor("#DCEBF5"), strokeColor=colors.HexColor("#999999"),
               strokeWidth=0.5))
    # equirectangular, scaled by the cosine of the middle latitude
    kx = math.cos(math.radians((y0 + y1) / 2))
    sx = width / ((x1 - x0) * kx)
    sy = height / (y1 - y0)
    s = min(sx, sy)
    ox = (width - (x1 - x0) * kx * s) / 2
    oy = (height - (y1 - y0) * s) / 2

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return ox + (lon - x0) * kx * s, oy + (lat - y0) * s

    def flat(ring):
        pts: list[float] = []
        for lon, lat in ring:
            pts.extend(xy(lon, lat))
        return pts

    for bbox, ring, _iso in _outlines("countries.geojson"):
        if not _meets(bbox, box):
            continue
        c = _clip(ring, box)
        if len(c) >= 3:
            d.add(Polygon(flat(c), fillColor=colors.HexColor("#F7F4EC"), strokeColor=colors.HexColor("#8D8D8D"),
                          strokeWidth=0.4))
    for bbox, ring, iso in _outlines("provinces_sea.geojson"):
        if iso not in ("ID", "MY") or not _meets(bbox, box):
            continue
        c = _clip(ring, box)
        if len(c) >= 3:
            d.add(PolyLine(flat(c + c[:1]), strokeColor=colors.HexColor("#C8C2B4"), strokeWidth=0.2))
    kinds = sorted({p.kind for p in places})
    kind_col = {k: KIND_COLOURS[i % len(KIND_COLOURS)] for i, k in enumerate(kinds)}
    seen: set[str] = set()
    boxes: list[tuple[float, float, float, float]] = []

    def free(b) -> bool:
        return all(b[2] < o[0] or o[2] < b[0] or b[3] < o[1] or o[3] < b[1] for o in boxes)

    for p in places:
        x, y = xy(p.lon, p.lat)
        d.add(Circle(x, y, 2.4, fillColor=kind_col[p.kind], strokeColor=colors.white, strokeWidth=0.3))
    for p in places:  # labels after the dots, never on top of one another
        if not p.label or p.label in seen or len(seen) >= 40:
            continue
        x, y = xy(p.lon, p.lat)
        text = p.label[:30]
        w = len(text) * 5.5 * 0.56
        for bx, by, anchor in ((x + 3.5, y + 1.5, "start"), (x - 3.5, y + 1.5, "end"),
                               (x + 3.5, y - 7, "start"), (x - 3.5, y - 7, "end")):
            b = (bx if anchor == "start" else bx - w, by - 1, (bx + w) if anchor == "start" else bx, by + 6)
            if free(b):
                boxes.append(b)
                seen.add(p.label)
                _label(d, bx, by, text, size=5.5, anchor=anchor)
                break
    d.add(Rect(0, 0, width, 12, fillColor=colors.Color(1, 1, 1, alpha=0.8), strokeColor=None))
    _legend(d, 4, 3, [(kind_col[k], kind_labels.get(k, k)) for k in kinds], size=5.5)
    lines = [x.strip() for x in note.split(" / ") if x.strip()]
    band = 4 + 7.5 * len(lines)
    d.add(Rect(0, height - band, width, band, fillColor=colors.Color(1, 1, 1, alpha=0.8), strokeColor=None))
    for i, line in enumerate(lines):
        _label(d, 4, height - 8 - 7.5 * i, line, size=5.5, anchor="start", colour=colors.HexColor("#444444"))
    return d
