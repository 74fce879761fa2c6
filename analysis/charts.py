"""Figures of the network analysis as matplotlib ``Figure`` objects, with no GUI backend.

Each figure is made with ``matplotlib.figure.Figure`` and drawn by the Agg canvas
(never ``pyplot`` state, never ``matplotlib.use``), so the same object is saved by
the CLI, embedded by the UI in its own canvas, and placed in a dossier.  Every
figure states its numbers' method in its title or footnote.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from workstation.errors import LintasError

from .graph import Network
from .keyplayers import KeyPlayerResult
from .vocabulary import CHARTS  # noqa: F401  (re-exported; listed by the CLI without this module)

log = logging.getLogger(__name__)

FORMATS = (".png", ".svg", ".pdf")
LAYOUT_MAX_NODES = 3_000


def new_figure(w: float = 8.0, h: float = 6.0) -> Figure:
    fig = Figure(figsize=(w, h), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def save(fig: Figure, path: str | Path) -> Path:
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise LintasError(f"{path}: choose a .png, .svg or .pdf file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format=path.suffix.lower()[1:])
    return path


def network_figure(net: Network, kp: KeyPlayerResult | None = None, label_top: int = 10, seed: int = 1) -> Figure:
    """The network drawn with a force-directed layout; node size by degree, colour by community,
    the top key players named.  Over ``LAYOUT_MAX_NODES`` nodes only the top players' ego networks."""
    from .metrics import with_seed

    fig = new_figure(9, 7)
    ax = fig.add_subplot()
    ax.set_axis_off()
    u = net.undirected()
    keep = None
    if u.vcount() > LAYOUT_MAX_NODES and kp is not None:
        top = kp.nodes[:label_top] or [int(np.argmax(u.degree()))]
        keep = sorted({w for v in top for w in u.neighborhood(v, order=1)})[:LAYOUT_MAX_NODES]
        u = u.induced_subgraph(keep)
    n = u.vcount()
    if n == 0:
        ax.text(0.5, 0.5, "no ties in this scope", ha="center", va="center")
        return fig
    with with_seed(seed):
        xy = np.asarray(u.layout_fruchterman_reingold(niter=300).coords, dtype=float)
    edges = np.asarray(u.get_edgelist(), dtype=int).reshape(-1, 2)
    if len(edges):
        w = np.asarray(u.es["weight"], dtype=float)
        lw = 0.4 + 2.0 * np.log1p(w) / max(1e-9, np.log1p(w).max())
        ax.add_collection(LineCollection(xy[edges], linewidths=lw, colors="#8899aa", alpha=0.6, zorder=1))
    deg = np.asarray(u.degree(), dtype=float)
    comm = np.zeros(n, dtype=int)
    if kp is not None:
        full = kp.metrics.column("community")
        comm = full[keep] if keep is not None else full
    ax.scatter(xy[:, 0], xy[:, 1], s=20 + 200 * deg / max(1.0, deg.max()), c=comm % 10, cmap="tab10",
               edgecolors="black", linewidths=0.4, zorder=2)
    names = u.vs["name"]
    if kp is not None:
        ranked = {p["id"]: p["rank"] for p in kp.players[:label_top]}
        for v in range(n):
            r = u.vs[v]["ref"]
            if r in ranked:
                ax.annotate(f"{ranked[r]}. {names[v]}", xy[v], fontsize=8, zorder=3,
                            xytext=(4, 4), textcoords="offset points")
    ax.autoscale()
    title = f"Network: {net.n:,} nodes, {u.ecount() if keep is None else net.undirected().ecount():,} ties"
    if keep is not None:
        title += f" (showing the {n:,} around the top players)"
    ax.set_title(title)
    if kp is not None:
        fig.text(0.01, 0.01, f"size = contacts; colour = community ({kp.method['communities']}); "
                             f"numbers = key-player rank", fontsize=7)
    return fig


def keyplayers_figure(kp: KeyPlayerResult, top: int = 15) -> Figure:
    """Horizontal bars of the key-player score, split into the measures' contributions."""
    players = kp.players[:top][::-1]
    fig = new_figure(8, max(3.0, 0.35 * len(players) + 1.5))
    ax = fig.add_subplot()
    left = np.zeros(len(players))
    labels = [f"{p['rank']}. {p['name'] or p['id']}" for p in players]
    for k in kp.method["weights"]:
        vals = np.array([p["score_parts"].get(k, 0.0) for p in players])
        ax.barh(labels, vals, left=left, label=k)
        left += vals
    ax.set_xlabel("score")
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title("Key players: " + kp.method["score"], fontsize=8)
    return fig


def ranks_figure(movement: dict[str, Any], top: int = 8) -> Figure:
    """Rank of the leading people across time periods (1 at the top)."""
    labels = [p["period"] for p in movement["periods"]]
    fig = new_figure(9, 5)
    ax = fig.add_subplot()
    x = np.arange(len(labels))
    for p in movement["people"][:top]:
        ys = [p["ranks"].get(lab, np.nan) for lab in labels]
        ax.plot(x, ys, marker="o", label=p["name"] or p["id"])
    ax.invert_yaxis()
    ax.set_xticks(x, labels, rotation=45, ha="right", fontsize=8)
    ax.set_ylabel(f"rank by {movement['measure']}")
    ax.legend(fontsize=7, ncols=2)
    ax.set_title(f"Rank by {movement['measure']} per period; " + movement["explanation"], fontsize=9)
    return fig


