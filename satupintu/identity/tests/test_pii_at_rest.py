"""Personal data at rest: key rotation, index-key rotation, masked logs, private files."""

from __future__ import annotations

import base64
import io
import logging
import os
import stat
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.test import Client, override_settings

from satupintu.core import crypto
from satupintu.identity.models import OneTimeCode, Person
from satupintu.identity.tests.access_matrix import synthetic_nik

KEY_A = "ka:" + base64.b64encode(b"A" * 32).decode()
KEY_B = "kb:" + base64.b64encode(b"B" * 32).decode()
INDEX_OLD = base64.b64encode(b"old-index-key-0123456789abcdefgh").decode()
INDEX_NEW = base64.b64encode(b"new-index-key-0123456789abcdefgh").decode()


def _person(nik: str, kk: str = "") -> Person:
    p = Person(full_name="Uji Rotasi", birth_date=date(1990, 1, 2))
    p.set_nik(nik)
    if kk:
        p.set_kk_number(kk)
    p.save()
    return p


def test_decrypt_with_an_old_key_works_until_rotated_then_rotation_reencrypts(db, settings):
    settings.PII_KEYS = KEY_A
    nik, kk = synthetic_nik(), "3671010101900001"
    people = [_person(synthetic_nik()) for _ in range(4)] + [_person(nik, kk)]
    assert all(crypto.key_id_of(p.nik_encrypted) == "ka" for p in people)

    settings.PII_KEYS = f"{KEY_B},{KEY_A}"  # new key first, old one kept
    fresh = Person.objects.get(pk=people[-1].pk)
    assert fresh.nik == nik and fresh.kk_number == kk  # old key id still decrypts
    out = io.StringIO()
    call_command("rotate_pii_keys", "--batch-size", "2", stdout=out)
    assert "identity.Person.nik_encrypted: re-encrypted 5, remaining 0 (key kb)" in out.getvalue()
    assert "identity.Person.kk_encrypted: re-encrypted 1, remaining 0" in out.getvalue()
    fresh = Person.objects.get(pk=people[-1].pk)
    assert crypto.key_id_of(fresh.nik_encrypted) == "kb" and crypto.key_id_of(fresh.kk_encrypted) == "kb"

    settings.PII_KEYS = KEY_B  # old key dropped after rotation: everything still readable
    assert Person.objects.get(pk=people[-1].pk).nik == nik
    again = io.StringIO()
    call_command("rotate_pii_keys", stdout=again)  # resumable / idempotent: nothing left to do
    assert "re-encrypted 0, remaining 0" in again.getvalue()


def test_a_row_sealed_with_a_removed_key_is_reported_not_silently_lost(db, settings):
    settings.PII_KEYS = KEY_A
    p = _person(synthetic_nik())
    settings.PII_KEYS = KEY_B
    with pytest.raises(Exception, match="no PII key with id 'ka'"):
        Person.objects.get(pk=p.pk).nik


def test_reindex_maps_blind_index_to_the_new_key(db, settings, monkeypatch):
    settings.PII_INDEX_KEY = INDEX_OLD
    nik = synthetic_nik()
    p = _person(nik)
    from django.utils import timezone

    otp = OneTimeCode.objects.create(purpose="signup", destination_index="x", channel="sms", prefix="SP",
                                     code_hash="h", nik_index=p.nik_index, expires_at=timezone.now())
    settings.PII_INDEX_KEY = INDEX_NEW
    assert not Person.objects.filter(nik_index=crypto.blind_index(nik, context="nik")).exists()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="PII_INDEX_KEY_OLD"):
        call_command("rotate_pii_keys", "--reindex", stdout=io.StringIO())
    monkeypatch.setenv("PII_INDEX_KEY_OLD", INDEX_OLD)
    out = io.StringIO()
    call_command("rotate_pii_keys", "--reindex", stdout=out)
    assert "identity.Person.nik_index: re-indexed 1" in out.getvalue()
    assert "identity.OneTimeCode.nik_index: re-indexed 1" in out.getvalue()
    new_index = crypto.blind_index(nik, context="nik")
    assert Person.objects.get(pk=p.pk).nik_index == new_index
    otp.refresh_from_db()
    assert otp.nik_index == new_index
    out = io.StringIO()
    call_command("rotate_pii_keys", "--reindex", stdout=out)  # second run: already current
    assert "re-indexed 0, already current 1" in out.getvalue()


