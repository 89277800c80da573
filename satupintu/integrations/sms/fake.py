from satupintu.integrations.messaging import FakeClient


class FakeSmsClient(FakeClient):
    def __init__(self) -> None:
        super().__init__("sms")
