"""Attached files in the case, stored in chunks: never a whole file in memory.

A bundle's attachments (scans, photos, recordings, phone images) can be far larger than memory.
Their content is kept content-addressed by SHA-256 in ``attachment_chunks`` (schema 8), as chunks
of ``CHUNK_BYTES`` in order; ``attachment_blobs`` is a view giving each file whole, for analyst SQL
and for small files.  Code that may meet a large file reads it here, chunk by chunk.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from typing import IO

CHUNK_BYTES = 4 * 1024 * 1024


class ContentMismatch(ValueError):
    """The content read is not the one its SHA-256 names."""


def stored(con, sha256: str) -> bool:
    return con.execute("SELECT 1 FROM attachment_chunks WHERE sha256 = ? LIMIT 1", [sha256]).fetchone() is not None


def store(con, sha256: str, fh: IO[bytes]) -> int:
    """Write the content read from ``fh`` under ``sha256``, chunk by chunk, hashing it on the way;
    the bytes stored.  Raises ``ContentMismatch`` when the content is not what ``sha256`` names:
    call it inside a transaction, whose rollback then removes the chunks written.  Content already
    stored is not read again."""
    if stored(con, sha256):
        return 0
    h = hashlib.sha256()
    size = seq = 0
    while True:
        block = fh.read(CHUNK_BYTES)
        if not block and seq:
            break
        h.update(block)
        size += len(block)
        con.execute("INSERT INTO attachment_chunks VALUES (?, ?, ?)", [sha256, seq, block])
        seq += 1
        if not block:                     # an empty file: one empty chunk
            break
    if h.hexdigest() != sha256:
        raise ContentMismatch(f"content has SHA-256 {h.hexdigest()}, not {sha256}")
    return size


def chunks(con, sha256: str) -> Iterator[tuple[int, bytes]]:
    """(seq, bytes) of a stored file, in order, one chunk in memory at a time."""
    n = con.execute("SELECT count(*) FROM attachment_chunks WHERE sha256 = ?", [sha256]).fetchone()[0]
    if not n:
        raise KeyError(f"attachment {sha256} is not stored in this case")
    for seq in range(n):
        row = con.execute("SELECT content FROM attachment_chunks WHERE sha256 = ? AND seq = ?",
                          [sha256, seq]).fetchone()
        if row is None:
            raise KeyError(f"attachment {sha256}: chunk {seq} of {n} missing")
        yield seq, bytes(row[0])


def write_to(con, sha256: str, out: IO[bytes]) -> int:
    """Write the stored content of ``sha256`` to ``out``, chunk by chunk; the bytes written."""
    written = 0
    for _seq, block in chunks(con, sha256):
        out.write(block)
        written += len(block)
    return written


def content(con, sha256: str) -> bytes:
    """The whole content of a stored file (for small ones: a photo to show)."""
    buf = io.BytesIO()
    write_to(con, sha256, buf)
    return buf.getvalue()


def copy(src, dst, sha256: str) -> None:
    """Copy a stored file from one case connection to another, chunk by chunk."""
    for seq, block in chunks(src, sha256):
        dst.execute("INSERT INTO attachment_chunks VALUES (?, ?, ?)", [sha256, seq, block])
