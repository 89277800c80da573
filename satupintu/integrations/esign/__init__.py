"""Electronic signature (PAdES) for documents SatuPintu issues.

One interface, two backends:

- `demo`: makes its own demo CA and signing certificate on first use (``cryptography``),
  kept under ``ESIGN_DEMO_DIR`` (default ``var/private/esign``) with mode 0600. Never
  trusted by anyone outside this installation; refused in production.
- `pkcs12`: a certificate from configuration — e.g. one issued by BSrE (Balai Sertifikasi
  Elektronik) — given as ``ESIGN_PKCS12_FILE`` + ``ESIGN_PKCS12_PASSWORD``. Fails fast when
  selected without them.

This package never imports domain apps (architecture: integrations stand alone).
"""

from satupintu.integrations.esign.client import (  # noqa: F401
    DemoSigner,
    Pkcs12Signer,
    SignatureCheck,
    Signer,
    get_signer,
    validate_pdf,
)
from satupintu.integrations.esign.errors import EsignError  # noqa: F401
