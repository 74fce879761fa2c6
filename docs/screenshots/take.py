"""Take the README's screenshots of the workstation on the demo case.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/screenshots/take.py [DEMO_DIR]

(``QT_QPA_PLATFORM=offscreen`` works too.)  Builds the demo case into DEMO_DIR
when it is missing, works on a copy of it, and writes PNGs beside this script.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))


def indonesian(case_path: Path) -> int:
    """The search and profile view in Bahasa Indonesia (run in its own process by ``main``)."""
    import os

    tmp = Path(case_path).parent
    os.environ["LINTAS_CONFIG_DIR"] = str(tmp / "config-id")
    os.environ["LINTAS_LOG_DIR"] = str(tmp / "log")
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "xdg-id")
    from workstation.settings import Settings

    Settings(language="id").save()
    from ui.app import create_app

    app = create_app(["lintas"])
    from ui.main_window import MainWindow

    win = MainWindow()
    win.resize(1500, 920)
    win.show()
    _open(app, win, case_path)
    win.tabs.setCurrentWidget(win.search_panel)
    win.search_panel.run("Rizal Abdullah")
    _settle(app, win)
    row = next((i for i, h in enumerate(win.search_panel.hits) if h["kind"] == "persons"), 0)
    win.search_panel.results.selectRow(row)
    _settle(app, win)
    app.processEvents()
    win.grab().save(str(HERE / "10-bahasa-indonesia.png"))
    print("wrote", HERE / "10-bahasa-indonesia.png")

    # a refused plain file: the error table (file, row, column, reason) in Bahasa Indonesia
    from ui.import_dialog import ProblemsDialog
    from workstation.errors import InputRefused
    from workstation.importers import ImportOptions
    from workstation.ingest import import_path

    csv = tmp / "cdr_polres_bontang.csv"
    csv.write_text("NO_A,NO_B,WAKTU,DURASI,TGL_LAHIR_PELANGGAN\n"
                   "0812 3456 7890,0813 1111 2222,2026-03-01T08:15:00+08:00,61,1987-03-04\n"
                   "0812 3456 7890,,2026-03-01T09:00:00+08:00,15,1987-03-04\n"
                   "0852 5012 3456,0812 3456 7890,kemarin,304,1987-03-04\n"
                   "0852 5012 3456,0812 3456 7890,2026-03-02 21:40:12,enam puluh,1987-03-04\n"
                   "0812 3456 7890,0852 5012 3456,2026-03-03T07:02:00+08:00,12,1987-31-12\n", encoding="utf-8")
    options = ImportOptions(kind="calls", producer_country="ID", title="CDR Polres Bontang",
                            mapping={"caller": "NO_A", "callee": "NO_B", "start": "WAKTU", "duration_s": "DURASI"})
    try:
        import_path(win.case, csv, options, format="plain")
    except InputRefused as e:
        dlg = ProblemsDialog(e.summary, e.problems, win)
        dlg.show()
        _settle(app, win)
        dlg.grab().save(str(HERE / "11-import-errors-indonesian.png"))
        print("wrote", HERE / "11-import-errors-indonesian.png")
        dlg.close()
    win.close()
    return 0


def _open(app, win, case_path, timeout: float = 60.0) -> None:
    """Open a case and wait until the window shows it (opening and reading run on workers)."""
    shown = []
    win.refreshed.connect(lambda: shown.append(True))
    win.open_case(case_path)
    end = time.monotonic() + timeout
    while not shown and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
    if not shown:
        raise RuntimeError(f"the window did not show {case_path} within {timeout:.0f} s")


def _settle(app, win, seconds: float = 0.3, timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        app.processEvents()
        if not any(j.running for w in win.jobs.workers for j in w._all):
            break
        time.sleep(0.02)
    t = time.monotonic() + seconds
    while time.monotonic() < t:
        app.processEvents()
        time.sleep(0.02)


def main() -> int:
    if len(sys.argv) > 3 and sys.argv[2] == "--indonesian":
        return indonesian(Path(sys.argv[3]))
    demo = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "demo"
    tmp = Path(tempfile.mkdtemp(prefix="lintas-shots-"))
    import os

    os.environ["LINTAS_CONFIG_DIR"] = str(tmp / "config")
    os.environ["LINTAS_LOG_DIR"] = str(tmp / "log")
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "xdg")
    if not (demo / "demo.lintas").exists():
        from workstation.demo import build_demo

        build_demo(demo)
    case_path = tmp / "demo.lintas"
    shutil.copy(demo / "demo.lintas", case_path)

    from analysis import xref
    from workstation.case import Case

    with Case.open(case_path) as c:
        xref.xref(c)

    from ui.app import create_app

    app = create_app(["lintas"])
    from ui.main_window import MainWindow

    def settle(win, seconds: float = 0.3) -> None:
        _settle(app, win, seconds)

    def shot(widget, name: str) -> None:
        app.processEvents()
        widget.grab().save(str(HERE / f"{name}.png"))
        print("wrote", HERE / f"{name}.png")

    win = MainWindow()
    win.resize(1500, 920)
    win.show()
    _open(app, win, case_path)
    settle(win)
    win.tabs.setCurrentWidget(win.sources)
    settle(win)
    shot(win, "01-sources")

    win.tabs.setCurrentWidget(win.console)
    win.console.side.setCurrentIndex(1)  # the history
    win.console.editor.setPlainText(
        "-- who calls whom most, with the handling of each source\n"
        "SELECT source_id, caller_e164, callee_e164, count(*) AS calls,\n"
        "       round(sum(duration_s) / 60) AS minutes, min(start_utc) AS first, max(start_utc) AS last\n"
        "FROM calls GROUP BY ALL ORDER BY calls DESC")
    win.console.run()
    settle(win)
    shot(win, "02-sql-console")

    def search_and_choose(text: str, kind: str) -> None:
        """Search, then choose the first hit of ``kind`` that names an entity (its profile opens)."""
        win.tabs.setCurrentWidget(win.search_panel)
        win.search_panel.run(text)
        settle(win)
        hits = win.search_panel.hits
        win.search_panel.results.selectRow(
            next((i for i, h in enumerate(hits) if h["kind"] == kind and h.get("entity_id")), 0))
        settle(win)

    search_and_choose("Rizal Abdullah", "persons")
    shot(win, "03-search-and-profile")

    win.profile_panel.show_in_network.emit(win.profile_panel.refs())
    settle(win, 1.0)
    shot(win, "04-network")

    # A number as a seized phone's call records write it: its identifiers, and the calls and
    # messages of every source that write it (one hit per source, column and writing).
    search_and_choose("0852-5012-3456", "identifiers")
    shot(win, "13-search-a-number")

    win.tabs.setCurrentWidget(win.audit_panel)
    win.audit_panel.refresh()
    settle(win)
    shot(win, "05-audit-log")

    # the review of an incoming bundle, with its signature and handling
    from ui.import_dialog import PlainWizard, ReviewDialog, inspect
    from workstation.progress import Progress

    bundles = sorted((demo / "bundles").glob("*.zip"))
    found = inspect(bundles[0], Progress())
    dlg = ReviewDialog(found, win)
    dlg.show()
    settle(win)
    shot(dlg, "06-import-review")
    dlg.close()

    # a partner's STIX 2.1 bundle: producer, handling, rows with their own marking, and no signature
    found = inspect(ROOT / "tests" / "fixtures" / "partner" / "own" / "marked_bundle.json", Progress())
    dlg = ReviewDialog(found, win)
    dlg.resize(760, 640)
    dlg.show()
    settle(win)
    shot(dlg, "12-partner-review")
    dlg.close()

    csv = tmp / "cdr_telkomsel_maret.csv"
    csv.write_text("A_NUMBER,B_NUMBER,START_TIME,DURATION,CELL\n"
                   "0812 3456 7890,+62 852 5012 3456,2026-03-01 08:15:00,61,510-10-4471-7\n"
                   "0812 3456 7890,0813 1111 2222,2026-03-01 09:00:00,15,510-10-4471-7\n"
                   "0852 5012 3456,0812 3456 7890,2026-03-02 21:40:12,304,510-10-4471-9\n", encoding="utf-8")
    wiz = PlainWizard(inspect(csv, Progress()), "ID", win)
    wiz.show()
    settle(win)
    shot(wiz, "07-plain-wizard-preview")
    wiz.next()
    settle(win)
    shot(wiz, "08-plain-wizard-mapping")
    wiz.close()

    win.apply_theme("dark")
    win.tabs.setCurrentWidget(win.console)
    settle(win)
    shot(win, "09-dark-theme")

    win.close()
    # the same workstation in Bahasa Indonesia: the language applies at start, so a new process
    import subprocess

    subprocess.run([sys.executable, __file__, str(demo), "--indonesian", str(case_path)], check=True)
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
