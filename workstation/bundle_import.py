"""The lintas-bundle/1 importer: a verified bundle (ZIP or directory) as a staged source."""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

from . import importers
from .progress import NULL, Progress
from .staging import Handling, StagedAttachment, StagedSource, StagedTable

log = logging.getLogger(__name__)


class BundleImporter:
    name = "bundle"
    priority = 100
    description = "a lintas-bundle/1 evidence bundle or partner package (ZIP or directory)"

    def recognise(self, path: Path) -> float:
        if path.is_dir():
            return 1.0 if (path / "manifest.json").is_file() else 0.0
        if not zipfile.is_zipfile(path):
            return 0.0
        try:
            with zipfile.ZipFile(path) as z:
                names = z.namelist()
                if "manifest.json" not in names:
                    # a bundle zipped with its folder: let the bundle checks say so
                    return 0.5 if any(n.count("/") == 1 and n.endswith("/manifest.json") for n in names) else 0.0
                head = z.open("manifest.json").read(4096)
        except (zipfile.BadZipFile, OSError, KeyError):
            return 0.0
        return 1.0 if b"lintas-bundle/" in head else 0.5

    def stage(self, path: Path, options: importers.ImportOptions, progress: Progress = NULL) -> StagedSource:
        from .bundle import open_bundle
        from .keys import Keyring

        keyring = getattr(options, "keyring", None) or Keyring.load()
        # A directory bundle is copied privately (and hashed as copied), so that nothing can
        # change a file between its check and its import.
        opened = open_bundle(path, keyring=keyring, trust_once=options.trust_once,
                             allow_unsigned=options.allow_unsigned, progress=progress,
                             private_copy=path.is_dir())
        try:
            m = opened.manifest
            hd = m.get("handling") or {}
            tables, row_handlings = [], {}
            for i, t in enumerate(m.get("tables") or []):
                key = None
                if isinstance(t.get("handling"), dict):    # a table's own handling (docs/bundle-format.md)
                    key = f"tables[{i}]"
                    th = t["handling"]
                    row_handlings[key] = Handling(tlp=th["tlp"], releasable_to=list(th.get("releasable_to") or []),
                                                  legal_basis=th.get("legal_basis"),
                                                  caveats=list(th.get("caveats") or []), label=f"{t['path']}")
                tables.append(StagedTable(
                    kind=t["kind"], file=t["path"], path=opened.file_path(t["path"]), format=t["format"],
                    columns=dict(t.get("columns") or {}), personal_data=list(t.get("personal_data") or []),
                    sha256=t.get("sha256"), bytes=t.get("bytes"), declared_rows=t.get("rows"), handling_key=key))
            attachments = [
                StagedAttachment(path=a["path"], sha256=a["sha256"], bytes=a["bytes"],
                                 media_type=a.get("media_type"), title=a.get("title"),
                                 describes=list(a.get("describes") or []),
                                 read=(lambda p=opened.file_path(a["path"]): p.read_bytes()),
                                 open=(lambda p=opened.file_path(a["path"]): p.open("rb")))
                for a in m.get("attachments") or []]
            producer = m.get("producer") or {}
            return StagedSource(
                format=m.get("format", "lintas-bundle/1"), importer=self.name, title=m.get("title"),
                producer={k: producer.get(k) for k in ("agency", "unit", "country", "contact")},
                handling=Handling(tlp=hd.get("tlp", "AMBER"), releasable_to=list(hd.get("releasable_to") or []),
                                  legal_basis=hd.get("legal_basis"), caveats=list(hd.get("caveats") or [])),
                tables=tables, bundle_id=m.get("bundle_id"), created_at=m.get("created_at"),
                case_ref=m.get("case_ref"), default_timezone=m.get("default_timezone"), manifest=m,
                manifest_sha256=opened.manifest_sha256, container_name=opened.container_name,
                container_sha256=opened.container_sha256, signature=opened.signature,
                attachments=attachments, row_handlings=row_handlings, cleanup=opened.close,
                warnings=list(opened.warnings))
        except BaseException:
            opened.close()
            raise


importers.register(BundleImporter())
