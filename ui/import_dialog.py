"""Import: bundles, partner formats and plain files, with review, consent and progress.

The flow, each step's work done by the core in the import worker:

1. *inspect* — the importer registry recognises the file (``importers.choose``);
   a bundle is verified without unpacking (``bundle.verify``) so its producer,
   handling, files and signer are known; a plain file gets a preview and mapping
   suggestions (``plain_import.preview_file`` / ``suggest_mapping``);
2. *review* — producer, handling and signature are shown before anything comes
   in: a bundle's signer and trust (an unknown signer or an unsigned bundle needs
   the analyst's explicit consent; an unknown signer can be trusted for this
   import only or added to the keyring with a name and country); a partner
   format (FollowTheMoney, STIX, MISP) is staged in the worker to show its
   producer, handling, row-level markings and rows, and that it carries no
   signature; a plain file goes through the wizard (kind, mapping, time zone,
   producer country, handling, saved mappings) ending on the same preview;
3. *import* — ``ingest.import_path`` with the chosen options; refused input
   shows every problem (file, row, column, reason) in a table that can be copied.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ui import tlp as tlpmod
from ui.errors import show_error
from ui.i18n import core, problem_text
from ui.workers import JobList, Worker
from workstation.errors import Cancelled, InputRefused, LintasError, Problem
from workstation.importers import ImportOptions
from workstation.kinds import KINDS, TLP_LEVELS
from workstation.progress import Progress

log = logging.getLogger(__name__)

COMMON_TIMEZONES = ("Asia/Makassar", "Asia/Jakarta", "Asia/Jayapura", "Asia/Kuala_Lumpur", "Asia/Singapore",
                    "Asia/Manila", "Asia/Bangkok", "Asia/Ho_Chi_Minh", "Asia/Hong_Kong", "Asia/Shanghai",
                    "Australia/Perth", "Australia/Darwin", "Europe/Paris", "UTC")


@dataclass
class Inspection:
    """What the inspect step found (computed in the worker)."""

    path: Path
    importer: str
    description: str
    report: Any = None                  # bundle.BundleReport
    preview: pa.Table | None = None     # plain files
    suggested_kind: str | None = None
    mappings: dict[str, dict] = field(default_factory=dict)
    staged: dict | None = None          # partner formats: what staging found (producer, handling, rows)
    signer_public_key: str | None = None  # an unknown signer's key (base64), checked against its key id
    already: dict | None = None         # the case's source with this bundle's bundle_id, if any


def _signer_public_key(path: Path, key_id: str | None) -> str | None:
    """The public key of ``manifest.sig`` when it hashes to ``key_id`` (the key ``verify`` checked)."""
    from workstation import keys

    try:
        if path.is_dir():
            raw = (path / "manifest.sig").read_bytes()
        else:
            with zipfile.ZipFile(path) as zf:
                raw = zf.read("manifest.sig")
        pub = json.loads(raw)["public_key"]
        if key_id and keys.key_id(keys.public_raw_from_b64(pub)) == key_id.lower():
            return pub
    except (OSError, KeyError, ValueError, TypeError, zipfile.BadZipFile, keys.KeyProblem) as e:
        log.info("%s: no usable public key in manifest.sig: %s", path.name, e)
    return None


def _staged_summary(staged) -> dict:
    """What a review shows of a staged partner file (the import stages it again)."""
    rows: dict[str, int | None] = {}
    for t in staged.tables:
        n = t.arrow.num_rows if isinstance(t.arrow, pa.Table) else t.declared_rows
        rows[t.kind] = None if n is None or rows.get(t.kind, 0) is None else rows.get(t.kind, 0) + n
    own = {}
    for t in staged.tables:
        if isinstance(t.arrow, pa.Table) and "handling_key" in t.arrow.column_names:
            for k in t.arrow.column("handling_key").to_pylist():
                if k is not None:
                    own[k] = own.get(k, 0) + 1
    return {"title": staged.title, "format": staged.format, "producer": dict(staged.producer or {}),
            "handling": staged.handling.to_json(), "rows": rows, "warnings": list(staged.warnings),
            "row_handlings": [(staged.row_handlings[k].to_json(), n) for k, n in own.items()
                              if k in staged.row_handlings],
            "signature": staged.signature.status}


def inspect(path: Path, progress: Progress, case=None) -> Inspection:
    """Recognise and look at ``path`` without importing it (runs in a worker)."""
    from workstation import importers

    imp = importers.choose(path)
    found = Inspection(path, imp.name, imp.description)
    if imp.name == "bundle":
        from workstation.bundle import verify

        found.report = verify(path, trust_once=True, allow_unsigned=True, progress=progress)
        signer = found.report.signer
        if signer and not signer.get("trusted") and not found.report.problems:
            found.signer_public_key = _signer_public_key(path, signer.get("key_id"))
        bundle_id = (found.report.manifest or {}).get("bundle_id")
        if case is not None and bundle_id:
            # Known before any consent is asked: the import would not bring it in again.
            found.already = next((s for s in case.sources() if s["bundle_id"] == bundle_id), None)
    elif imp.name == "plain":
        from workstation.plain_import import preview_file, saved_mappings, suggest_kind

        found.preview = preview_file(path)
        found.suggested_kind = suggest_kind(found.preview.column_names)
        found.mappings = saved_mappings()
    else:
        # Partner formats are small JSON documents: stage them to show what would come in.
        staged = imp.stage(path, ImportOptions(), progress)
        try:
            found.staged = _staged_summary(staged)
        finally:
            if staged.cleanup:
                staged.cleanup()
    return found


# -- the error table ----------------------------------------------------------------
class ProblemsDialog(QDialog):
    """Every problem of a refused input: file, row, column, reason — selectable and copyable."""

    def __init__(self, summary: str, problems: list[Problem], parent=None, retry=None) -> None:
        from workstation.ingest import MAX_LISTED_PROBLEMS

        super().__init__(parent)
        self.setWindowTitle(self.tr("Import refused"))
        self.resize(860, 420)
        lay = QVBoxLayout(self)
        self.summary = QLabel(core(summary))
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.summary)
        # The import lists at most MAX_LISTED_PROBLEMS row problems: say so, or the table reads as all of them.
        self.listed = QLabel(self.tr("The first {0} problems are listed.").format(MAX_LISTED_PROBLEMS))
        self.listed.setVisible(len(problems) >= MAX_LISTED_PROBLEMS)
        lay.addWidget(self.listed)
        self.table = QTableWidget(len(problems), 4)
        self.table.setHorizontalHeaderLabels([self.tr("File"), self.tr("Row"), self.tr("Column"),
                                              self.tr("Reason")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        for r, p in enumerate(problems):
            for c, key in enumerate(("file", "row", "column", "reason")):
                v = p.get(key)
                it = QTableWidgetItem("" if v is None else core(v) if key == "reason" else str(v))
                # the reason as the core wrote it (the CLI, --json and the audit log say it in English)
                it.setToolTip(it.text() if key != "reason" or it.text() == v else f"{it.text()}\n\n{v}")
                self.table.setItem(r, c, it)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(3, max(300, self.table.columnWidth(3)))
        if len(problems) <= 1000:   # wrapped reasons get their height once the reason column is stretched
            QTimer.singleShot(0, self.table, self.table.resizeRowsToContents)   # not after the dialog is gone
        lay.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton(self.tr("Copy all"))
        copy.setToolTip(self.tr("Copy every problem as tab-separated text (paste into a spreadsheet)"))
        copy.clicked.connect(self.copy_all)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        # As --skip-bad-rows: offered where every problem is a row's (a file that does not check out as a
        # whole is refused whole).
        self.skip_button = QPushButton(self.tr("Import the good rows, set the bad ones aside"))
        self.skip_button.setToolTip(self.tr("The good rows come in; each bad row is kept in the case with its "
                                            "reason (double-click the source in the sources list to see them)"))
        self.retry = retry
        self.skip_button.clicked.connect(self._skip_bad_rows)
        buttons.addButton(self.skip_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.skip_button.setVisible(retry is not None and bool(problems)
                                    and all(p.get("row") is not None for p in problems))
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        lay.addWidget(buttons)
        QShortcut(QKeySequence.StandardKey.Copy, self.table, activated=self.copy_selection)
        self.problems = problems

    def _skip_bad_rows(self) -> None:
        retry, self.retry = self.retry, None
        self.accept()
        if retry is not None:
            retry()

    def text(self, rows: list[int] | None = None) -> str:
        rows = range(self.table.rowCount()) if rows is None else rows
        head = "\t".join(self.table.horizontalHeaderItem(c).text() for c in range(4))
        return "\n".join([head] + ["\t".join(self.table.item(r, c).text() for c in range(4)) for r in rows])

    def copy_all(self) -> None:
        QGuiApplication.clipboard().setText(self.text())

    def copy_selection(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        QGuiApplication.clipboard().setText(self.text(rows or None))


# -- bundles and partner formats: review with consent ------------------------------------
class _HandlingRow(QWidget):
    """A TLP badge in FIRST's colours and the rest of the handling beside it."""

    def __init__(self, h: dict | None = None) -> None:
        super().__init__()
        rl = QGridLayout(self)
        rl.setContentsMargins(0, 0, 0, 0)
        self.badge = QLabel()
        rl.addWidget(self.badge, 0, 0)
        self.rest = QLabel()
        self.rest.setWordWrap(True)
        rl.addWidget(self.rest, 0, 1)
        rl.setColumnStretch(1, 1)
        self.show_handling(h)

    def show_handling(self, h: dict | None) -> None:
        self.badge.setText(tlpmod.label((h or {}).get("tlp")))
        self.badge.setStyleSheet(tlpmod.badge_style((h or {}).get("tlp")))
        self.rest.setText(tlpmod.handling_text(h).partition(" · ")[2])


