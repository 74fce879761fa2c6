"""Ed25519 keys, manifest signatures and the analyst's keyring (lintas-bundle/1).

A key is known by its *key id*: the lower-case hex SHA-256 of the raw 32-byte
public key (DESIGN.md).  A private key lives in a PEM (PKCS#8) file readable
only by its owner; public keys travel as the base64 of the raw 32 bytes.

``manifest.sig`` is the JSON object ``{"alg": "ed25519", "key_id", "public_key",
"signature"}`` where ``signature`` is the base64 Ed25519 signature of the exact
bytes of ``manifest.json``.

The keyring (``config_dir()/keyring.json``) records which partners' keys the
analyst trusts.  Revocation is kept, never deleted: a revoked key stays in the
keyring so that bundles it signed are refused rather than treated as unknown.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import logging
import os
import stat
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .errors import LintasError
from .paths import config_dir

log = logging.getLogger(__name__)

ALG = "ed25519"
KEYRING_FILE = "keyring.json"
KEYRING_FORMAT = "lintas-keyring/1"


class KeyProblem(LintasError):
    """A key file, public key or keyring operation that cannot be done."""


def key_id(public_raw: bytes) -> str:
    """The key id: hex SHA-256 of the raw 32-byte public key."""
    return hashlib.sha256(public_raw).hexdigest()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.b64decode(text.strip(), validate=True)


def _now_utc() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# -- public keys --------------------------------------------------------------
def public_raw_from_b64(text: str) -> bytes:
    """Raw 32 bytes from base64; raises KeyProblem with the reason."""
    try:
        raw = _b64decode(text)
    except (binascii.Error, ValueError) as e:
        raise KeyProblem(f"not a base64 public key: {e}") from None
    if len(raw) != 32:
        raise KeyProblem(f"an Ed25519 public key has 32 bytes, this one has {len(raw)}")
    return raw


def load_public_key(spec: str | os.PathLike) -> bytes:
    """The raw public key from base64 text, a file holding base64, or a PEM file.

    A PEM file may hold the public key (SubjectPublicKeyInfo) or a private key
    (PKCS#8, unencrypted), whose public half is taken.
    """
    text = str(spec)
    p = Path(text)
    try:
        is_file = p.is_file()
    except OSError:  # e.g. a base64 string too long for a file name
        is_file = False
    if not is_file:
        try:
            return public_raw_from_b64(text)
        except KeyProblem as e:
            raise KeyProblem(f"{text!r} is neither a key file nor a base64 public key ({e})") from None
    data = p.read_bytes()
    if b"-----BEGIN" in data:
        try:
            if b"PRIVATE KEY" in data:
                key = serialization.load_pem_private_key(data, password=None)
                if not isinstance(key, Ed25519PrivateKey):
                    raise KeyProblem(f"{p}: not an Ed25519 key")
                pub = key.public_key()
            else:
                pub = serialization.load_pem_public_key(data)
        except (ValueError, TypeError) as e:
            raise KeyProblem(f"{p}: cannot read PEM key: {e}") from None
        if not isinstance(pub, Ed25519PublicKey):
            raise KeyProblem(f"{p}: not an Ed25519 public key")
        return pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    try:
        return public_raw_from_b64(data.decode("ascii"))
    except UnicodeDecodeError:
        raise KeyProblem(f"{p}: neither a PEM file nor a base64 public key") from None
    except KeyProblem as e:
        raise KeyProblem(f"{p}: {e}") from None


# -- private keys -------------------------------------------------------------
def new_key(name: str, out: str | os.PathLike) -> tuple[str, str]:
    """Create an Ed25519 key pair; write the private key to ``out`` (PEM PKCS#8, mode 0600).

    The public key is also written beside it as ``<out>.pub`` (base64 of the raw
    bytes, one line) for handing to partners.  Returns ``(key_id, public_b64)``.
    ``name`` is only logged here; the CLI records it in the keyring.
    """
    out = Path(out)
    if out.exists():
        raise KeyProblem(f"{out} already exists; refusing to overwrite a key file")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    # Create with 0600 from the start (no window where the file is readable by others).
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as e:
        raise KeyProblem(f"cannot write the key file {out}: {e.strerror or e}") from None
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)  # exactly 0600 whatever the umask
        os.write(fd, pem)
    finally:
        os.close(fd)
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    pub_b64 = b64(raw)
    pub_path = out.with_name(out.name + ".pub")
    pub_path.write_text(pub_b64 + "\n", encoding="ascii")
    kid = key_id(raw)
    log.info("new signing key %s (%s) written to %s", kid, name, out)
    return kid, pub_b64


def load_private_key(keyfile: str | os.PathLike) -> Ed25519PrivateKey:
    p = Path(keyfile)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise KeyProblem(f"cannot read key file {p}: {e.strerror or e}") from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as e:
        raise KeyProblem(f"{p}: not an unencrypted PEM private key: {e}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyProblem(f"{p}: not an Ed25519 private key")
    try:
        mode = stat.S_IMODE(p.stat().st_mode)
        if os.name == "posix" and mode & 0o077:
            log.warning("private key %s is readable by others (mode %o)", p, mode)
    except OSError:
        pass
    return key


def sign_manifest(manifest_bytes: bytes, keyfile: str | os.PathLike) -> dict[str, str]:
    """The ``manifest.sig`` object for these exact manifest bytes."""
    key = load_private_key(keyfile)
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"alg": ALG, "key_id": key_id(raw), "public_key": b64(raw),
            "signature": b64(key.sign(manifest_bytes))}


def check_signature(manifest_bytes: bytes, sig: Any) -> tuple[str | None, str | None]:
    """Check a parsed ``manifest.sig`` object against the manifest bytes.

    Returns ``(key_id, problem)``: ``problem`` is None when the signature is
    mathematically valid (trust is a separate question: see ``Keyring``);
    ``key_id`` is the key id the signature claims, when it can be read.
    """
    if not isinstance(sig, dict):
        return None, "manifest.sig must be a JSON object"
    claimed = sig.get("key_id") if isinstance(sig.get("key_id"), str) else None
    for field in ("alg", "key_id", "public_key", "signature"):
        if field not in sig:
            return claimed, f"{field}: required field missing"
        if not isinstance(sig[field], str):
            return claimed, f"{field}: must be a string"
    if sig["alg"] != ALG:
        return claimed, f"alg: unsupported algorithm {sig['alg']!r} (only 'ed25519')"
    try:
        raw = public_raw_from_b64(sig["public_key"])
    except KeyProblem as e:
        return claimed, f"public_key: {e}"
    if key_id(raw) != sig["key_id"].lower():
        return claimed, ("key_id: does not match public_key (the key id must be the hex SHA-256 "
                         f"of the raw public key, {key_id(raw)})")
    try:
        signature = _b64decode(sig["signature"])
    except (binascii.Error, ValueError) as e:
        return claimed, f"signature: not base64: {e}"
    if len(signature) != 64:
        return claimed, f"signature: an Ed25519 signature has 64 bytes, this one has {len(signature)}"
    try:
        Ed25519PublicKey.from_public_bytes(raw).verify(signature, manifest_bytes)
    except InvalidSignature:
        return claimed, ("signature does not match manifest.json: the manifest was changed after "
                         "signing, or the signature is forged")
    return key_id(raw), None


# -- keyring ------------------------------------------------------------------
@dataclass
class KeyEntry:
    key_id: str
    public_key: str                # base64 raw
    name: str
    country: str | None = None
    added_utc: str | None = None
    revoked_utc: str | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_utc is not None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class Keyring:
    """The keys an analyst trusts.  ``path=None`` keeps it in memory only."""

    def __init__(self, entries: list[KeyEntry] | None = None, path: Path | None = None) -> None:
        self.path = path
        self._entries: dict[str, KeyEntry] = {e.key_id: e for e in entries or []}

    # construction
    @classmethod
    def default_path(cls) -> Path:
        return config_dir() / KEYRING_FILE

    @classmethod
    def load(cls, path: str | os.PathLike | None = None) -> Keyring:
        p = Path(path) if path is not None else cls.default_path()
        if not p.exists():
            return cls([], p)
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise KeyProblem(f"keyring {p} cannot be read: {e}; fix or move it away") from None
        raw = data.get("keys") if isinstance(data, dict) else None
        if not isinstance(raw, list):
            raise KeyProblem(f"keyring {p} has no 'keys' list; fix or move it away")
        return cls([_entry(d, p) for d in raw], p)

    @classmethod
    def in_memory(cls, entries: list[KeyEntry | dict[str, Any]] | None = None) -> Keyring:
        """A keyring that is never saved (e.g. the demo's own partner keys)."""
        return cls([e if isinstance(e, KeyEntry) else _entry(e, None) for e in entries or []], None)

    # queries
    def entries(self) -> list[KeyEntry]:
        return sorted(self._entries.values(), key=lambda e: (e.added_utc or "", e.key_id))

    def lookup(self, kid: str) -> KeyEntry | None:
        return self._entries.get(kid.lower())

    def resolve(self, kid: str) -> KeyEntry:
        """An entry by full key id or an unambiguous prefix of at least 8 hex digits."""
        kid = kid.strip().lower()
        if kid in self._entries:
            return self._entries[kid]
        if len(kid) >= 8:
            hits = [e for k, e in self._entries.items() if k.startswith(kid)]
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                raise KeyProblem(f"key id prefix {kid} matches {len(hits)} keys; give more digits")
        raise KeyProblem(f"no key {kid} in the keyring")

    def is_trusted(self, kid: str) -> bool:
        e = self.lookup(kid)
        return e is not None and not e.revoked

    # changes
    def trust(self, pubkey: str | os.PathLike | bytes, name: str, country: str | None = None,
              rename: bool = False) -> KeyEntry:
        """Trust a public key (base64 raw, a file with it, a PEM file, or the raw bytes).  A key
        trusted already keeps its name and country unless ``rename``: the name is who its bundles
        are recorded as signed by."""
        raw = pubkey if isinstance(pubkey, bytes) else load_public_key(pubkey)
        if len(raw) != 32:
            raise KeyProblem("an Ed25519 public key has 32 bytes")
        if not name or not name.strip():
            raise KeyProblem("a trusted key needs a name (the partner agency)")
        if country is not None:
            from .bundle import is_country_or_org

            country = country.strip().upper()
            if not is_country_or_org(country):
                raise KeyProblem(f"country {country!r} is not an ISO 3166-1 alpha-2 code "
                                "or INTERPOL/EUROPOL/ASEANAPOL")
        kid = key_id(raw)
        old = self._entries.get(kid)
        if old is not None and old.revoked:
            raise KeyProblem(f"key {kid} ({old.name}) was revoked on {old.revoked_utc}; "
                            "a revoked key cannot be trusted again")
        if old is not None and (old.name, old.country) != (name.strip(), country) and not rename:
            raise KeyProblem(f"key {kid} is trusted already as {old.name}"
                             f"{' (' + old.country + ')' if old.country else ''}; to call it {name.strip()}"
                             f"{' (' + country + ')' if country else ''} instead, trust it again with --rename")
        entry = KeyEntry(kid, b64(raw), name.strip(), country,
                         old.added_utc if old else _now_utc(), None)
        self._entries[kid] = entry
        self.save()
        log.info("trusted key %s (%s, %s)", kid, entry.name, country)
        return entry

    def revoke(self, kid: str) -> KeyEntry:
        entry = self.resolve(kid)
        if not entry.revoked:
            entry.revoked_utc = _now_utc()
            self.save()
            log.info("revoked key %s (%s)", entry.key_id, entry.name)
        return entry

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        body = json.dumps({"format": KEYRING_FORMAT, "keys": [e.to_json() for e in self.entries()]},
                          indent=2, ensure_ascii=False)
        # The keyring decides whose bundles are trusted: only its owner may write (or read) it,
        # whatever the umask, as for a private key file.
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, 0o600)
            os.write(fd, (body + "\n").encode("utf-8"))
        finally:
            os.close(fd)
        os.replace(tmp, self.path)


def _entry(d: Any, path: Path | None) -> KeyEntry:
    where = f"keyring {path}" if path else "keyring"
    if not isinstance(d, dict) or not isinstance(d.get("public_key"), str) or not d.get("name"):
        raise KeyProblem(f"{where}: an entry lacks public_key or name: {d!r}")
    raw = public_raw_from_b64(d["public_key"])
    kid = key_id(raw)
    if d.get("key_id") and str(d["key_id"]).lower() != kid:
        raise KeyProblem(f"{where}: entry {d.get('name')!r} has key_id {d['key_id']} but its "
                        f"public key hashes to {kid}")
    return KeyEntry(kid, b64(raw), str(d["name"]), d.get("country"), d.get("added_utc"),
                    d.get("revoked_utc"))
