"""Ed25519 keys, manifest signatures and the keyring; the `lintas keys` commands."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from workstation import bundle, keys
from workstation.paths import config_dir

FIX = Path(__file__).parent / "fixtures" / "bundles"


def test_new_key_is_private_and_its_id_is_the_sha256_of_the_raw_public_key(tmp_path):
    out = tmp_path / "unit.pem"
    kid, pub = keys.new_key("Polres Bontang", out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    key = serialization.load_pem_private_key(out.read_bytes(), password=None)
    assert isinstance(key, Ed25519PrivateKey)
    assert b"BEGIN PRIVATE KEY" in out.read_bytes()           # PKCS#8
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert pub == base64.b64encode(raw).decode() and kid == hashlib.sha256(raw).hexdigest()
    assert (tmp_path / "unit.pem.pub").read_text().strip() == pub
    with pytest.raises(keys.KeyProblem, match="already exists"):
        keys.new_key("again", out)


def test_new_key_ignores_a_lax_umask(tmp_path):
    old = os.umask(0)
    try:
        keys.new_key("x", tmp_path / "k.pem")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "k.pem").stat().st_mode) == 0o600


def test_public_key_in_every_accepted_form(tmp_path):
    kid, pub = keys.new_key("x", tmp_path / "k.pem")
    raw = base64.b64decode(pub)
    key = serialization.load_pem_private_key((tmp_path / "k.pem").read_bytes(), password=None)
    pem_pub = tmp_path / "k.pub.pem"
    pem_pub.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                      serialization.PublicFormat.SubjectPublicKeyInfo))
    assert keys.load_public_key(pub) == raw                           # base64 text
    assert keys.load_public_key(tmp_path / "k.pem.pub") == raw        # a file with base64
    assert keys.load_public_key(pem_pub) == raw                       # a PEM public key
    assert keys.load_public_key(tmp_path / "k.pem") == raw            # a PEM private key: its public half
    with pytest.raises(keys.KeyProblem, match="32 bytes"):
        keys.load_public_key(base64.b64encode(b"short").decode())
    with pytest.raises(keys.KeyProblem, match="neither a key file nor a base64"):
        keys.load_public_key(str(tmp_path / "missing.pub"))


def test_sign_and_check(tmp_path):
    kid, pub = keys.new_key("x", tmp_path / "k.pem")
    manifest = b'{"format": "lintas-bundle/1"}\n'
    sig = keys.sign_manifest(manifest, tmp_path / "k.pem")
    assert set(sig) == {"alg", "key_id", "public_key", "signature"} and sig["alg"] == "ed25519"
    assert sig["key_id"] == kid and sig["public_key"] == pub
    # an independent check with the library alone
    Ed25519PublicKey.from_public_bytes(base64.b64decode(pub)).verify(base64.b64decode(sig["signature"]),
                                                                     manifest)
    assert keys.check_signature(manifest, sig) == (kid, None)
    got_kid, why = keys.check_signature(manifest + b" ", sig)
    assert got_kid == kid and "does not match manifest.json" in why
    assert "alg: unsupported" in keys.check_signature(manifest, {**sig, "alg": "rsa"})[1]
    assert "signature: required field missing" in keys.check_signature(
        manifest, {k: v for k, v in sig.items() if k != "signature"})[1]
    assert "64 bytes" in keys.check_signature(manifest, {**sig, "signature": "AAAA"})[1]


def test_keyring_persists_trust_and_revocation():
    ring = keys.Keyring.load()
    assert ring.entries() == [] and ring.path == config_dir() / "keyring.json"
    pub = (FIX / "example_partner_my.pub").read_text().strip()
    e = ring.trust(pub, "Royal Malaysia Police", "my")
    assert e.country == "MY" and e.added_utc.endswith("Z") and e.revoked_utc is None
    again = keys.Keyring.load()
    assert [x.to_json() for x in again.entries()] == [e.to_json()]
    assert again.is_trusted(e.key_id)
    data = json.loads((config_dir() / "keyring.json").read_text())
    assert data["keys"][0] == {"key_id": e.key_id, "public_key": pub, "name": "Royal Malaysia Police",
                               "country": "MY", "added_utc": e.added_utc, "revoked_utc": None}
    revoked = again.revoke(e.key_id[:12])            # an unambiguous prefix
    assert revoked.revoked_utc is not None
    third = keys.Keyring.load()
    assert third.lookup(e.key_id).revoked and not third.is_trusted(e.key_id)
    with pytest.raises(keys.KeyProblem, match="revoked"):
        third.trust(pub, "Royal Malaysia Police", "MY")


def test_keyring_errors(tmp_path):
    ring = keys.Keyring.load()
    with pytest.raises(keys.KeyProblem, match="no key"):
        ring.revoke("deadbeefdeadbeef")
    with pytest.raises(keys.KeyProblem, match="not an ISO 3166-1"):
        ring.trust((FIX / "example_partner_my.pub"), "x", "Malaysia")
    with pytest.raises(keys.KeyProblem, match="needs a name"):
        ring.trust((FIX / "example_partner_my.pub"), " ", "MY")
    (config_dir() / "keyring.json").write_text("{not json")
    with pytest.raises(keys.KeyProblem, match="cannot be read"):
        keys.Keyring.load()
    (config_dir() / "keyring.json").write_text(json.dumps({"keys": [
        {"key_id": "00" * 32, "public_key": (FIX / "example_partner_my.pub").read_text().strip(),
         "name": "tampered"}]}))
    with pytest.raises(keys.KeyProblem, match="hashes to"):
        keys.Keyring.load()


def test_in_memory_keyring_never_touches_the_config_dir():
    ring = keys.Keyring.in_memory([{"public_key": (FIX / "example_partner_my.pub").read_text().strip(),
                                    "name": "Demo partner", "country": "MY"}])
    (e,) = ring.entries()
    ring.revoke(e.key_id)
    ring.trust((FIX / "signer_trusted.pem.pub"), "Other")
    assert not (config_dir() / "keyring.json").exists()


def test_revoked_key_refuses_bundles_it_signed(tmp_path):
    ring = keys.Keyring.in_memory()
    e = ring.trust(FIX / "signer_trusted.pem.pub", "Test partner", "MY")
    assert bundle.verify(FIX / "malformed" / "valid_signed.zip", keyring=ring).valid
    ring.revoke(e.key_id)
    r = bundle.verify(FIX / "malformed" / "valid_signed.zip", keyring=ring, trust_once=True)
    assert not r.valid and "revoked" in r.problems[0]["reason"]
    assert r.signer == {"key_id": e.key_id, "trusted": False, "name": "Test partner"}


def _lintas(capsys, *args) -> tuple[int, str, str]:
    """`lintas keys ...` in-process, errors reported as cli.main does (see test_bundle._lintas)."""
    import argparse

    from workstation import bundle_cli
    from workstation.errors import LintasError

    parser = argparse.ArgumentParser(prog="lintas")
    bundle_cli.register(parser.add_subparsers(dest="command"))
    a = parser.parse_args(args)
    try:
        rc = a.func(a)
    except LintasError as e:
        print(f"lintas: {e}", file=sys.stderr)
        rc = e.exit_code
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_a_trusted_key_keeps_its_name_unless_renamed(capsys):
    """The name is who its bundles are recorded as signed by: trusting the key again under
    another name is refused, unless asked for with --rename."""
    pub = str(FIX / "example_partner_my.pub")
    rc, stdout, _ = _lintas(capsys, "keys", "trust", pub, "--name", "Royal Malaysia Police", "--country", "MY")
    assert rc == 0
    rc, _, err = _lintas(capsys, "keys", "trust", pub, "--name", "Polis Diraja Malaysia", "--country", "MY")
    assert rc == 1 and "trusted already as Royal Malaysia Police (MY)" in err and "--rename" in err
    assert [e.name for e in keys.Keyring.load().entries()] == ["Royal Malaysia Police"]
    rc, _, _ = _lintas(capsys, "keys", "trust", pub, "--name", "Royal Malaysia Police", "--country", "MY")
    assert rc == 0                                    # the same trust again changes nothing
    rc, stdout, _ = _lintas(capsys, "keys", "trust", pub, "--name", "Polis Diraja Malaysia", "--country", "MY",
                            "--rename")
    assert rc == 0 and "Polis Diraja Malaysia" in stdout
    assert [e.name for e in keys.Keyring.load().entries()] == ["Polis Diraja Malaysia"]


def test_keys_cli(tmp_path, capsys):
    out = tmp_path / "mine.pem"
    rc, stdout, err = _lintas(capsys, "keys", "new", "Polres Bontang", "--out", str(out), "--country", "ID",
                              "--json")
    assert rc == 0, err
    made = json.loads(stdout)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert made["key_id"] == hashlib.sha256(base64.b64decode(made["public_key"])).hexdigest()
    rc, stdout, _ = _lintas(capsys, "keys", "trust", str(FIX / "example_partner_my.pub"), "--name",
                            "Royal Malaysia Police", "--country", "MY")
    assert rc == 0 and "trusted 56475aa7" in stdout
    rc, stdout, _ = _lintas(capsys, "keys", "list", "--json")
    listed = {e["name"]: e for e in json.loads(stdout)}
    assert set(listed) == {"Polres Bontang", "Royal Malaysia Police"}
    assert listed["Polres Bontang"]["key_id"] == made["key_id"] and listed["Polres Bontang"]["country"] == "ID"
    rc, stdout, _ = _lintas(capsys, "keys", "revoke", listed["Royal Malaysia Police"]["key_id"])
    assert rc == 0 and "revoked" in stdout
    rc, stdout, _ = _lintas(capsys, "keys", "list")
    assert "REVOKED" in stdout and "Royal Malaysia Police" in stdout
    rc, _, err = _lintas(capsys, "keys", "trust", "not-a-key", "--name", "x")
    assert rc == 1 and "base64" in err
    rc, _, err = _lintas(capsys, "keys", "new", "x", "--out", str(tmp_path / "x.pem"), "--country", "Malaysia")
    assert rc == 1 and "not an ISO 3166-1" in err and not (tmp_path / "x.pem").exists()


def test_keys_new_through_the_lintas_command(tmp_path):
    """The real entry point writes a 0600 key file and prints its id."""
    out = tmp_path / "k.pem"
    r = subprocess.run([sys.executable, "-m", "workstation.cli", "keys", "new", "Unit", "--out", str(out),
                        "--no-trust"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and "key id" in r.stdout
    assert not (config_dir() / "keyring.json").exists()
