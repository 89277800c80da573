"""WhatsApp business messaging adapter (HTTP, in the style of Indonesian WhatsApp BSP APIs,
which follow the WhatsApp Cloud API message shape)."""

from satupintu.integrations.whatsapp.client import WhatsAppClient
from satupintu.integrations.whatsapp.fake import FakeWhatsAppClient

__all__ = ["WhatsAppClient", "FakeWhatsAppClient"]
