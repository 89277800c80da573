"""E-mail adapter: real SMTP through Django's mail API (EMAIL_HOST / EMAIL_PORT)."""

from satupintu.integrations.email.client import EmailClient, message_id_for
from satupintu.integrations.email.fake import FakeEmailClient

__all__ = ["EmailClient", "FakeEmailClient", "message_id_for"]
