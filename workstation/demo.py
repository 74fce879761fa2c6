"""Placeholder demo builder: an empty titled case (the rich scenario comes with bundles)."""

from __future__ import annotations

from pathlib import Path

from .case import Case
from .progress import NULL, Progress


def build_demo(out: Path, scale: float = 1.0, seed: int = 14, progress: Progress = NULL) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    path = out / "demo.lintas"
    if path.exists():
        path.unlink()
    Case.create(path, "Operasi Mawar (demo)", ref="MAWAR-2026-014", unit="Satreskrim Polres Bontang").close()
    progress(1.0, "demo case built")
    return {"case": path}