def test_index_key_must_not_be_the_secret_key(settings):
    settings.PII_INDEX_KEY = base64.b64encode(settings.SECRET_KEY.encode()).decode()
    with pytest.raises(Exception, match="must differ from SECRET_KEY"):
        crypto.blind_index("3671010101900001", context="nik")


# --------------------------------------------------------------------------- logs

def _console_handlers(logger_name: str) -> list[logging.Handler]:
    """Every handler a record on this logger reaches (walking propagation as logging does)."""
    handlers, logger = [], logging.getLogger(logger_name)
    while logger:
        handlers.extend(logger.handlers)
        if not logger.propagate:
            break
        logger = logger.parent
    return handlers


@pytest.fixture
def captured_logs():
    """Point every configured handler's stream at one buffer (the real handlers, filters and
    formatters from settings.LOGGING stay in place)."""
    buffer = io.StringIO()
    swapped = []
    for name in ["", "django", "django.request", "django.server", "satupintu"]:
        for handler in _console_handlers(name):
            if isinstance(handler, logging.StreamHandler) and handler not in [h for h, _s in swapped]:
                swapped.append((handler, handler.setStream(buffer)))
    yield buffer
    for handler, stream in swapped:
        handler.setStream(stream)


def test_every_handler_django_uses_masks_niks():
    for name in ["", "django", "django.request", "django.server", "django.security"]:
        handlers = _console_handlers(name)
        assert handlers, name
        for handler in handlers:
            if type(handler).__module__.startswith("_pytest"):
                continue  # pytest's capture, not part of the application
            assert any(type(f).__name__ == "MaskPIIFilter" for f in handler.filters), (name, handler)


def test_nik_is_masked_in_messages_args_and_tracebacks(captured_logs):
    nik = "3671014507900003"
    log = logging.getLogger("satupintu.identity")
    log.warning("lookup for %s failed", nik)
    log.warning(f"plain {nik} in message")
    try:
        raise ValueError(f"bad NIK {nik}")
    except ValueError:
        log.exception("while checking")
    output = captured_logs.getvalue()
    assert "3671********0003" in output
    assert "ValueError: bad NIK 3671********0003" in output
    assert nik not in output


@override_settings(DEBUG=False, DEBUG_PROPAGATE_EXCEPTIONS=False)
def test_django_request_logger_masks_a_nik_in_a_failing_request(db, captured_logs):
    nik = "3671014507900003"
    client = Client(raise_request_exception=False)
    client.get(f"/petugas/warga/{nik}/")  # 404: logged by django.request as a warning
    from django.urls import path

    from satupintu.config import urls as root_urls

    def boom(request):
        raise RuntimeError(f"processing {request.GET.get('nik')}")

    root_urls.urlpatterns.insert(0, path("__boom__/", boom))
    try:
        from django.urls import clear_url_caches

        clear_url_caches()
        response = client.get(f"/__boom__/?nik={nik}")
        assert response.status_code == 500
    finally:
        root_urls.urlpatterns.pop(0)
        clear_url_caches()
    output = captured_logs.getvalue()
    assert "Internal Server Error: /__boom__/" in output
    assert "RuntimeError: processing 3671********0003" in output
    assert nik not in output


# --------------------------------------------------------------------------- files

def test_documents_and_exports_are_never_world_readable(settings, tmp_path):
    # the production settings themselves (the test fixture overrides STORAGES for isolation)
    from importlib import reload

    import satupintu.config.settings as settings_module

    reload(settings_module)
    production_opts = settings_module.STORAGES["default"]["OPTIONS"]
    assert production_opts["file_permissions_mode"] == 0o600
    assert production_opts["directory_permissions_mode"] == 0o700
    assert settings_module.FILE_UPLOAD_PERMISSIONS == 0o600
    assert settings_module.FILE_UPLOAD_DIRECTORY_PERMISSIONS == 0o700
    old_umask = os.umask(0o022)  # a permissive umask must not matter
    try:
        storage = FileSystemStorage(location=tmp_path / "private", **{
            k: v for k, v in production_opts.items() if k != "location"})
        name = storage.save("permohonan/2026/ktp.pdf", ContentFile(b"%PDF-1.4 demo"))
    finally:
        os.umask(old_umask)
    file_mode = stat.S_IMODE(os.stat(storage.path(name)).st_mode)
    dir_mode = stat.S_IMODE(os.stat(os.path.dirname(storage.path(name))).st_mode)
    assert file_mode == 0o600, oct(file_mode)
    assert dir_mode == 0o700, oct(dir_mode)
