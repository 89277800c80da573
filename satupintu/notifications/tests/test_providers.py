"""The real adapters against the simulators over real sockets: accepted, deduplicated by the
idempotency key, and every failure classified as retryable or permanent."""

from __future__ import annotations

import socket
import uuid

import pytest

from satupintu.integrations.email import EmailClient, message_id_for
from satupintu.integrations.messaging import OutboundMessage, PermanentProviderError, RetryableProviderError
from satupintu.integrations.sms import SmsClient
from satupintu.integrations.whatsapp import WhatsAppClient
from tests.fixtures.notifications import sim_call, unique_phone


def message(to: str, body: str = "SatuPintu: uji", **extra) -> OutboundMessage:
    return OutboundMessage(to=to, body=body, idempotency_key=str(uuid.uuid4()), **extra)


@pytest.fixture
def sms(simulators, settings):
    url = simulators["sms"]
    sim_call(url, "/_control", {"outage": False, "delay": 0, "rate_limit": None, "fail_next": 0})
    yield url
    sim_call(url, "/_control", {"outage": False, "delay": 0, "rate_limit": None, "fail_next": 0})


@pytest.fixture
def whatsapp(simulators):
    return simulators["whatsapp"]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_sms_is_accepted_once_per_idempotency_key(sms, settings):
    client = SmsClient.from_settings()
    msg = message(unique_phone())
    first = client.send(msg)
    again = client.send(msg)  # e.g. a retry after the worker died before recording `sent`
    assert first.message_id.startswith("sms-") and not first.duplicate
    assert again.message_id == first.message_id and again.duplicate
    [stored] = sim_call(sms, f"/messages?to=%2B{msg.to[1:]}")["messages"]
    assert stored["text"] == msg.body and stored["submissions"] == 2
    assert stored["idempotency_key"] == msg.idempotency_key


def test_sms_failures_are_classified(sms, settings):
    client = SmsClient.from_settings()
    sim_call(sms, "/_control", {"rate_limit": 42})
    with pytest.raises(RetryableProviderError) as rate_limited:
        client.send(message(unique_phone()))
    assert rate_limited.value.code == "rate_limited" and rate_limited.value.retry_after == 42
    sim_call(sms, "/_control", {"rate_limit": None, "outage": True})
    with pytest.raises(RetryableProviderError, match="503"):
        client.send(message(unique_phone()))
    sim_call(sms, "/_control", {"outage": False})
    with pytest.raises(PermanentProviderError) as invalid:
        client.send(message("+6280012345678"))  # not a mobile prefix: the gateway refuses it
    assert invalid.value.code == "invalid_number"
    with pytest.raises(PermanentProviderError, match="E.164") as not_e164:
        client.send(message("0812345678"))  # not E.164: refused before any request
    assert not_e164.value.code == "invalid_number"
    with pytest.raises(PermanentProviderError, match="401"):
        SmsClient(base_url=sms, api_key="wrong").send(message(unique_phone()))
    with pytest.raises(RetryableProviderError, match="connection"):
        SmsClient(base_url=f"http://127.0.0.1:{closed_port()}", api_key="x").send(message(unique_phone()))


def test_sms_timeout_is_retryable_and_the_retry_is_not_delivered_twice(sms, settings):
    msg = message(unique_phone())
    sim_call(sms, "/_control", {"delay": 1.5})
    with pytest.raises(RetryableProviderError) as timeout:
        SmsClient(base_url=sms, api_key=settings.SMS_API_KEY, timeout=0.5).send(msg)
    assert timeout.value.code == "timeout"
    sim_call(sms, "/_control", {"delay": 0})
    result = SmsClient.from_settings().send(msg)
    assert result.duplicate
    assert len(sim_call(sms, f"/messages?idempotency_key={msg.idempotency_key}")["messages"]) == 1


def test_whatsapp_send_dedupe_and_errors(whatsapp, settings):
    client = WhatsAppClient.from_settings()
    msg = message(unique_phone())
    first = client.send(msg)
    assert first.message_id.startswith("wamid.") and client.send(msg).message_id == first.message_id
    [stored] = sim_call(whatsapp, f"/messages?idempotency_key={msg.idempotency_key}")["messages"]
    assert stored["to"] == msg.to and stored["submissions"] == 2
    with pytest.raises(PermanentProviderError) as no_wa:
        client.send(message("+6281234560000"))
    assert no_wa.value.code == "not_on_whatsapp"
    with pytest.raises(PermanentProviderError, match="401"):
        WhatsAppClient(base_url=whatsapp, api_key="wrong").send(message(unique_phone()))
    sim_call(whatsapp, "/_control", {"fail_next": 1})
    with pytest.raises(RetryableProviderError, match="503"):
        client.send(message(unique_phone()))


def test_email_over_real_smtp_with_a_stable_message_id(smtp_sink, settings):
    client = EmailClient.from_settings()
    msg = message("warga@example.id", body="Yth. Bapak/Ibu,\n\nSatuPintu: uji.\n", subject="Uji SatuPintu",
                  language="en")
    result = client.send(msg)
    assert result.message_id == message_id_for(msg.idempotency_key) == f"<{msg.idempotency_key}@satupintu.local>"
    client.send(msg)  # a resend after a crash carries the same Message-ID
    [stored] = sim_call(smtp_sink, f"/messages?message_id={result.message_id}")["messages"]
    assert stored["to"] == ["warga@example.id"] and stored["subject"] == "Uji SatuPintu"
    assert "SatuPintu: uji." in stored["body"] and stored["language"] == "en" and stored["submissions"] == 2


def test_email_failures_are_classified(smtp_sink, settings):
    client = EmailClient.from_settings()
    with pytest.raises(PermanentProviderError, match="550"):
        client.send(message("nobody@example.invalid", subject="x"))
    sim_call(smtp_sink, "/_control", {"mode": "tempfail"})
    try:
        with pytest.raises(RetryableProviderError, match="451"):
            client.send(message("warga@example.id", subject="x"))
        sim_call(smtp_sink, "/_control", {"mode": "permfail"})
        with pytest.raises(PermanentProviderError, match="554"):
            client.send(message("warga@example.id", subject="x"))
    finally:
        sim_call(smtp_sink, "/_control", {"mode": "ok"})
    with pytest.raises(RetryableProviderError, match="connection"):
        EmailClient(host="127.0.0.1", port=closed_port()).send(message("warga@example.id", subject="x"))
    with pytest.raises(PermanentProviderError):
        client.send(message("not an address", subject="x"))


def test_same_key_while_the_first_is_still_in_flight_is_retryable_not_a_second_message(sms, settings):
    import threading

    msg = message(unique_phone())
    sim_call(sms, "/_control", {"delay": 1.0})
    first: list = []
    thread = threading.Thread(target=lambda: first.append(SmsClient.from_settings().send(msg)))
    thread.start()
    try:
        import time

        time.sleep(0.3)  # the first request is accepted and waiting for its slow answer
        # the gateway already has the first answer stored, so the overlap is a replay, never a second message
        again = SmsClient(base_url=sms, api_key=settings.SMS_API_KEY).send(msg)
    finally:
        thread.join()
    assert again.duplicate and again.message_id == first[0].message_id
    assert len(sim_call(sms, f"/messages?idempotency_key={msg.idempotency_key}")["messages"]) == 1