def _handling_row(h: dict | None) -> QWidget:
    return _HandlingRow(h)


def _producer_text(p: dict | None) -> str:
    p = p or {}
    return " / ".join(x for x in (p.get("agency"), p.get("unit"), p.get("country")) if x)


UNSIGNED_STYLE = "color: #c0392b; font-weight: bold;"
VERIFIED_STYLE = "color: #1e8449; font-weight: bold;"
UNKNOWN_STYLE = "color: #b9770e; font-weight: bold;"


class ReviewDialog(QDialog):
    """What is about to come into the case: producer, handling, files, signature and trust."""

    def __init__(self, found: Inspection, parent=None) -> None:
        super().__init__(parent)
        self.found = found
        self.setWindowTitle(self.tr("Import {0}").format(found.path.name))
        self.resize(720, 500)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        # First, above the details: a bundle already in the case is not imported again.
        self.already = QLabel()
        self.already.setWordWrap(True)
        self.already.setStyleSheet(UNKNOWN_STYLE)
        self.already.hide()
        if found.already is not None:
            a = found.already
            self.already.setText(self.tr("Already in this case as source #{0} ({1}, imported {2}): it is not "
                                         "imported again.").format(a["source_id"], a["title"] or "",
                                                                   (a["imported_at"] or "")[:10]))
            self.already.show()
        lay.addWidget(self.already)
        lay.addLayout(form)
        form.addRow(self.tr("File:"), QLabel(str(found.path)))
        self.read_as = QLabel(core(found.description))   # the importer's own words, in the UI's language
        self.read_as.setWordWrap(True)
        form.addRow(self.tr("Read as:"), self.read_as)
        self.consent = QCheckBox()
        self.consent.hide()
        self.trust_state = "n/a"
        self.signature = QLabel()
        self.signature.setWordWrap(True)
        self.signature.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.trust_once = QRadioButton(self.tr("Trust once: accept this key for this import only"))
        self.add_to_keyring = QRadioButton(self.tr("Add to my keyring: trust this partner's key from now on"))
        self.key_name = QLineEdit()
        self.key_name.setPlaceholderText(self.tr("the partner agency, e.g. Royal Malaysia Police"))
        self.key_country = QLineEdit()
        self.key_country.setPlaceholderText("MY, SG, INTERPOL …")
        self.key_box = QWidget()
        self.key_box.hide()
        rep = found.report
        if rep is not None:
            self._bundle(form, lay, rep)
        elif found.staged is not None:
            self._partner(form, lay, found.staged)
        lay.addWidget(self.consent)
        lay.addWidget(self.key_box)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        for w in (self.consent, self.trust_once, self.add_to_keyring):
            w.toggled.connect(self._update)
        for e in (self.key_name, self.key_country):
            e.textChanged.connect(self._update)
        self._update()
        # As tall as its wrapped text needs at this width (the signer's warning ends with what to do; a
        # fixed height cut it off once the dialog held more), within the screen.
        lay.activate()
        needed = lay.totalHeightForWidth(self.width()) if lay.hasHeightForWidth() else self.sizeHint().height()
        screen = self.screen().availableGeometry().height() if self.screen() is not None else 900
        self.resize(self.width(), min(max(self.height(), needed), screen - 60))

    def _bundle(self, form: QFormLayout, lay: QVBoxLayout, rep) -> None:
        m = rep.manifest or {}
        form.addRow(self.tr("Title:"), QLabel(m.get("title") or ""))
        form.addRow(self.tr("Producer:"), QLabel(_producer_text(m.get("producer"))))
        form.addRow(self.tr("Handling:"), _handling_row(m.get("handling")))
        form.addRow(self.tr("Case reference:"), QLabel(m.get("case_ref") or ""))
        form.addRow(self.tr("Signature:"), self.signature)
        signer = rep.signer
        if signer is None:
            self.trust_state = "unsigned"
            self.signature.setText(self.tr("NOT SIGNED — nothing proves who made this bundle or that "
                                           "it is unchanged."))
            self.signature.setStyleSheet(UNSIGNED_STYLE)
            self.consent.setText(self.tr("I accept this unsigned bundle for this import"))
            self.consent.show()
        elif signer.get("trusted"):
            self.trust_state = "verified"
            self.signature.setText(self.tr("Verified: signed by {0} (key {1})").format(
                signer.get("name") or "?", signer.get("key_id")))
            self.signature.setStyleSheet(VERIFIED_STYLE)
        else:
            self.trust_state = "unknown-signer"
            self.signature.setText(self.tr(
                "Valid signature by a key NOT in your keyring: {0}\nCheck this key id with its "
                "sender (by phone or in person) before you accept it.").format(signer.get("key_id")))
            self.signature.setStyleSheet(UNKNOWN_STYLE)
            self.consent.setText(self.tr("I checked this key id with its sender"))
            self.consent.show()
            self._key_choice(m.get("producer") or {})
        files = self.files = QTableWidget(len(rep.files), 4)
        files.setHorizontalHeaderLabels([self.tr("File"), self.tr("Kind"), self.tr("Rows"), self.tr("Bytes")])
        files.verticalHeader().hide()
        files.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        files.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for r, f in enumerate(rep.files):
            for c, k in enumerate(("path", "kind", "rows", "bytes")):
                v = f.get(k)
                files.setItem(r, c, QTableWidgetItem("" if v is None else f"{v:,}" if isinstance(v, int)
                                                     else core(v) if k == "kind" else str(v)))
        # every file in view (up to eight; more scroll), not squeezed to a row or two
        shown = min(len(rep.files), 8)
        files.setMinimumHeight(files.horizontalHeader().sizeHint().height() + 2 * files.frameWidth()
                               + sum(files.verticalHeader().sectionSize(r) for r in range(shown)) + 2)
        lay.addWidget(files)

    def _key_choice(self, producer: dict) -> None:
        """Trust once, or add the signer's key to the keyring with a name and country."""
        kl = QFormLayout(self.key_box)
        kl.setContentsMargins(24, 0, 0, 0)
        kl.addRow(self.trust_once)
        kl.addRow(self.add_to_keyring)
        kl.addRow(self.tr("Name of the key's owner:"), self.key_name)
        kl.addRow(self.tr("Country:"), self.key_country)
        self.trust_once.setChecked(True)
        self.key_name.setText(" ".join(x for x in (producer.get("agency"), producer.get("unit")) if x))
        self.key_country.setText(producer.get("country") or "")
        if self.found.signer_public_key is None:   # the key could not be read back: trust once only
            self.add_to_keyring.setEnabled(False)
        self.key_box.show()

    def _partner(self, form: QFormLayout, lay: QVBoxLayout, st: dict) -> None:
        form.addRow(self.tr("Title:"), QLabel(st.get("title") or ""))
        form.addRow(self.tr("Producer:"), QLabel(_producer_text(st.get("producer")) or
                                                 self.tr("not stated in the file")))
        self.handling_row = _HandlingRow(st.get("handling"))
        form.addRow(self.tr("Handling:"), self.handling_row)
        own = st.get("row_handlings") or []
        if own:
            box = QWidget()
            bl = QVBoxLayout(box)
            bl.setContentsMargins(0, 0, 0, 0)
            for h, n in own:
                line = QWidget()
                ll = QHBoxLayout(line)
                ll.setContentsMargins(0, 0, 0, 0)
                ll.addWidget(_handling_row(h), 1)
                ll.addWidget(QLabel(self.tr("rows: {0}").format(f"{n:,}")))
                bl.addWidget(line)
            form.addRow(self.tr("Rows with their own marking:"), box)
        # The source's handling, for rows without a marking of their own: the analyst may state it
        # (what --tlp, --releasable-to, --legal-basis and --caveat do on the command line).
        h = st.get("handling") or {}
        self.staged_handling = {"tlp": h.get("tlp") or "AMBER", "releasable_to": list(h.get("releasable_to") or []),
                                "legal_basis": h.get("legal_basis") or None, "caveats": list(h.get("caveats") or [])}
        hb = QWidget()
        hl = QFormLayout(hb)
        hl.setContentsMargins(0, 0, 0, 0)
        self.tlp = QComboBox()
        self.tlp.addItems(list(TLP_LEVELS))
        self.tlp.setCurrentText(self.staged_handling["tlp"])
        hl.addRow(self.tr("TLP:"), self.tlp)
        self.releasable = QLineEdit(", ".join(self.staged_handling["releasable_to"]))
        self.releasable.setPlaceholderText("ID, MY, INTERPOL")
        hl.addRow(self.tr("Releasable to:"), self.releasable)
        self.legal_basis = QLineEdit(self.staged_handling["legal_basis"] or "")
        hl.addRow(self.tr("Legal basis:"), self.legal_basis)
        self.caveats = QLineEdit("; ".join(self.staged_handling["caveats"]))
        self.caveats.setPlaceholderText(self.tr("separated by ;"))
        hl.addRow(self.tr("Caveats:"), self.caveats)
        hb.setToolTip(self.tr("The handling of every row that carries no marking of its own"))
        form.addRow(self.tr("Change handling:"), hb)
        for w in (self.releasable, self.legal_basis, self.caveats):
            w.textChanged.connect(self._show_handling)
        self.tlp.currentTextChanged.connect(self._show_handling)
        form.addRow(self.tr("Signature:"), self.signature)
        self.trust_state = "unsigned-format"
        self.signature.setText(self.tr("NOT SIGNED — this format carries no signature: nothing proves who "
                                       "made this file or that it is unchanged. Check where it came from."))
        self.signature.setStyleSheet(UNSIGNED_STYLE)
        rows = st.get("rows") or {}
        table = QTableWidget(len(rows), 2)
        table.setHorizontalHeaderLabels([self.tr("Kind"), self.tr("Rows")])
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for r, (kind, n) in enumerate(rows.items()):
            table.setItem(r, 0, QTableWidgetItem(core(kind)))
            table.setItem(r, 1, QTableWidgetItem("" if n is None else f"{n:,}"))
        lay.addWidget(table)
        if st.get("warnings"):
            warn = QLabel("\n".join(core(w) for w in st["warnings"]))
            warn.setWordWrap(True)
            lay.addWidget(warn)

    def _update(self) -> None:
        ok = (not self.consent.isVisibleTo(self) or self.consent.isChecked()) and self.found.already is None
        keyring = self.add_to_keyring.isChecked() and self.trust_state == "unknown-signer"
        for w in (self.key_name, self.key_country):
            w.setEnabled(keyring)
        if keyring:
            from workstation.bundle import is_country_or_org

            country = self.key_country.text().strip().upper()
            ok = ok and bool(self.key_name.text().strip()) and (not country or is_country_or_org(country))
        self.import_button.setEnabled(ok)

    def keyring_entry(self) -> tuple[str, str, str | None] | None:
        """(public key, name, country) to add to the keyring before importing, or None."""
        if (self.trust_state != "unknown-signer" or not self.consent.isChecked()
                or not self.add_to_keyring.isChecked() or self.found.signer_public_key is None):
            return None
        return (self.found.signer_public_key, self.key_name.text().strip(),
                self.key_country.text().strip().upper() or None)

    def _show_handling(self) -> None:
        self.handling_row.show_handling(self._stated_handling())

    def _stated_handling(self) -> dict:
        return {"tlp": self.tlp.currentText(),
                "releasable_to": [x.strip().upper() for x in self.releasable.text().replace(";", ",").split(",")
                                  if x.strip()],
                "legal_basis": self.legal_basis.text().strip() or None,
                "caveats": [c.strip() for c in self.caveats.text().split(";") if c.strip()]}

    def handling(self) -> dict | None:
        """The source's handling the analyst stated for a partner file, or None to keep the file's."""
        if self.trust_state != "unsigned-format":
            return None
        stated = self._stated_handling()
        return None if stated == self.staged_handling else stated

    def options(self) -> ImportOptions:
        agreed = self.consent.isChecked()
        return ImportOptions(trust_once=agreed and self.trust_state == "unknown-signer"
                             and self.keyring_entry() is None,
                             allow_unsigned=agreed and self.trust_state == "unsigned",
                             handling=self.handling())