def heatmap_figure(hm: dict[str, Any]) -> Figure:
    grid = np.asarray(hm["counts"])
    fig = new_figure(10, 4)
    ax = fig.add_subplot()
    im = ax.imshow(grid, aspect="auto", cmap="viridis")
    ax.set_yticks(range(7), hm["weekdays"])
    ax.set_xticks(range(24), [str(h) for h in range(24)], fontsize=8)
    ax.set_xlabel(f"hour ({hm['tz']})")
    fig.colorbar(im, ax=ax, label="events")
    who = hm["ref"] or "whole case"
    ax.set_title(f"Activity of {who}: {hm['total']:,} events ({', '.join(hm['kinds'])})")
    return fig


def timeline_figure(tl: dict[str, Any]) -> Figure:
    from datetime import datetime

    events = tl["events"]
    kinds = sorted({e["event"] for e in events}) or ["(none)"]
    fig = new_figure(10, 1.5 + 0.5 * len(kinds))
    ax = fig.add_subplot()
    for i, k in enumerate(kinds):
        ts = [datetime.fromisoformat(e["time_utc"].rstrip("Z")) for e in events if e["event"] == k and e["time_utc"]]
        ax.plot(ts, [i] * len(ts), "|", markersize=14)
    ax.set_yticks(range(len(kinds)), kinds)
    who = tl["who"]
    ax.set_title(f"Timeline of {who.get('name') or who.get('id')}: {len(events)} events (UTC)")
    fig.autofmt_xdate()
    return fig


def hotspots_figure(points: np.ndarray, spots: list[dict[str, Any]]) -> Figure:
    """Events as a density (Gaussian kernel on a grid) with the hotspots named."""
    fig = new_figure(8, 7)
    ax = fig.add_subplot()
    if len(points):
        lat, lon = points[:, 0], points[:, 1]
        ax.scatter(lon, lat, s=6, c="black", alpha=0.4)
        if len(points) >= 5:
            gx = np.linspace(lon.min(), lon.max(), 80)
            gy = np.linspace(lat.min(), lat.max(), 80)
            xx, yy = np.meshgrid(gx, gy)
            bw = max(1e-3, 0.15 * max(np.ptp(lon), np.ptp(lat)))
            zz = np.zeros_like(xx)
            for a, b in zip(lon, lat, strict=True):
                zz += np.exp(-((xx - a) ** 2 + (yy - b) ** 2) / (2 * bw * bw))
            ax.contourf(xx, yy, zz, levels=10, cmap="Reds", alpha=0.5)
    for i, s in enumerate(spots, start=1):
        ax.annotate(f"{i}. {s['place']} ({s['count']})", (s["lon"], s["lat"]), fontsize=8,
                    xytext=(4, 4), textcoords="offset points")
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.set_title(f"Hotspots: {len(points)} located incidents and sightings (kernel density)")
    return fig


def forecast_figure(fc: dict[str, Any], series: dict | None = None, weeks: list | None = None, top: int = 4) -> Figure:
    groups = fc["forecasts"][:top]
    fig = new_figure(9, 2.2 * max(1, len(groups)) + 1)
    for i, g in enumerate(groups, start=1):
        ax = fig.add_subplot(len(groups), 1, i)
        hist = g["last_weeks"]
        x_hist = np.arange(-len(hist), 0)
        ax.plot(x_hist, hist, marker="o", label="weekly count")
        xf = np.arange(0, len(g["weeks"]))
        ax.plot(xf, [w["count"] for w in g["weeks"]], marker="s", label="forecast")
        ax.fill_between(xf, [w["low"] for w in g["weeks"]], [w["high"] for w in g["weeks"]], alpha=0.2)
        ax.set_title(f"{g['area']} · {g['kind']}: backtest MAE {g['backtest_mae']:.2f} "
                     f"(baseline {g['baseline_mae']:.2f})", fontsize=9)
        ax.set_xlabel("weeks from now")
        ax.legend(fontsize=7)
    fig.suptitle(fc["explanation"], fontsize=8)
    return fig


def make_chart(case, kind: str, ref: str | None = None, scope=None, every: str = "month", tz: str | None = None,
               top: int = 10) -> Figure:
    """Compute what ``kind`` shows over ``case`` and draw it."""
    from .graph import build_network

    if kind not in CHARTS:
        raise LintasError(f"unknown chart {kind!r}; choose from {', '.join(CHARTS)}")
    if kind in ("network", "keyplayers"):
        from .keyplayers import key_players

        net = build_network(case, scope)
        kp = key_players(net, top=max(top, 10))
        return network_figure(net, kp, label_top=top) if kind == "network" else keyplayers_figure(kp, top)
    if kind == "ranks":
        from .timeslice import time_sliced

        return ranks_figure(time_sliced(case, every, scope, top=top), top=min(top, 10))
    if kind == "heatmap":
        from .timeslice import DEFAULT_TZ, activity_heatmap

        return heatmap_figure(activity_heatmap(case, ref, tz or DEFAULT_TZ))
    if kind == "timeline":
        from .timeslice import timeline

        if not ref:
            raise LintasError("a timeline needs an entity: give --ref")
        return timeline_figure(timeline(case, ref))
    if kind == "hotspots":
        from .patterns import hotspots

        pts = np.asarray(case.cursor().execute(
            "SELECT lat, lon FROM incidents WHERE lat IS NOT NULL AND lon IS NOT NULL UNION ALL "
            "SELECT lat, lon FROM sightings WHERE lat IS NOT NULL AND lon IS NOT NULL").fetchall(),
            dtype=float).reshape(-1, 2)
        return hotspots_figure(pts, hotspots(case, top=top))
    from .forecast import forecast_incidents

    return forecast_figure(forecast_incidents(case, top=top))
