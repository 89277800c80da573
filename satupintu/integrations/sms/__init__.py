"""SMS gateway adapter (HTTP, in the style of Indonesian SMS gateway APIs).

    from satupintu.integrations.sms import SmsClient
    SmsClient.from_settings().send(OutboundMessage(to="+6281234567890", body="...", idempotency_key="..."))
"""

from satupintu.integrations.sms.client import SmsClient
from satupintu.integrations.sms.fake import FakeSmsClient

__all__ = ["SmsClient", "FakeSmsClient"]
