"""What an importer hands to the import pipeline: a staged source.

Every importer (lintas-bundle/1, plain files, FollowTheMoney, STIX, MISP, …)
turns its input into a ``StagedSource``: the source's metadata and handling,
and one ``StagedTable`` per canonical kind.  ``workstation.ingest.ingest``
then validates, normalises and writes it into the case in one transaction.

A ``StagedTable`` holds either

* ``path`` + ``format`` (``csv``, ``parquet``, ``jsonl``): a file DuckDB reads
  in a staging engine (used for bundles and plain files; streams, never whole
  in memory), with ``columns`` mapping canonical names to the file's names; or
* ``arrow``: a ``pyarrow.Table`` (or RecordBatchReader) already in canonical
  column names (used by partner formats, whose files are small JSON documents).

Arrow tables carry, besides canonical columns:

* ``source_row`` (int64, required): the row/line/object number in the input,
  kept as provenance and named in error messages;
* ``extra`` (string holding a JSON object, optional): unknown fields, kept;
* ``handling_key`` (string, optional): a key of ``StagedSource.row_handlings``
  when a row has a handling of its own (e.g. a STIX object's markings);
  NULL means the source's handling.

Besides the canonical kinds, ``objects`` holds generic entities a partner
format has and the canonical kinds do not (columns ``id``, ``type``,
``name``, ``properties`` as a JSON string).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pyarrow as pa


@dataclass
class Handling:
    tlp: str = "AMBER"
    releasable_to: list[str] = field(default_factory=list)
    legal_basis: str | None = None
    caveats: list[str] = field(default_factory=list)
    label: str | None = None  # e.g. the marking's name in the partner format

    def to_json(self) -> dict[str, Any]:
        return {"tlp": self.tlp, "releasable_to": list(self.releasable_to),
                "legal_basis": self.legal_basis, "caveats": list(self.caveats)}


@dataclass
class Signature:
    status: str = "unsigned"   # verified | untrusted-consented | unsigned
    key_id: str | None = None
    signer_name: str | None = None


@dataclass
class StagedTable:
    kind: str
    file: str                                   # name inside the container, for messages
    path: Path | None = None                    # a file to read (csv | parquet | jsonl) …
    format: str | None = None
    columns: dict[str, str] = field(default_factory=dict)   # canonical -> file column
    arrow: pa.Table | pa.RecordBatchReader | None = None    # … or data already in Arrow
    personal_data: list[str] = field(default_factory=list)
    sha256: str | None = None
    bytes: int | None = None
    declared_rows: int | None = None
    handling_key: str | None = None     # every row's handling (a key of row_handlings), if not the source's


@dataclass
class StagedAttachment:
    path: str
    sha256: str
    bytes: int
    media_type: str | None
    title: str | None
    describes: list[str]
    read: Callable[[], bytes]
    open: Callable[[], IO[bytes]] | None = None   # the content as a stream (a file may be large)


@dataclass
class StagedSource:
    format: str                                  # lintas-bundle/1 | csv | ftm | stix-2.1 | misp | …
    importer: str                                # registry name of the importer
    title: str | None
    producer: dict[str, str | None]              # agency, unit, country, contact
    handling: Handling
    tables: list[StagedTable]
    bundle_id: str | None = None
    created_at: str | None = None
    case_ref: str | None = None
    default_timezone: str | None = None
    manifest: dict | None = None
    manifest_sha256: str | None = None
    container_name: str | None = None
    container_sha256: str | None = None
    signature: Signature = field(default_factory=Signature)
    row_handlings: dict[str, Handling] = field(default_factory=dict)
    attachments: list[StagedAttachment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    cleanup: Callable[[], None] | None = None    # e.g. remove a temporary extraction
