"""PAdES signing with pyHanko and validation against configured trust roots."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Protocol

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from satupintu.integrations.esign.errors import EsignError

SIGNATURE_FIELD = "SatuPintuSignature"


class Signer(Protocol):
    name: str

    def sign_pdf(self, pdf: bytes, *, reason: str, location: str) -> bytes: ...

    def trust_roots(self) -> list[asn1_x509.Certificate]: ...


def _outside_event_loop(fn, *args, **kwargs):
    """pyHanko's sync API calls asyncio.run(); under a running loop (ASGI, Playwright's
    sync API in tests) that is refused, so run it in a worker thread there."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


def _pades_sign(pyhanko_signer, pdf: bytes, *, reason: str, location: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
    )
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
        out = _outside_event_loop(signers.sign_pdf, writer, meta, signer=pyhanko_signer)
    except Exception as exc:  # pyHanko raises many types; all mean "this PDF was not signed"
        raise EsignError(f"PAdES signing failed: {exc}") from exc
    return out.getvalue()


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(path, 0o600)


class DemoSigner:
    """A demo CA ("SatuPintu Demo CA") and a signing certificate it issued, made once."""

    name = "demo"

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.ca_path = self.directory / "demo-ca.pem"
        self.cert_path = self.directory / "demo-signer.pem"
        self.key_path = self.directory / "demo-signer.key"
        if not (self.ca_path.exists() and self.cert_path.exists() and self.key_path.exists()):
            self._generate()

    def _generate(self) -> None:
        now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
        ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        ca_name = x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "SatuPintu (demo)"),
            x509.NameAttribute(NameOID.COMMON_NAME, "SatuPintu Demo CA - BUKAN UNTUK PRODUKSI"),
        ])
        ca_cert = (
            x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
            .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256())
        )
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        subject = x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "SatuPintu (demo)"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Penandatangan Demo SatuPintu"),
        ])
        cert = (
            x509.CertificateBuilder().subject_name(subject).issuer_name(ca_name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + dt.timedelta(days=1825))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256())
        )
        pem = serialization.Encoding.PEM
        _write_private(self.ca_path, ca_cert.public_bytes(pem))
        _write_private(self.cert_path, cert.public_bytes(pem))
        _write_private(self.key_path, key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                                        serialization.NoEncryption()))
        # the CA key is not kept: nothing more is ever issued from the demo CA

    def _signer(self):
        from pyhanko.sign import signers

        signer = signers.SimpleSigner.load(str(self.key_path), str(self.cert_path), ca_chain_files=(str(self.ca_path),))
        if signer is None:
            raise EsignError("demo signing key could not be loaded")
        return signer

    def sign_pdf(self, pdf: bytes, *, reason: str, location: str) -> bytes:
        return _pades_sign(self._signer(), pdf, reason=reason, location=location)

    def trust_roots(self) -> list[asn1_x509.Certificate]:
        from pyhanko.keys import load_cert_from_pemder

        return [load_cert_from_pemder(str(self.ca_path))]


class Pkcs12Signer:
    """A signing certificate from configuration (e.g. issued by BSrE) as PKCS#12."""

    name = "pkcs12"

    def __init__(self, path: str, password: str, extra_roots: list[str] | None = None) -> None:
        if not path or not password:
            raise ImproperlyConfigured("ESIGN_BACKEND=pkcs12 needs ESIGN_PKCS12_FILE and ESIGN_PKCS12_PASSWORD")
        if not Path(path).is_file():
            raise ImproperlyConfigured(f"ESIGN_PKCS12_FILE {path!r} does not exist")
        from pyhanko.sign import signers

        self._pyhanko = signers.SimpleSigner.load_pkcs12(path, passphrase=password.encode())
        if self._pyhanko is None:
            raise ImproperlyConfigured("ESIGN_PKCS12_FILE could not be opened with ESIGN_PKCS12_PASSWORD")
        self._roots = extra_roots or []

    def sign_pdf(self, pdf: bytes, *, reason: str, location: str) -> bytes:
        return _pades_sign(self._pyhanko, pdf, reason=reason, location=location)

    def trust_roots(self) -> list[asn1_x509.Certificate]:
        from pyhanko.keys import load_cert_from_pemder

        return [load_cert_from_pemder(p) for p in self._roots]


@lru_cache(maxsize=4)
def _cached_signer(backend: str, demo_dir: str, pkcs12_file: str, pkcs12_password: str,
                   roots: tuple[str, ...], production: bool) -> Signer:
    if backend == "demo":
        if production:
            raise ImproperlyConfigured("ESIGN_BACKEND=demo is refused in production; use pkcs12 (e.g. BSrE)")
        return DemoSigner(Path(demo_dir))
    if backend == "pkcs12":
        return Pkcs12Signer(pkcs12_file, pkcs12_password, list(roots))
    raise ImproperlyConfigured(f"ESIGN_BACKEND must be demo or pkcs12, got {backend!r}")


def get_signer() -> Signer:
    """The configured signer; raises ImproperlyConfigured at once when it cannot work."""
    return _cached_signer(settings.ESIGN_BACKEND, str(settings.ESIGN_DEMO_DIR), settings.ESIGN_PKCS12_FILE,
                          settings.ESIGN_PKCS12_PASSWORD, tuple(settings.ESIGN_TRUST_ROOTS),
                          bool(getattr(settings, "PRODUCTION", False)))


@dataclass
class SignatureCheck:
    signed: bool
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    covers_whole_file: bool = False
    signer: str = ""
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.valid and self.trusted and self.covers_whole_file


def validate_pdf(pdf: bytes, trust_roots: list[asn1_x509.Certificate]) -> SignatureCheck:
    """Validate the last signature of `pdf` with pyHanko against `trust_roots`.
    `covers_whole_file` is false when bytes were appended after signing."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception as exc:  # unreadable PDF
        return SignatureCheck(signed=False, detail=f"unreadable: {exc}")
    if not signatures:
        return SignatureCheck(signed=False, detail="no signature")
    sig = signatures[-1]
    try:
        status = _outside_event_loop(validate_pdf_signature, sig,
                                     ValidationContext(trust_roots=trust_roots, allow_fetching=False))
    except Exception as exc:
        return SignatureCheck(signed=True, detail=f"validation error: {exc}")
    coverage = getattr(status, "coverage", None)
    whole = coverage is not None and coverage.name in ("ENTIRE_FILE",)
    return SignatureCheck(signed=True, intact=bool(status.intact), valid=bool(status.valid),
                          trusted=bool(status.trusted), covers_whole_file=whole,
                          signer=status.signing_cert.subject.human_friendly, detail=status.summary())
