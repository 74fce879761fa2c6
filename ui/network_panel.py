"""The network around chosen entities (``analysis.graph``), drawn with matplotlib.

The worker builds the ego network in the core, computes the layout and renders
the picture (matplotlib's Agg, no Qt) at the panel's size; the UI thread only
shows the finished image.  Drawing a few hundred nodes and their ties with
their names took the UI thread 200-700 ms (issue 7: the window never freezes);
a resize or a change of theme renders the kept drawing again, on a worker.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QSpinBox, QVBoxLayout, QWidget

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


_RENDER_LOCK = threading.Lock()   # one matplotlib render at a time (its font cache is shared)


def render(d: dict[str, Any], width: int, height: int, dark: bool, title: str = "") -> dict[str, Any]:
    """``d`` (``ego_drawing``'s positions) drawn into an RGBA image of ``width`` x ``height`` pixels, with
    matplotlib's Agg canvas: no Qt, so it runs in a worker."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure

    width, height = max(int(width), 16), max(int(height), 16)
    fg = "#e6e6e6" if dark else "#1d1f23"
    bg = "#1e1f22" if dark else "#ffffff"
    with _RENDER_LOCK:
        fig = Figure(figsize=(width / 100, height / 100), dpi=100)
        canvas = FigureCanvasAgg(fig)
        fig.set_facecolor(bg)
        ax = fig.add_axes((0.02, 0.02, 0.96, 0.96))
        ax.set_facecolor(bg)
        ax.set_axis_off()
        pos = d["pos"]
        if d["edges"]:
            wmax = max(d["weights"] or [1.0]) or 1.0
            lines = LineCollection([(pos[a], pos[b]) for a, b in d["edges"]], colors="#8a8d93", alpha=0.6,
                                   linewidths=[0.6 + 2.5 * (w / wmax) for w in d["weights"]], zorder=1)
            ax.add_collection(lines)
        if pos:
            xs, ys = zip(*pos, strict=True)
            colours = ["#c0392b" if i in d["seeds"] else _KIND_COLOURS.get(k or "", "#7f8c8d")
                       for i, k in enumerate(d["kinds"])]
            sizes = [160 if i in d["seeds"] else 60 for i in range(len(pos))]
            ax.scatter(xs, ys, s=sizes, c=colours, zorder=2, edgecolors=fg, linewidths=0.4)
            if len(pos) <= 80:
                # a name right of its node, left of it in the right third (kept within the picture)
                right = min(xs) + 0.66 * (max(xs) - min(xs))
                for i, (x, y) in enumerate(pos):
                    left = x > right
                    ax.annotate(d["names"][i], (x, y), fontsize=7, color=fg, xytext=(-4 if left else 4, 4),
                                textcoords="offset points", ha="right" if left else "left")
            ax.margins(0.08)
        canvas.draw()
        w, h = canvas.get_width_height()
        return {"rgba": bytes(canvas.buffer_rgba()), "width": w, "height": h}


class NetworkPanel(QWidget):
    def __init__(self, jobs: JobList, parent=None) -> None:
        super().__init__(parent)
        self.case = None
        self.seeds: list[str] = []
        self.worker = Worker("network", jobs, self)
        self.render_worker = Worker("network-render", None, self)   # a resize: the kept drawing again
        self.canvas = QLabel()     # the rendered picture
        self.canvas.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.canvas.setMinimumSize(200, 150)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.image: QImage | None = None
        self._resized = QTimer(self, singleShot=True, interval=200)
        self._resized.timeout.connect(self._render_again)
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
        self.render_worker.shutdown()
        self.case = case
        self.seeds = []
        self.drawing = None
        self.image = None
        self.canvas.clear()

    def show_seeds(self, seeds: list[str]) -> None:
        if self.case is None or not seeds:
            return
        self.seeds = list(dict.fromkeys(seeds))
        case, hops, seeds = self.case, self.hops.value(), list(self.seeds)
        size, dark = self._size(), theme.is_dark()
        self.info.setText(self.tr("Building the network…"))

        def work(progress):
            d = ego_drawing(case, seeds, hops, progress)
            progress.check()
            progress(0.95, "drawing")
            d["image"] = render(d, *size, dark)
            return d

        self.render_worker.cancel()
        self.worker.start(self.tr("Network"), work, self._draw, self._failed)

    def _size(self) -> tuple[int, int]:
        """The picture's size in device pixels (the panel's, before it is first shown)."""
        ratio = self.canvas.devicePixelRatioF()
        w, h = self.canvas.width(), self.canvas.height()
        if not self.canvas.isVisible() or w < 200 or h < 150:
            w, h = max(w, self.width() - 8, 640), max(h, self.height() - 60, 420)
        return int(w * ratio), int(h * ratio)

    def resizeEvent(self, e) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(e)
        if self.drawing is not None:
            self._resized.start()

    def redraw(self) -> None:
        """The drawing shown, rendered again (the theme changed)."""
        self._render_again()

    def _render_again(self) -> None:
        """The kept drawing rendered anew (a resize, a change of theme), on a worker."""
        d = self.drawing
        if d is None or self.worker.busy():
            return
        size, dark = self._size(), theme.is_dark()
        self.render_worker.start(self.tr("Network"), lambda _p: dict(d, image=render(d, *size, dark)),
                                 self._show_image)

    def _failed(self, e: BaseException) -> None:
        self.info.setText(self.tr("Cancelled.") if isinstance(e, Cancelled) else core(str(e)))

    def _draw(self, d: dict) -> None:
        """Show a drawing: its picture, rendered by the worker (without one, e.g. a change of theme, it
        is rendered again on a worker)."""
        self.drawing = d
        if d.get("image") is None:
            self._render_again()
        else:
            self._show_image(d)
        pos = d["pos"]
        text = self.tr("{0} nodes, {1} ties within {2} hop(s) of {3}").format(
            len(pos), len(d["edges"]), self.hops.value(), ", ".join(self.seeds[:3]))
        if d["notes"]:
            text += " — " + "; ".join(core(n) for n in d["notes"])
        self.info.setText(text)

    def _show_image(self, d: dict) -> None:
        img = d["image"]
        self.drawing = d
        self.image = QImage(img["rgba"], img["width"], img["height"], QImage.Format.Format_RGBA8888).copy()
        pm = QPixmap.fromImage(self.image)
        pm.setDevicePixelRatio(self.canvas.devicePixelRatioF())
        self.canvas.setPixmap(pm)

    def shutdown(self) -> None:
        self.worker.shutdown()
        self.render_worker.shutdown()
