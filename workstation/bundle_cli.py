"""``lintas bundle …`` and ``lintas keys …``: thin commands over bundle.py and keys.py.

Exit codes: 0 valid / done, 1 invalid bundle or refused operation.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from . import bundle, keys
from .cli import emit, progress_bar


def _problem_lines(problems) -> str:
    return "\n".join(f"  - {p}" for p in problems)


# -- bundle -------------------------------------------------------------------
def cmd_bundle_verify(a) -> int:
    bar = progress_bar()
    try:
        report = bundle.verify(a.bundle, trust_once=a.trust_once, allow_unsigned=a.allow_unsigned,
                               progress=bar)
    finally:
        bar.close()
    data = report.to_json()

    def text() -> str:
        lines = [f"{Path(a.bundle).name}: {'VALID' if report.valid else 'INVALID'}"]
        if data["format"]:
            lines.append(f"  format    {data['format']}  bundle_id {data['bundle_id']}")
        if data["title"]:
            lines.append(f"  title     {data['title']}")
        prod = data["producer"] if isinstance(data["producer"], dict) else {}
        if prod:
            lines.append("  producer  " + " / ".join(str(prod[k]) for k in ("agency", "unit", "country")
                                                     if prod.get(k)))
        h = data["handling"] if isinstance(data["handling"], dict) else {}
        if h:
            lines.append(f"  handling  TLP:{h.get('tlp')}  releasable to "
                         f"{', '.join(map(str, h.get('releasable_to') or [])) or '-'}")
            if h.get("legal_basis"):
                lines.append(f"            legal basis: {h['legal_basis']}")
        s = data["signer"]
        if s:
            who = f" ({s['name']})" if s.get("name") else ""
            lines.append(f"  signer    {s['key_id']}{who} {'trusted' if s['trusted'] else 'NOT trusted'}")
        else:
            lines.append("  signer    none (unsigned or unreadable signature)")
        for f in data["files"]:
            lines.append(f"  {f['status']:<13} {f['path']} ({f['kind'] or f['role']}, {f['bytes']} bytes)")
        lines += [f"  warning: {w}" for w in report.warnings]
        if report.problems:
            lines.append(f"{len(report.problems)} problem(s):")
            lines.append(_problem_lines(report.problems))
        return "\n".join(lines)

    emit(data, a.json, text)
    return 0 if report.valid else 1


def cmd_bundle_pack(a) -> int:
    bar = progress_bar()
    try:
        out = bundle.pack(a.directory, a.out, sign_key=a.sign, progress=bar, compress=not a.store)
    finally:
        bar.close()
    report = bundle.verify(out, allow_unsigned=True, trust_once=True)
    data = {"bundle": str(out), "bundle_id": report.to_json()["bundle_id"],
            "signer": report.signer, "files": report.files}
    emit(data, a.json, lambda: f"packed {out} ({len(report.files)} files, "
                               f"{'signed by ' + report.signer['key_id'] if report.signer else 'unsigned'})")
    return 0


# -- keys ---------------------------------------------------------------------
def cmd_keys_new(a) -> int:
    if a.country and not bundle.is_country_or_org(a.country.strip().upper()):
        # checked before the key file is written, so a typo leaves nothing behind
        raise keys.KeyProblem(f"country {a.country!r} is not an ISO 3166-1 alpha-2 code "
                              "or INTERPOL/EUROPOL/ASEANAPOL")
    kid, pub = keys.new_key(a.name, a.out)
    entry = None
    if not a.no_trust:
        entry = keys.Keyring.load().trust(pub, a.name, a.country)
    data = {"key_id": kid, "public_key": pub, "name": a.name, "private_key_file": str(a.out),
            "public_key_file": f"{a.out}.pub", "trusted": entry is not None}
    emit(data, a.json, lambda: "\n".join([
        f"private key  {a.out} (readable only by you; keep it secret)",
        f"public key   {pub}  (also in {a.out}.pub: give this to partners)",
        f"key id       {kid}",
        "trusted in your keyring" if entry else "not added to your keyring"]))
    return 0


def cmd_keys_trust(a) -> int:
    entry = keys.Keyring.load().trust(a.pubkey, a.name, a.country, rename=a.rename)
    emit(entry.to_json(), a.json, f"trusted {entry.key_id} ({entry.name}"
                                  f"{', ' + entry.country if entry.country else ''})")
    return 0


def cmd_keys_list(a) -> int:
    entries = keys.Keyring.load().entries()

    def text() -> str:
        if not entries:
            return "(no keys in the keyring)"
        return "\n".join(f"{e.key_id}  {'REVOKED ' + e.revoked_utc if e.revoked else 'trusted':<28} "
                         f"{e.country or '--':<9} {e.name}" for e in entries)

    emit([e.to_json() for e in entries], a.json, text)
    return 0


def cmd_keys_revoke(a) -> int:
    entry = keys.Keyring.load().revoke(a.key_id)
    emit(entry.to_json(), a.json, f"revoked {entry.key_id} ({entry.name}) on {entry.revoked_utc}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p_bundle = sub.add_parser("bundle", help="verify or pack lintas-bundle/1 evidence bundles")
    bsub = p_bundle.add_subparsers(dest="bundle_cmd", required=True, metavar="COMMAND")
    p = bsub.add_parser("verify", help="check a bundle's manifest, files, hashes and signature; "
                                       "exit 0 valid, 1 invalid")
    p.add_argument("bundle", help="the bundle: a .zip file or a directory")
    p.add_argument("--trust-once", action="store_true",
                   help="judge a signature by a key not in the keyring as acceptable (as an import would "
                        "with --trust-once)")
    p.add_argument("--allow-unsigned", action="store_true",
                   help="judge a bundle without manifest.sig as acceptable (as an import would with "
                        "--allow-unsigned)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_bundle_verify)
    p = bsub.add_parser("pack", help="complete a directory's partial manifest.json and write a bundle")
    p.add_argument("directory", help="directory holding a partial manifest.json and the data files")
    p.add_argument("--out", required=True,
                   help="the bundle to write: BUNDLE.zip, or a directory name for a directory bundle")
    p.add_argument("--sign", metavar="KEYFILE", help="sign the manifest with this private key file")
    p.add_argument("--store", action="store_true", help="store files uncompressed in the ZIP")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_bundle_pack)

    p_keys = sub.add_parser("keys", help="signing keys and the keyring of trusted partner keys")
    ksub = p_keys.add_subparsers(dest="keys_cmd", required=True, metavar="COMMAND")
    p = ksub.add_parser("new", help="create an Ed25519 signing key (private key file readable only by you)")
    p.add_argument("name", help="whose key it is, e.g. 'Polres Bontang, Satreskrim'")
    p.add_argument("--out", required=True, help="the private key file to write (PEM); KEYFILE.pub gets "
                                                "the public key")
    p.add_argument("--country", help="country of the key's owner (ISO alpha-2), recorded in the keyring")
    p.add_argument("--no-trust", action="store_true", help="do not add the new key to your keyring")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_keys_new)
    p = ksub.add_parser("trust", help="trust a partner's public key")
    p.add_argument("pubkey", help="the public key: base64 text, a file holding it, or a PEM file")
    p.add_argument("--name", required=True, help="the partner, e.g. 'Royal Malaysia Police'")
    p.add_argument("--country", help="the partner's country (ISO alpha-2) or INTERPOL/EUROPOL/ASEANAPOL")
    p.add_argument("--rename", action="store_true",
                   help="a key trusted already takes this name and country (else it is refused)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_keys_trust)
    p = ksub.add_parser("list", help="list the keys in your keyring")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_keys_list)
    p = ksub.add_parser("revoke", help="revoke a key: bundles it signed are refused from now on")
    p.add_argument("key_id", help="the key id (or an unambiguous prefix of at least 8 digits)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_keys_revoke)
