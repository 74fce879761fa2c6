"""A generated, clearly fake "passport scan" image for the demo's attachments.

Drawn with matplotlib's Agg canvas directly (no pyplot, no GUI backend), with
the PNG metadata fixed so the same inputs give the same bytes.
"""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Rectangle


def passport_png(name: str, country: str, number: str, birth: str, describes: str) -> bytes:
    fig = Figure(figsize=(4.0, 2.6), dpi=80)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 65)
    ax.axis("off")
    ax.add_patch(FancyBboxPatch((2, 2), 96, 61, boxstyle="round,pad=0.5", fc="#e8eef7", ec="#1f3b73", lw=2))
    ax.add_patch(Rectangle((6, 14), 24, 32, fc="#c9ced6", ec="#555555"))
    ax.text(18, 30, "FOTO", ha="center", va="center", fontsize=9, color="#555555")
    ax.text(50, 57, f"PASPOR / PASSPORT  {country}", ha="center", fontsize=10, weight="bold", color="#1f3b73")
    lines = [("Nama / Name", name), ("No. Paspor / Passport No.", number), ("Tgl. Lahir / Date of birth", birth),
             ("Ref.", describes)]
    y = 45
    for label, value in lines:
        ax.text(34, y, label, fontsize=6, color="#333333")
        ax.text(34, y - 5, value, fontsize=9, family="monospace")
        y -= 11
    ax.text(50, 6, "DEMO - FICTIONAL DOCUMENT - NOT A REAL PASSPORT", ha="center", fontsize=7,
            color="#b00020", weight="bold")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()
