from satupintu.integrations.messaging import FakeClient


class FakeEmailClient(FakeClient):
    def __init__(self) -> None:
        super().__init__("email")
