"""The network around chosen entities (``analysis.graph``), drawn with matplotlib.

The worker builds the ego network in the core and computes the layout; the UI
thread only draws the positions it is given.
"""

from __future__ import annotations

import logging
from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from ui import theme
from ui.i18n import core
from ui.workers import JobList, Worker, esc_cancels
from workstation.errors import Cancelled

log = logging.getLogger(__name__)

MAX_NODES = 400
_KIND_COLOURS = {"person": "#2f65ad", "organization": "#8e44ad", "phone": "#16a085", "account": "#d35400"}


def ego_drawing(case, seeds: list[str], hops: int, progress) -> dict[str, Any]:
    """Nodes, edges and a layout for the network within ``hops`` of ``seeds`` (runs in a worker)."""
    from analysis.graph import Scope, build_network

    net = build_network(case, Scope(seeds=tuple(seeds), hops=hops), progress.sub(0.0, 0.8))
    g = net.undirected()
    notes = list(net.notes)
    if g.vcount() > MAX_NODES:
        order = sorted(range(g.vcount()), key=lambda v: -g.degree(v))[:MAX_NODES]
        g = g.induced_subgraph(sorted(order))
        notes.append(f"showing the {MAX_NODES} best-connected of {net.n:,} nodes")
    progress(0.85, "layout")
    layout = g.layout_fruchterman_reingold(niter=300, weights=None) if g.vcount() else []
    names = g.vs["name"] if g.vcount() else []
    kinds = g.vs["node_kind"] if g.vcount() and "node_kind" in g.vs.attributes() else [None] * g.vcount()
    seed_nodes = set()
    for s in seeds:
        try:
            seed_nodes.add(g.vs["key"].index(net.graph.vs[net.find(s)]["key"]))
        except Exception:  # a seed absent from the drawn part
            pass
    return {"pos": [tuple(p) for p in layout], "names": [str(n) if n is not None else "?" for n in names],
            "kinds": kinds, "edges": [e.tuple for e in g.es],
            "weights": g.es["weight"] if g.ecount() else [], "seeds": seed_nodes, "notes": notes,
            "n": net.n, "m": net.m}


class NetworkPanel(QWidget):
    def __init__(self, jobs: JobList, parent=None) -> None:
        super().__init__(parent)
        self.case = None
        self.seeds: list[str] = []
        self.worker = Worker("network", jobs, self)
        self.figure = Figure(figsize=(8, 6), layout="tight")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.info = QLabel(self.tr("Choose “Show in network” on an entity profile."))
        self.info.setWordWrap(True)
        self.hops = QSpinBox()
        self.hops.setRange(1, 3)
        self.hops.setValue(1)
        self.hops.setPrefix(self.tr("hops: "))
        self.hops.valueChanged.connect(lambda _v: self.show_seeds(self.seeds) if self.seeds else None)
        top = QHBoxLayout()
        top.addWidget(self.info, 1)
        top.addWidget(self.hops)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addWidget(self.canvas, 1)
        self.drawing: dict | None = None
        esc_cancels(self, self.worker.cancel)      # building a network

    def set_case(self, case) -> None:
        self.worker.shutdown()
        self.case = case
        self.seeds = []
        self.figure.clear()
        self.canvas.draw_idle()

    def show_seeds(self, seeds: list[str]) -> None:
        if self.case is None or not seeds:
            return
        self.seeds = list(dict.fromkeys(seeds))
        case, hops = self.case, self.hops.value()
        self.info.setText(self.tr("Building the network…"))
        self.worker.start(self.tr("Network"), lambda p: ego_drawing(case, self.seeds, hops, p), self._draw,
                          self._failed)

    def _failed(self, e: BaseException) -> None:
        self.info.setText(self.tr("Cancelled.") if isinstance(e, Cancelled) else core(str(e)))

    def _draw(self, d: dict) -> None:
        self.drawing = d
        dark = theme.is_dark()
        fg = "#e6e6e6" if dark else "#1d1f23"
        self.figure.clear()
        self.figure.set_facecolor("#1e1f22" if dark else "#ffffff")
        ax = self.figure.add_subplot(111)
        ax.set_facecolor("#1e1f22" if dark else "#ffffff")
        ax.set_axis_off()
        pos = d["pos"]
        wmax = max(d["weights"] or [1.0])
        for (a, b), w in zip(d["edges"], d["weights"], strict=True):
            ax.plot([pos[a][0], pos[b][0]], [pos[a][1], pos[b][1]], color="#8a8d93",
                    linewidth=0.6 + 2.5 * (w / wmax), alpha=0.6, zorder=1)
        if pos:
            xs, ys = zip(*pos, strict=True)
            colours = ["#c0392b" if i in d["seeds"] else _KIND_COLOURS.get(k or "", "#7f8c8d")
                       for i, k in enumerate(d["kinds"])]
            sizes = [160 if i in d["seeds"] else 60 for i in range(len(pos))]
            ax.scatter(xs, ys, s=sizes, c=colours, zorder=2, edgecolors=fg, linewidths=0.4)
            if len(pos) <= 80:
                for i, (x, y) in enumerate(pos):
                    ax.annotate(d["names"][i], (x, y), fontsize=7, color=fg, xytext=(4, 4),
                                textcoords="offset points")
        self.canvas.draw_idle()
        text = self.tr("{0} nodes, {1} ties within {2} hop(s) of {3}").format(
            len(pos), len(d["edges"]), self.hops.value(), ", ".join(self.seeds[:3]))
        if d["notes"]:
            text += " — " + "; ".join(core(n) for n in d["notes"])
        self.info.setText(text)

    def shutdown(self) -> None:
        self.worker.shutdown()
