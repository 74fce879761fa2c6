"""Producing a dossier: recipient, language, subjects; the exports layer writes and records it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QWidget,
)


class DossierDialog(QDialog):
    def __init__(self, subjects: list[tuple[str, str]], default_path: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Produce a dossier"))
        self.resize(560, 380)
        form = QFormLayout(self)
        self.recipient = QLineEdit()
        self.recipient.setPlaceholderText("MY, SG, INTERPOL …")
        self.recipient.setToolTip(self.tr("Only what this recipient may receive goes into the dossier"))
        form.addRow(self.tr("Recipient:"), self.recipient)
        self.language = QComboBox()
        self.language.addItem("English", "en")
        self.language.addItem("Bahasa Indonesia", "id")
        form.addRow(self.tr("Language:"), self.language)
        self.subjects = QListWidget()
        for entity_id, label in subjects:
            self.subjects.addItem(f"{label} ({entity_id})")
        self.subject_ids = [s for s, _ in subjects]
        self.subjects.setToolTip(self.tr("Empty: the whole case (as far as the recipient may receive it)"))
        form.addRow(self.tr("Subjects:"), self.subjects)
        row = QWidget()
        rl = QHBoxLayout(row)
        rl.setContentsMargins(0, 0, 0, 0)
        self.path = QLineEdit(default_path)
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        rl.addWidget(self.path, 1)
        rl.addWidget(browse)
        form.addRow(self.tr("PDF file:"), row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton(self.tr("Produce"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.recipient.textChanged.connect(lambda t: self.ok.setEnabled(bool(t.strip())))
        self.ok.setEnabled(False)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Dossier"), self.path.text(), "PDF (*.pdf)")
        if path:
            self.path.setText(path if path.lower().endswith(".pdf") else path + ".pdf")

    def values(self) -> dict:
        return {"recipient": self.recipient.text().strip().upper(), "lang": self.language.currentData(),
                "subjects": list(self.subject_ids) or None, "out": self.path.text().strip()}
