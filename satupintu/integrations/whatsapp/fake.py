from satupintu.integrations.messaging import FakeClient


class FakeWhatsAppClient(FakeClient):
    def __init__(self) -> None:
        super().__init__("whatsapp")
