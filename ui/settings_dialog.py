"""Settings: language, theme, the analyst's name, the default country of numbers."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit

from workstation.settings import LANGUAGES, Settings

_LANGUAGE_NAMES = {"en": "English", "id": "Bahasa Indonesia"}  # each in its own language


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        form = QFormLayout(self)
        self.language = QComboBox()
        for code in LANGUAGES:
            self.language.addItem(_LANGUAGE_NAMES.get(code, code), code)
        self.language.setCurrentIndex(max(0, list(LANGUAGES).index(settings.language)
                                          if settings.language in LANGUAGES else 0))
        form.addRow(self.tr("Language:"), self.language)
        note = QLabel(self.tr("A new language applies when Lintas starts again."))
        note.setEnabled(False)
        form.addRow("", note)
        self.theme = QComboBox()
        self.theme.addItem(self.tr("Light"), "light")
        self.theme.addItem(self.tr("Dark"), "dark")
        self.theme.setCurrentIndex(1 if settings.theme == "dark" else 0)
        form.addRow(self.tr("Theme:"), self.theme)
        self.analyst = QLineEdit(settings.analyst)
        self.analyst.setPlaceholderText(self.tr("your name, recorded with your judgements"))
        form.addRow(self.tr("Analyst:"), self.analyst)
        self.country = QLineEdit(settings.default_country)
        self.country.setToolTip(self.tr("Used to read national phone numbers in plain files"))
        form.addRow(self.tr("Default country:"), self.country)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict:
        return {"language": self.language.currentData(), "theme": self.theme.currentData(),
                "analyst": self.analyst.text().strip(),
                "default_country": self.country.text().strip().upper() or "ID"}
