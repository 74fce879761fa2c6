"""English and Bahasa Indonesia: complete catalogues, switchable in the settings."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from workstation.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
TS = ROOT / "resources" / "i18n" / "lintas_id.ts"
QM = ROOT / "resources" / "i18n" / "lintas_id.qm"


def _messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    out = {}
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.find("name").text
        for m in ctx.iter("message"):
            out[(name, m.find("source").text)] = m.find("translation")
    return out


def test_every_visible_string_has_an_indonesian_translation(tmp_path):
    committed = _messages(TS)
    assert len(committed) > 150
    untranslated = [src for (_ctx, src), tr in committed.items()
                    if not (tr.text or "").strip() or tr.get("type") in ("unfinished", "obsolete")]
    assert not untranslated, f"untranslated: {untranslated[:10]}"
    # the catalogue is current: extracting the UI again finds no string it lacks
    fresh = tmp_path / "fresh.ts"
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    subprocess.run([str(lupdate), *sorted(str(p) for p in (ROOT / "ui").glob("*.py")), "-ts", str(fresh),
                    "-silent"], check=True, cwd=ROOT)
    missing = set(_messages(fresh)) - set(committed)
    assert not missing, f"run resources/i18n/make_translations.py; new strings: {sorted(missing)[:10]}"
    assert QM.stat().st_mtime >= TS.stat().st_mtime - 1 and QM.stat().st_size > 1000


def test_placeholders_survive_translation():
    import re

    for (_ctx, src), tr in _messages(TS).items():
        assert sorted(re.findall(r"\{\d[^}]*\}", src)) == sorted(re.findall(r"\{\d[^}]*\}", tr.text or "")), src


def test_switch_language_in_settings(qtbot, qapp):
    from ui import i18n
    from ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    assert win.menuBar().actions()[0].text() == "&File"
    win.apply_settings({"language": "id", "theme": "dark"})
    assert Settings.load().language == "id" and Settings.load().theme == "dark"
    assert "starts again" in win.statusBar().currentMessage()   # said in the language still running
    win.close()
    try:
        assert i18n.install(qapp) == "id"                           # what a restart does
        win2 = MainWindow()
        qtbot.addWidget(win2)
        menus = [a.text() for a in win2.menuBar().actions()]
        assert menus == ["&Berkas", "&Tampilan", "Ban&tuan"]
        tabs = [win2.tabs.tabText(i) for i in range(win2.tabs.count())]
        assert tabs[:2] == ["Sumber", "Konsol SQL"] and "Log audit" in tabs
        assert win2.console.run_button.text() == "Jalankan"
        assert win2.statusBar().currentMessage() == "Tidak ada perkara terbuka"
        win2.close()
    finally:
        i18n.install(qapp, "en")
        from ui import theme

        theme.apply(qapp, "light")
    win3 = MainWindow()
    qtbot.addWidget(win3)
    assert win3.menuBar().actions()[0].text() == "&File"
    win3.close()


def test_settings_dialog_values(qtbot):
    from ui.settings_dialog import SettingsDialog

    dlg = SettingsDialog(Settings(language="id", theme="dark", analyst="Rina", default_country="ID"))
    qtbot.addWidget(dlg)
    assert dlg.values() == {"language": "id", "theme": "dark", "analyst": "Rina", "default_country": "ID"}
    dlg.language.setCurrentIndex(0)
    assert dlg.values()["language"] == "en"