# -- the plain-file wizard --------------------------------------------------------------
class PlainWizard(QWizard):
    """Kind and preview → column mapping → time zone, producer and handling."""

    def __init__(self, found: Inspection, default_country: str = "ID", parent=None) -> None:
        super().__init__(parent)
        self.found = found
        self.setWindowTitle(self.tr("Import a plain file: {0}").format(found.path.name))
        self.resize(860, 560)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        columns = found.preview.column_names if found.preview is not None else []
        self.file_columns = columns

        # page 1: preview, kind, saved mapping
        p1 = QWizardPage()
        p1.setTitle(self.tr("What is in this file?"))
        p1.setSubTitle(self.tr("The first rows as written. Choose the kind of its rows, or a saved mapping."))
        l1 = QVBoxLayout(p1)
        self.preview = QTableWidget()
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        if found.preview is not None:
            t = found.preview
            self.preview.setColumnCount(t.num_columns)
            self.preview.setRowCount(t.num_rows)
            self.preview.setHorizontalHeaderLabels(t.column_names)
            for c in range(t.num_columns):
                for r, v in enumerate(t.column(c).to_pylist()):
                    self.preview.setItem(r, c, QTableWidgetItem("" if v is None else str(v)))
            self.preview.resizeColumnsToContents()
        l1.addWidget(self.preview)
        f1 = QFormLayout()
        self.kind = QComboBox()
        self.kind.addItems(list(KINDS))
        if found.suggested_kind:
            self.kind.setCurrentText(found.suggested_kind)
        f1.addRow(self.tr("Kind of rows:"), self.kind)
        self.saved = QComboBox()
        self.saved.addItem(self.tr("(none)"), None)
        for name in sorted(found.mappings):
            self.saved.addItem(name, name)
        self.saved.currentIndexChanged.connect(self._apply_saved)
        f1.addRow(self.tr("Saved mapping:"), self.saved)
        l1.addLayout(f1)
        self.addPage(p1)

        # page 2: mapping
        p2 = _MappingPage(self)
        self.mapping_page = p2
        self.addPage(p2)

        # page 3: time zone, producer, handling
        p3 = QWizardPage()
        p3.setTitle(self.tr("Where does it come from, and who may see it?"))
        f3 = QFormLayout(p3)
        self.title_edit = QLineEdit(found.path.name)
        f3.addRow(self.tr("Title:"), self.title_edit)
        self.timezone = QComboBox()
        self.timezone.setEditable(True)
        self.timezone.addItem("")
        self.timezone.addItems(COMMON_TIMEZONES)
        self.timezone.setToolTip(self.tr("For times written without an offset (an IANA name)"))
        f3.addRow(self.tr("Time zone of the times:"), self.timezone)
        self.country = QLineEdit(default_country)
        self.country.setToolTip(self.tr("ISO 3166 code; national phone numbers are read with it"))
        f3.addRow(self.tr("Producer country:"), self.country)
        self.agency = QLineEdit()
        f3.addRow(self.tr("Producer agency:"), self.agency)
        self.tlp = QComboBox()
        self.tlp.addItems(list(TLP_LEVELS))
        self.tlp.setCurrentText("AMBER")
        f3.addRow(self.tr("TLP:"), self.tlp)
        self.releasable = QLineEdit()
        self.releasable.setPlaceholderText("ID, MY, INTERPOL")
        f3.addRow(self.tr("Releasable to:"), self.releasable)
        self.legal_basis = QLineEdit()
        f3.addRow(self.tr("Legal basis:"), self.legal_basis)
        self.caveats = QLineEdit()
        self.caveats.setPlaceholderText(self.tr("separated by ;"))
        f3.addRow(self.tr("Caveats:"), self.caveats)
        self.save_as = QLineEdit()
        self.save_as.setPlaceholderText(self.tr("a name, to reuse this mapping next time"))
        f3.addRow(self.tr("Save mapping as:"), self.save_as)
        self.addPage(p3)

        # page 4: what will come in, with its handling and (no) signature, as bundles are reviewed
        self.review_page = _PlainReviewPage(self)
        self.addPage(self.review_page)

    def _apply_saved(self) -> None:
        name = self.saved.currentData()
        if not name:
            return
        m = self.found.mappings.get(name) or {}
        if m.get("kind") in KINDS:
            self.kind.setCurrentText(m["kind"])
        self.mapping_page.preset = dict(m.get("map") or {})
        if m.get("timezone"):
            self.timezone.setCurrentText(m["timezone"])
        if m.get("producer_country"):
            self.country.setText(m["producer_country"])

    def mapping(self) -> dict[str, str]:
        return self.mapping_page.mapping()

    def options(self) -> ImportOptions:
        releasable = [x.strip().upper() for x in self.releasable.text().replace(";", ",").split(",") if x.strip()]
        return ImportOptions(
            kind=self.kind.currentText(), mapping=self.mapping(),
            producer={"agency": self.agency.text().strip() or None,
                      "country": self.country.text().strip() or None},
            producer_country=self.country.text().strip() or None,
            timezone=self.timezone.currentText().strip() or None,
            handling={"tlp": self.tlp.currentText(), "releasable_to": releasable,
                      "legal_basis": self.legal_basis.text().strip() or None,
                      "caveats": [c.strip() for c in self.caveats.text().split(";") if c.strip()]},
            title=self.title_edit.text().strip() or None)


