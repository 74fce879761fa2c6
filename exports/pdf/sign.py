"""PAdES signature of a dossier, so the recipient can prove it was not altered.

The signing key is the unit's Ed25519 key (``workstation.keys``, the key that signs its
bundles).  PDF signatures need an X.509 certificate: one is derived from the key, self-signed,
naming the producing unit; its key id (SHA-256 of the raw public key, as in lintas-bundle/1)
is in the certificate's subject, so a recipient who trusts the unit's bundle key can check the
dossier with the same key.  Signed with pyHanko (PAdES baseline B-B, detached CMS).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from pathlib import Path

from workstation import keys

log = logging.getLogger(__name__)


def certificate_for(private_key, unit: str, stamp: dt.datetime):
    """A self-signed certificate for the unit's Ed25519 key (cryptography objects)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.x509.oid import NameOID

    raw = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    kid = keys.key_id(raw)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, (unit or "Lintas unit")[:64]),
                      x509.NameAttribute(NameOID.SERIAL_NUMBER, kid[:64])])
    start = stamp.replace(tzinfo=None) - dt.timedelta(days=1)
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(private_key.public_key())
            .serial_number(int(kid[:30], 16))
            .not_valid_before(start).not_valid_after(start + dt.timedelta(days=3 * 365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(private_key, None))


def sign_pdf(pdf: bytes, key_file: Path, unit: str, stamp: dt.datetime) -> bytes:
    """The PDF with a PAdES signature made with the unit's key."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key = keys.load_private_key(key_file)
    cert = certificate_for(key, unit, stamp)
    a_cert = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    a_key = asn1_keys.PrivateKeyInfo.load(key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    signer = signers.SimpleSigner(signing_cert=a_cert, signing_key=a_key,
                                  cert_registry=SimpleCertificateStore.from_certs([a_cert]))
    w = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(field_name="LintasDossier", subfilter=fields.SigSeedSubFilter.PADES,
                                        reason="Lintas case dossier: integrity of the released content",
                                        location=unit or None, md_algorithm="sha512")
    out = io.BytesIO()
    signers.PdfSigner(meta, signer=signer).sign_pdf(w, output=out)
    return out.getvalue()


def verify_pdf(pdf: bytes) -> dict:
    """Check the dossier's signature offline: intact, and by which key."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    r = PdfFileReader(io.BytesIO(pdf))
    if not r.embedded_signatures:
        return {"signed": False}
    sig = r.embedded_signatures[0]
    # the certificate is the unit's own: whether to trust its key is the recipient's call
    # (compare key_id with the unit's bundle key); here: is the file as the key signed it?
    status = validate_pdf_signature(sig, ValidationContext(trust_roots=[sig.signer_cert]))
    subject = sig.signer_cert.subject.native
    return {"signed": True, "intact": bool(status.intact and status.valid), "coverage": str(status.coverage),
            "signer": subject.get("common_name"), "key_id": subject.get("serial_number")}