class _PlainReviewPage(QWizardPage):
    """The plain file's review: kind, columns, producer, handling badge, and that it is unsigned."""

    def __init__(self, wizard: PlainWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(self.tr("Review before import"))
        self.setSubTitle(self.tr("This is what comes into the case, and how it will be handled."))
        self.form = QFormLayout(self)
        self.signature = QLabel()

    def initializePage(self) -> None:  # noqa: N802 (Qt name)
        while self.form.rowCount():
            self.form.removeRow(0)
        o = self.wiz.options()
        self.form.addRow(self.tr("File:"), QLabel(str(self.wiz.found.path)))
        self.form.addRow(self.tr("Kind of rows:"), QLabel(o.kind or ""))
        cols = QLabel(", ".join(f"{k} ← {v}" for k, v in o.mapping.items()))
        cols.setWordWrap(True)
        self.form.addRow(self.tr("Columns:"), cols)
        self.form.addRow(self.tr("Title:"), QLabel(o.title or ""))
        self.form.addRow(self.tr("Producer:"), QLabel(_producer_text(o.producer) or self.tr("not stated")))
        self.form.addRow(self.tr("Time zone of the times:"), QLabel(o.timezone or self.tr("none: every time "
                                                                                          "must carry an offset")))
        self.form.addRow(self.tr("Handling:"), _handling_row(o.handling))
        self.signature = QLabel(self.tr("NOT SIGNED — a plain file carries no signature: the source is "
                                        "recorded as unsigned, with the producer and handling you stated."))
        self.signature.setWordWrap(True)
        self.signature.setStyleSheet(UNSIGNED_STYLE)
        self.form.addRow(self.tr("Signature:"), self.signature)


class _MappingPage(QWizardPage):
    def __init__(self, wizard: PlainWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.preset: dict[str, str] = {}
        self.setTitle(self.tr("Which column holds what?"))
        self.setSubTitle(self.tr("Suggested from the column names; required columns are marked *. "
                                 "Columns not mapped are kept as extra data."))
        self.form = QFormLayout(self)
        self.combos: dict[str, QComboBox] = {}

    def initializePage(self) -> None:  # noqa: N802 (Qt name)
        from workstation.plain_import import suggest_mapping

        while self.form.rowCount():
            self.form.removeRow(0)
        self.combos.clear()
        kind = self.wiz.kind.currentText()
        suggested = self.preset or suggest_mapping(kind, self.wiz.file_columns)
        self.preset = {}
        for col in KINDS[kind]:
            box = QComboBox()
            box.addItem(self.tr("(not in the file)"), None)
            for fc in self.wiz.file_columns:
                box.addItem(fc, fc)
            if col.name in suggested and suggested[col.name] in self.wiz.file_columns:
                box.setCurrentIndex(self.wiz.file_columns.index(suggested[col.name]) + 1)
            box.currentIndexChanged.connect(self.completeChanged)
            self.combos[col.name] = box
            self.form.addRow(f"{col.name}{' *' if col.required else ''} ({col.type})", box)

    def mapping(self) -> dict[str, str]:
        return {k: b.currentData() for k, b in self.combos.items() if b.currentData()}

    def isComplete(self) -> bool:  # noqa: N802 (Qt name)
        kind = self.wiz.kind.currentText()
        m = self.mapping()
        return all(c.name in m for c in KINDS[kind] if c.required)


# -- the controller ------------------------------------------------------------------------
class ImportController(QObject):
    """Runs the import flow for the main window; ``imported`` fires after each success."""

    imported = Signal(object)   # ImportResult
    refused = Signal(object)    # the ProblemsDialog shown (tests look at it)
    review = Signal(object)     # the review dialog or wizard about to be shown

    def __init__(self, window, jobs: JobList) -> None:
        super().__init__(window)
        self.window = window
        self.worker = Worker("import", jobs, self)
        self.dialog: QDialog | None = None
        self.notice: QMessageBox | None = None   # the last message shown about an import (tests read it)
        self.queue: list[Path] = []

    def start(self, paths: list[str | Path]) -> None:
        if self.window.case is None:
            show_error(self.window, self.tr("Import"), LintasError(self.tr("Open or create a case first.")))
            return
        self.queue.extend(Path(p) for p in paths)
        # current is set until a job's result is delivered: a job done but not yet reported would be
        # superseded (its result dropped) by starting the next one now.
        if self.worker.current is None and self.dialog is None:
            self._next()

    def _next(self) -> None:
        if not self.queue:
            return
        path = self.queue.pop(0)
        case = self.window.case
        self.worker.start(self.tr("Reading {0}").format(path.name), lambda p: inspect(path, p, case),
                          self._inspected, lambda e: self._failed(e, path))

    def _inspected(self, found: Inspection) -> None:
        if found.report is not None and found.report.problems:
            self._show_problems(self.tr("{0}: refused, the bundle does not check out; the case was "
                                        "not changed").format(found.path.name), found.report.problems)
            self._next()
            return
        if found.importer == "plain":
            dlg: QDialog = PlainWizard(found, self.window.settings.default_country, self.window)
        else:
            dlg = ReviewDialog(found, self.window)
        self.dialog = dlg
        dlg.finished.connect(lambda code, d=dlg, f=found: self._reviewed(d, f, code))
        self.review.emit(dlg)
        dlg.open()

    def _reviewed(self, dlg, found: Inspection, code: int) -> None:
        self.dialog = None
        dlg.deleteLater()
        if code != QDialog.DialogCode.Accepted:
            self._next()
            return
        options = dlg.options()
        if isinstance(dlg, PlainWizard) and dlg.save_as.text().strip():
            from workstation.plain_import import save_mapping

            save_mapping(dlg.save_as.text().strip(), options.kind, options.mapping, options.timezone,
                         options.producer_country)
        trust = dlg.keyring_entry() if isinstance(dlg, ReviewDialog) else None
        self.run_import(found.path, options, found.importer, trust)

    def run_import(self, path: Path, options: ImportOptions, fmt: str | None = None,
                   trust: tuple[str, str, str | None] | None = None) -> None:
        """Import ``path``; with ``trust`` = (public key, name, country) the signer's key is trusted for
        the import, so the bundle imports as verified, and written to the analyst's keyring once the
        import is done (a refused or cancelled import leaves the keyring as it was)."""
        case = self.window.case

        def work(progress):
            from workstation.ingest import import_path  # imported here: off the UI thread

            opts = options
            if trust is not None:
                from workstation.keys import Keyring

                trial = Keyring.in_memory(Keyring.load().entries())
                trial.trust(*trust)
                opts = dataclasses.replace(options, keyring=trial)
            result = import_path(case, path, opts, progress, format=fmt)
            if trust is not None and result.imported:
                entry = Keyring.load().trust(*trust)
                log.info("key %s added to the keyring as %s (%s) with the import of %s",
                         entry.key_id, entry.name, entry.country, path.name)
            return result

        def skip_bad_rows() -> None:   # the same choices, the analyst's trust in the signer's key too
            self.run_import(path, dataclasses.replace(options, skip_bad_rows=True), fmt, trust)

        self.worker.start(self.tr("Importing {0}").format(path.name), work, self._done,
                          lambda e: self._failed(e, path, None if options.skip_bad_rows else skip_bad_rows))

    def _done(self, result) -> None:
        self.imported.emit(result)
        if result.already_imported_as is not None:
            self._tell(self.tr("Already imported"), self.tr(
                "{0} is already in this case as source #{1}; it was not imported again.").format(
                result.title or self.tr("This input"), result.already_imported_as))
            self.window.show_source(result.already_imported_as)
        if not result.imported:
            why = "; ".join(problem_text(p) for p in getattr(result, "problems", []) or [])
            self.window.statusBar().showMessage(why or self.tr("Not imported."), 10000)
        elif result.rejected:
            self.window.statusBar().showMessage(self.tr(
                "Imported {0}: {1} rows; {2} rows set aside (double-click its source to list them)").format(
                result.title or "", f"{sum(result.rows.values()):,}", f"{result.rejected:,}"), 15000)
        else:
            self.window.statusBar().showMessage(self.tr("Imported {0}: {1} rows").format(
                result.title or "", f"{sum(result.rows.values()):,}"), 10000)
        self._next()

    def _failed(self, e: BaseException, path: Path, retry=None) -> None:
        if isinstance(e, Cancelled):
            self.window.statusBar().showMessage(self.tr("Import of {0} cancelled; the case was not changed.")
                                                .format(path.name), 10000)
        elif isinstance(e, InputRefused):
            self._show_problems(e.summary, e.problems, retry)
        else:
            show_error(self.window, self.tr("Import"), e)
        self._next()

    def _tell(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, self.window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.destroyed.connect(lambda *_: setattr(self, "notice", None) if self.notice is box else None)
        self.notice = box
        box.open()   # window-modal, not a nested event loop

    def _show_problems(self, summary: str, problems: list[Problem], retry=None) -> None:
        dlg = ProblemsDialog(summary, problems, self.window, retry)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.refused.emit(dlg)
        dlg.open()

    def shutdown(self) -> None:
        self.worker.shutdown()
