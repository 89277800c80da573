"""Citizen identity: sign-up verified against the population registry, one-time codes, login
throttling, password reset, family members and mandates, consents, "Data saya" and the record of
officers reading a citizen's data. Writes only; reads are in selectors.py.

Enumeration rule: nothing tells a person who has not proved an identity whether a NIK (or a phone or
e-mail) has an account. Before the registry confirms the claimed identity every answer is the same;
after it confirms, the person learns only *how to recover* the account, never its phone or e-mail.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import timedelta

import phonenumbers
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from satupintu.core.audit import audit_record
from satupintu.core.crypto import blind_index, decrypt, encrypt
from satupintu.core.errors import Conflict, DomainError, NotFound, RetryLater
from satupintu.identity.models import Consent, CorrectionRequest, Mandate, Membership, OneTimeCode, Person, User
from satupintu.identity.nik import nik_mask, nik_validate
from satupintu.integrations import dukcapil

# --------------------------------------------------------------------------- limits (see docs/adr/0031)
CODE_TTL = timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
RESEND_COOLDOWN = timedelta(seconds=60)
MAX_SENDS_PER_REQUEST = 5
WINDOW = timedelta(hours=1)
MAX_REQUESTS_PER_NIK = 5  # sign-up attempts per NIK per hour
MAX_REQUESTS_PER_IP = 20  # code requests (sign-up + reset) per IP per hour
MAX_REQUESTS_PER_DESTINATION = 5  # codes to one phone / e-mail per hour
LOGIN_MAX_FAILURES = 5  # per identifier per 15 minutes
LOGIN_MAX_FAILURES_PER_IP = 30
LOGIN_WINDOW_SECONDS = 15 * 60
PREFIX_ALPHABET = "ACDEFGHJKLMNPRTUVWXY"  # no I/O/B/S/Z: nothing that looks like a digit
CHILD_AGE_LIMIT = 17  # a KTP-el (and own account) from 17 years

OTP_TEMPLATE = "identity.otp"
ACCOUNT_EXISTS_TEMPLATE = "identity.account_exists"
PASSWORD_CHANGED_TEMPLATE = "identity.password_changed"  # noqa: S105 - a template name


class TooManyRequests(DomainError):
    status = 429


# --------------------------------------------------------------------------- small helpers

def phone_normalize(value: str, *, field_name: str = "phone") -> str:
    """An Indonesian mobile number in any common form ('0812-3456-7890', '62812…', '+62 812…') → E.164."""
    raw = text_clean(value)
    if not raw:
        raise DomainError(_("Isi nomor HP Anda, mis. 0812 3456 7890."), code="phone_required", field=field_name)
    try:
        number = phonenumbers.parse(raw, "ID")
    except phonenumbers.NumberParseException:
        raise DomainError(_("Nomor HP hanya berisi angka (boleh diawali +), mis. 0812 3456 7890."),
                          code="phone_invalid", field=field_name)
    if not phonenumbers.is_valid_number(number):
        digits = sum(ch.isdigit() for ch in raw)
        raise DomainError(_("Nomor HP %(raw)s tidak valid (%(digits)d angka). Nomor HP Indonesia diawali 08 dan "
                            "terdiri dari 10–13 angka, mis. 0812 3456 7890.") % {"raw": raw, "digits": digits},
                          code="phone_invalid", field=field_name)
    if phonenumbers.number_type(number) not in (phonenumbers.PhoneNumberType.MOBILE,
                                                phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise DomainError(_("%(raw)s bukan nomor HP. Kode dikirim lewat SMS atau WhatsApp, jadi masukkan nomor "
                            "HP (diawali 08).") % {"raw": raw}, code="phone_not_mobile", field=field_name)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def email_normalize(value: str, *, field_name: str = "email") -> str:
    value = text_clean(value).lower()
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        raise DomainError(_("Alamat e-mail %(value)s tidak valid; contoh yang benar: nama@contoh.id.")
                          % {"value": value}, code="email_invalid", field=field_name)
    return value


def text_clean(value: str, *, multiline: bool = False) -> str:
    """Drop control characters (PostgreSQL refuses NUL; nothing a person types needs the others)."""
    keep = "\n\t" if multiline else ""
    return "".join(ch for ch in (value or "") if ch in keep or (ord(ch) >= 32 and ord(ch) != 127)).strip()


NAME_ALLOWED_PUNCTUATION = " .,'-`’"


def name_clean(value: str, *, field_name: str = "full_name") -> str:
    name = " ".join(text_clean(value).split())
    if not name:
        raise DomainError(_("Isi nama lengkap Anda persis seperti di KTP-el."), code="name_required", field=field_name)
    bad = sorted({ch for ch in name if not (ch.isalpha() or ch in NAME_ALLOWED_PUNCTUATION)})
    if bad:
        raise DomainError(_("Nama hanya berisi huruf, spasi, dan tanda . , ' -; hapus %(chars)s.")
                          % {"chars": " ".join(f"“{c}”" for c in bad)}, code="name_invalid", field=field_name)
    if len(name) > 200:
        raise DomainError(_("Nama terlalu panjang (%(count)d karakter; paling banyak 200).") % {"count": len(name)},
                          code="name_too_long", field=field_name)
    return name


def login_identifier_normalize(value: str) -> str:
    """E-mail → lower case; a phone number → E.164 (or the text as typed if it is neither)."""
    value = text_clean(value)
    if "@" in value:
        return value.lower()
    try:
        return phone_normalize(value)
    except DomainError:
        return value


def _destination_index(destination: str) -> str:
    return blind_index(destination, context="otp-destination")


def _code_hash(otc_code, prefix: str, digits: str) -> str:
    return salted_hmac("identity.otp", f"{otc_code}:{prefix}:{digits}", algorithm="sha256").hexdigest()


def _seal(data: dict) -> str:
    return encrypt(json.dumps(data, default=str), context="pending-signup")


def _unseal(token: str) -> dict:
    return json.loads(decrypt(token, context="pending-signup"))


def _new_code() -> tuple[str, str]:
    prefix = "".join(secrets.choice(PREFIX_ALPHABET) for _ in range(2))
    digits = f"{secrets.randbelow(10**6):06d}"
    return prefix, digits


def code_split(value: str) -> tuple[str, str]:
    """'km-482 913' → ('KM', '482913'); '482913' → ('', '482913')."""
    cleaned = "".join(ch for ch in (value or "").upper() if ch.isalnum())
    prefix = "".join(ch for ch in cleaned if ch.isalpha())
    digits = "".join(ch for ch in cleaned if ch.isdigit())
    return prefix, digits


def _throttle(queryset, limit: int, message, code: str) -> None:
    if queryset.filter(created_at__gte=timezone.now() - WINDOW).count() >= limit:
        raise TooManyRequests(message, code=code)


def _limits(*, ip: str | None, nik_index: str = "", destination_index: str = "") -> None:
    recent = OneTimeCode.objects.all()
    if ip:
        _throttle(recent.filter(ip=ip), MAX_REQUESTS_PER_IP,
                  _("Terlalu banyak permintaan kode dari perangkat atau jaringan ini. Coba lagi dalam 1 jam."),
                  "too_many_requests_ip")
    if nik_index:
        _throttle(recent.filter(nik_index=nik_index), MAX_REQUESTS_PER_NIK,
                  _("Terlalu banyak percobaan pendaftaran untuk NIK ini. Coba lagi dalam 1 jam."),
                  "too_many_requests_nik")
    if destination_index:
        _throttle(recent.filter(destination_index=destination_index), MAX_REQUESTS_PER_DESTINATION,
                  _("Terlalu banyak kode dikirim ke nomor HP atau e-mail ini. Coba lagi dalam 1 jam."),
                  "too_many_requests_destination")


def _send_code(otc: OneTimeCode, destination: str, *, language: str = "id", user=None, person=None) -> None:
    """New prefix and digits on every send: an older message's code is recognised as old, never accepted."""
    old = otc.payload.get("old_prefixes", [])
    if otc.prefix:
        old = [*old, otc.prefix][-10:]
    prefix, digits = _new_code()
    while prefix in old:  # a new message never reuses a prefix of this request's earlier messages
        prefix, digits = _new_code()
    otc.prefix = prefix
    otc.code_hash = _code_hash(otc.code, prefix, digits)
    otc.expires_at = timezone.now() + CODE_TTL
    otc.attempts = 0
    otc.payload = {**otc.payload, "old_prefixes": old, "sent_at": timezone.now().isoformat(),
                   "sends": otc.payload.get("sends", 0) + 1}
    otc.save()
    from satupintu.notifications.services import notification_enqueue

    notification_enqueue(channel=otc.channel, destination=destination, template=OTP_TEMPLATE,
                         context={"code": f"{prefix}-{digits}", "prefix": prefix,
                                  "minutes": int(CODE_TTL.total_seconds() // 60), "purpose": otc.purpose},
                         language=language, user=user, person=person)


def _check_code(otc: OneTimeCode, value: str) -> None:
    """Raise a clear error for a wrong, old or expired code; count the attempt. Commits the count."""
    prefix, digits = code_split(value)
    if not digits:
        raise DomainError(_("Masukkan kode 6 angka dari pesan terbaru, mis. %(prefix)s-123456.")
                          % {"prefix": otc.prefix}, code="code_required", field="code")
    if otc.consumed_at is not None:
        raise DomainError(_("Kode ini sudah dipakai. Minta kode baru bila perlu."), code="code_used", field="code")
    if otc.attempts >= CODE_MAX_ATTEMPTS:
        raise TooManyRequests(_("Kode salah %(n)d kali. Minta kode baru.") % {"n": CODE_MAX_ATTEMPTS},
                              code="code_locked", field="code")
    if prefix and prefix != otc.prefix and prefix in otc.payload.get("old_prefixes", []):
        raise DomainError(_("Kode %(prefix)s-… berasal dari pesan lama. Gunakan kode di pesan terbaru, yang "
                            "berawalan %(current)s-.") % {"prefix": prefix, "current": otc.prefix},
                          code="code_old", field="code")
    if timezone.now() >= otc.expires_at:
        raise DomainError(_("Kode sudah kedaluwarsa (berlaku %(minutes)d menit). Minta kode baru.")
                          % {"minutes": int(CODE_TTL.total_seconds() // 60)}, code="code_expired", field="code")
    expected = otc.code_hash
    given = _code_hash(otc.code, otc.prefix, digits)
    if len(digits) != 6 or not hmac.compare_digest(expected, given):
        OneTimeCode.objects.filter(pk=otc.pk).update(attempts=otc.attempts + 1)
        left = CODE_MAX_ATTEMPTS - otc.attempts - 1
        if len(digits) != 6:
            message = _("Kode terdiri dari 6 angka; yang Anda masukkan %(count)d angka. Sisa percobaan: %(left)d.")
            raise DomainError(message % {"count": len(digits), "left": left}, code="code_wrong", field="code")
        raise DomainError(_("Kode salah. Periksa kode berawalan %(prefix)s- di pesan terbaru. Sisa percobaan: "
                            "%(left)d.") % {"prefix": otc.prefix, "left": left}, code="code_wrong", field="code")


def _pending(reference, purpose: str) -> OneTimeCode:
    try:
        return OneTimeCode.objects.get(code=reference, purpose=purpose)
    except (OneTimeCode.DoesNotExist, ValidationError, ValueError):
        raise NotFound(_("Permintaan ini tidak ditemukan atau sudah berakhir. Mulai lagi dari awal."))


# --------------------------------------------------------------------------- sign-up

@dataclass
class SignupResult:
    reference: str
    state: str  # "code_sent" | "registry_pending" | "account_exists"
    channel: str = ""
    retry_after: int | None = None


def _registry_claim(data: dict) -> dukcapil.IdentityClaim:
    return dukcapil.IdentityClaim(nik=data["nik"], name=data["full_name"],
                                  birth_date=dt.date.fromisoformat(data["birth_date"]),
                                  birth_place=data.get("birth_place", ""), mother_name=data.get("mother_name", ""))


def signup_start(*, nik: str, full_name: str, birth_date: dt.date, phone: str, password: str, email: str = "",
                 channel: str = "sms", birth_place: str = "", mother_name: str = "", consent: bool = False,
                 ip: str | None = None, language: str = "id") -> SignupResult:
    """Check the input, verify the claimed identity with the registry, and send a code.

    Registry down → the sign-up is kept (encrypted) as `registry_pending` and can be continued later with
    `signup_resume`; nothing is lost. No match → one answer whatever the reason (no enumeration)."""
    check = nik_validate(nik)
    nik = check.value
    full_name = name_clean(full_name)
    if birth_date is None:
        raise DomainError(_("Isi tanggal lahir Anda."), code="birth_date_required", field="birth_date")
    if check.birth_date != birth_date:
        raise DomainError(_("Tanggal lahir %(given)s tidak sesuai dengan NIK, yang mencatat %(nik_date)s. Periksa "
                            "kembali NIK atau tanggal lahir Anda.")
                          % {"given": birth_date.strftime("%d-%m-%Y"),
                             "nik_date": check.birth_date.strftime("%d-%m-%Y")},
                          code="birth_date_mismatch", field="birth_date")
    phone = phone_normalize(phone)
    email = email_normalize(email)
    if channel not in ("sms", "whatsapp", "email"):
        raise DomainError(_("Pilih cara menerima kode: SMS, WhatsApp, atau e-mail."), code="channel_invalid",
                          field="channel")
    if channel == "email" and not email:
        raise DomainError(_("Anda memilih menerima kode lewat e-mail; isi alamat e-mail Anda."),
                          code="email_required", field="email")
    try:
        validate_password(password, User(full_name=full_name, email=email or None, phone=phone))
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code="password_weak", field="password")
    if not consent:
        raise DomainError(_("Centang persetujuan agar kami dapat memeriksa data Anda ke Dukcapil; tanpa itu akun "
                            "tidak dapat dibuat."), code="consent_required", field="consent")

    destination = email if channel == "email" else phone
    nik_idx = blind_index(nik, context="nik")
    _limits(ip=ip, nik_index=nik_idx, destination_index=_destination_index(destination))
    data = {"nik": nik, "full_name": full_name, "birth_date": birth_date.isoformat(), "phone": phone,
            "email": email, "channel": channel, "birth_place": birth_place, "mother_name": mother_name,
            "password_hash": make_password(password), "sex": check.sex, "language": language}
    otc = OneTimeCode.objects.create(
        purpose=OneTimeCode.Purpose.SIGNUP, destination_index=_destination_index(destination), channel=channel,
        prefix="", code_hash="", nik_index=nik_idx, ip=ip, expires_at=timezone.now() + timedelta(days=7),
        payload={"state": "new", "sealed": _seal(data)},
    )
    return _signup_verify(otc)


def signup_resume(*, reference) -> SignupResult:
    """Continue a sign-up that waited for the registry."""
    otc = _pending(reference, OneTimeCode.Purpose.SIGNUP)
    if otc.consumed_at is not None or otc.payload.get("state") != "registry_pending":
        return SignupResult(reference=str(otc.code), state=otc.payload.get("state", "code_sent"), channel=otc.channel)
    return _signup_verify(otc)


def _signup_verify(otc: OneTimeCode) -> SignupResult:
    data = _unseal(otc.payload["sealed"])
    try:
        verification = dukcapil.get_client().verify(_registry_claim(data))
    except dukcapil.RegistryUnavailable as exc:
        otc.payload = {**otc.payload, "state": "registry_pending"}
        otc.save(update_fields=["payload"])
        audit_record(action="identity.signup_registry_pending", object_type="identity.onetimecode",
                     object_code=str(otc.code), data={"retry_after": exc.retry_after}, ip=otc.ip)
        return SignupResult(reference=str(otc.code), state="registry_pending", retry_after=exc.retry_after)
    except dukcapil.RegistryError:
        otc.payload = {**otc.payload, "state": "registry_pending"}
        otc.save(update_fields=["payload"])
        raise RetryLater(_("Layanan verifikasi Dukcapil sedang bermasalah. Data Anda tersimpan; coba lanjutkan "
                           "nanti."), code="registry_error")
    if not verification.matched:
        otc.consumed_at = timezone.now()
        otc.payload = {"state": "no_match"}  # nothing personal kept after a failed verification
        otc.save(update_fields=["consumed_at", "payload"])
        audit_record(action="identity.signup_no_match", object_type="identity.onetimecode",
                     object_code=str(otc.code), ip=otc.ip)
        raise DomainError(
            _("Data yang Anda masukkan tidak cocok dengan data kependudukan (Dukcapil). Periksa NIK, nama lengkap "
              "persis seperti di KTP-el (tanpa gelar), dan tanggal lahir, lalu coba lagi. Jika data Anda memang "
              "benar, hubungi Disdukcapil atau loket MPP."),
            code="registry_no_match", field="nik")
    existing = Person.objects.filter(nik_index=otc.nik_index, account__isnull=False).select_related("account").first()
    if existing is not None:
        # The registry confirmed the identity: tell how to recover, never where the account's contacts are.
        otc.consumed_at = timezone.now()
        otc.payload = {"state": "account_exists"}
        otc.save(update_fields=["consumed_at", "payload"])
        _notify_account_owner(existing.account, language=data.get("language", "id"))
        audit_record(action="identity.signup_account_exists", subject_person=str(existing.code),
                     object_type="identity.person", object_code=str(existing.code), ip=otc.ip)
        return SignupResult(reference=str(otc.code), state="account_exists")
    otc.payload = {**otc.payload, "state": "code_sent"}
    _send_code(otc, data["email"] if otc.channel == "email" else data["phone"], language=data.get("language", "id"))
    return SignupResult(reference=str(otc.code), state="code_sent", channel=otc.channel)


def _notify_account_owner(user: User, *, language: str = "id") -> None:
    from satupintu.notifications.services import notification_enqueue

    channel, destination = ("sms", user.phone) if user.phone else ("email", user.email)
    if destination:
        notification_enqueue(channel=channel, destination=destination, template=ACCOUNT_EXISTS_TEMPLATE,
                             context={"name": user.get_short_name()}, language=language, user=user)


def one_time_codes_purge(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Delete one-time codes (and the sealed pending sign-ups in them) that expired more than `older_than` ago.
    Limits count only the last hour, so nothing they need is lost. Run daily (`manage.py purge_one_time_codes`)."""
    deleted, _detail = OneTimeCode.objects.filter(expires_at__lt=timezone.now() - older_than).delete()
    return deleted


def destination_masked(otc: OneTimeCode) -> str:
    """Where the pending sign-up's code went, partly hidden ('0812****2222', 's***@contoh.id'): the person typed
    it themselves, this only helps them notice a typo."""
    if otc.purpose != OneTimeCode.Purpose.SIGNUP or "sealed" not in otc.payload:
        return ""
    data = _unseal(otc.payload["sealed"])
    if otc.channel == "email":
        local, _at, domain = data["email"].partition("@")
        return f"{local[:1]}***@{domain}"
    national = "0" + data["phone"][3:] if data["phone"].startswith("+62") else data["phone"]
    return f"{national[:4]}****{national[-4:]}"


def code_resend(*, reference, purpose: str = OneTimeCode.Purpose.SIGNUP, ip: str | None = None) -> OneTimeCode:
    """A new code (new prefix) for the same request, after a cool-down."""
    otc = _pending(reference, purpose)
    if otc.consumed_at is not None or otc.payload.get("state") not in ("code_sent", "reset"):
        raise DomainError(_("Permintaan ini sudah selesai atau belum siap menerima kode. Mulai lagi dari awal."),
                          code="code_not_pending")
    sent_at = dt.datetime.fromisoformat(otc.payload["sent_at"])
    wait = int((sent_at + RESEND_COOLDOWN - timezone.now()).total_seconds())
    if wait > 0:
        raise TooManyRequests(_("Tunggu %(seconds)d detik sebelum meminta kode baru.") % {"seconds": wait},
                              code="code_cooldown", details={"retry_after": wait})
    if otc.payload.get("sends", 0) >= MAX_SENDS_PER_REQUEST:
        raise TooManyRequests(_("Kode sudah dikirim %(n)d kali. Mulai lagi dari awal dalam 1 jam.")
                              % {"n": MAX_SENDS_PER_REQUEST}, code="code_too_many_sends")
    _limits(ip=ip)
    if purpose == OneTimeCode.Purpose.SIGNUP:
        data = _unseal(otc.payload["sealed"])
        destination = data["email"] if otc.channel == "email" else data["phone"]
        _send_code(otc, destination, language=data.get("language", "id"))
    else:
        user = User.objects.filter(pk=otc.payload.get("user_id")).first()
        if user is not None:
            _send_code(otc, user.email if otc.channel == "email" else user.phone, user=user)
        else:  # unknown identifier: same answer, nothing sent
            otc.prefix, _digits = _new_code()
            otc.payload = {**otc.payload, "sent_at": timezone.now().isoformat(),
                           "sends": otc.payload.get("sends", 0) + 1}
            otc.save()
    return otc


def signup_confirm(*, reference, code: str, ip: str | None = None) -> User:
    """Check the code, then create the account and the person record in one transaction."""
    otc = _pending(reference, OneTimeCode.Purpose.SIGNUP)
    if otc.payload.get("state") != "code_sent":
        raise DomainError(_("Permintaan ini tidak menunggu kode. Mulai lagi dari awal."), code="code_not_pending")
    _check_code(otc, code)
    data = _unseal(otc.payload["sealed"])
    with transaction.atomic():
        otc = OneTimeCode.objects.select_for_update().get(pk=otc.pk)
        if otc.consumed_at is not None:
            raise DomainError(_("Kode ini sudah dipakai."), code="code_used", field="code")
        if User.objects.filter(phone=data["phone"]).exists():
            raise Conflict(_("Nomor HP ini sudah dipakai akun lain. Masuk dengan nomor ini, atau daftar dengan "
                             "nomor HP lain."), code="phone_taken", field="phone")
        if data["email"] and User.objects.filter(email__iexact=data["email"]).exists():
            raise Conflict(_("Alamat e-mail ini sudah dipakai akun lain. Masuk dengan e-mail ini, atau daftar "
                             "dengan e-mail lain."), code="email_taken", field="email")
        person = Person.objects.select_for_update().filter(nik_index=otc.nik_index).first()
        if person is not None and person.account_id is not None:
            raise Conflict(_("NIK ini sudah memiliki akun. Gunakan 'Lupa kata sandi' dengan nomor HP atau e-mail "
                             "yang dulu didaftarkan, atau datang ke loket MPP dengan KTP-el."),
                           code="account_exists", field="nik")
        user = User(kind=User.Kind.CITIZEN, phone=data["phone"], email=data["email"] or None,
                    full_name=data["full_name"], preferred_language=data.get("language", "id"))
        user.password = data["password_hash"]
        try:
            user.save()
        except IntegrityError:
            raise Conflict(_("Nomor HP atau e-mail ini sudah dipakai akun lain."), code="contact_taken")
        if person is None:
            person = Person(full_name=data["full_name"], birth_date=dt.date.fromisoformat(data["birth_date"]))
            person.set_nik(data["nik"])
        person.account = user
        person.full_name = data["full_name"]
        person.sex = data.get("sex", "")
        person.birth_place = data.get("birth_place", "") or person.birth_place
        person.verified_at = timezone.now()
        person.verified_by = "dukcapil"
        person.preferred_channel = data["channel"]
        person.save()
        Consent.objects.create(person=person, purpose=Consent.Purpose.REGISTRY_VERIFICATION,
                               detail={"at_signup": True})
        Consent.objects.create(person=person, purpose=Consent.Purpose.NOTIFICATIONS,
                               detail={"channel": data["channel"]})
        otc.consumed_at = timezone.now()
        otc.payload = {"state": "done"}
        otc.save(update_fields=["consumed_at", "payload"])
        audit_record(action="identity.signup", actor=user, obj=person, subject_person=str(person.code), ip=ip,
                     data={"channel": data["channel"], "verified_by": "dukcapil"})
    return user


# --------------------------------------------------------------------------- login throttling

def _login_keys(identifier: str, ip: str | None) -> list[tuple[str, int]]:
    keys = [(f"identity:login-fail:id:{blind_index(identifier, context='login')}", LOGIN_MAX_FAILURES)]
    if ip:
        keys.append((f"identity:login-fail:ip:{ip}", LOGIN_MAX_FAILURES_PER_IP))
    return keys


def login_authenticate(request, *, identifier: str, password: str):
    """`authenticate` with control characters removed from the identifier (PostgreSQL refuses NUL in a query)."""
    from django.contrib.auth import authenticate

    return authenticate(request, username=login_identifier_normalize(identifier), password=password)


def login_allowed(*, identifier: str, ip: str | None) -> None:
    """Raise TooManyRequests after repeated failures, for known and unknown identifiers alike."""
    identifier = login_identifier_normalize(identifier)
    for key, limit in _login_keys(identifier, ip):
        if cache.get(key, 0) >= limit:
            raise TooManyRequests(_("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 15 menit, atau atur "
                                    "ulang kata sandi dengan 'Lupa kata sandi'."), code="login_throttled")


def login_failed(*, identifier: str, ip: str | None) -> None:
    identifier = login_identifier_normalize(identifier)
    for key, _limit in _login_keys(identifier, ip):
        cache.add(key, 0, LOGIN_WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, LOGIN_WINDOW_SECONDS)
    audit_record(action="identity.login_failed", ip=ip,
                 data={"identifier": blind_index(identifier, context="login")[:12]})


def login_succeeded(*, user: User, ip: str | None, via: str = "web") -> None:
    identifiers = [x for x in (user.email, user.phone) if x]
    for identifier in identifiers:
        cache.delete(_login_keys(identifier, None)[0][0])
    person = Person.objects.filter(account=user).only("code").first()
    audit_record(action="identity.login", actor=user, ip=ip, subject_person=str(person.code) if person else "",
                 data={"via": via})


# --------------------------------------------------------------------------- password reset

def password_reset_start(*, identifier: str, ip: str | None = None, language: str = "id") -> OneTimeCode:
    """Always the same answer: a reference. A code is sent only if the phone/e-mail has an account."""
    identifier = login_identifier_normalize(identifier)
    if not identifier:
        raise DomainError(_("Isi nomor HP atau e-mail yang Anda pakai untuk masuk."), code="identifier_required",
                          field="identifier")
    destination_index = _destination_index(identifier)
    _limits(ip=ip, destination_index=destination_index)
    user = User.objects.filter(kind=User.Kind.CITIZEN, is_active=True).filter(
        **({"email__iexact": identifier} if "@" in identifier else {"phone": identifier})).first()
    channel = "email" if "@" in identifier else "sms"
    otc = OneTimeCode.objects.create(
        purpose=OneTimeCode.Purpose.RESET, destination_index=destination_index, channel=channel, prefix="",
        code_hash="", ip=ip, expires_at=timezone.now() + CODE_TTL,
        payload={"state": "reset", "user_id": user.pk if user else None},
    )
    if user is not None:
        _send_code(otc, identifier, user=user, language=language)
        audit_record(action="identity.password_reset_requested", actor=None, obj=user, ip=ip)
    else:  # same shape of work and answer, nothing sent
        otc.prefix, _digits = _new_code()
        otc.code_hash = _code_hash(otc.code, otc.prefix, secrets.token_hex(8))
        otc.payload = {**otc.payload, "sent_at": timezone.now().isoformat(), "sends": 1}
        otc.save()
    return otc


def password_reset_confirm(*, reference, code: str, new_password: str, ip: str | None = None) -> User:
    otc = _pending(reference, OneTimeCode.Purpose.RESET)
    _check_code(otc, code)
    user = User.objects.filter(pk=otc.payload.get("user_id")).first()
    if user is None:  # cannot happen with a right code; kept for safety
        raise DomainError(_("Kode salah."), code="code_wrong", field="code")
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code="password_weak", field="password")
    with transaction.atomic():
        otc = OneTimeCode.objects.select_for_update().get(pk=otc.pk)
        if otc.consumed_at is not None:
            raise DomainError(_("Kode ini sudah dipakai."), code="code_used", field="code")
        user.set_password(new_password)
        user.save(update_fields=["password"])
        otc.consumed_at = timezone.now()
        otc.save(update_fields=["consumed_at"])
        person = Person.objects.filter(account=user).only("code").first()
        audit_record(action="identity.password_reset", actor=user, obj=user, ip=ip,
                     subject_person=str(person.code) if person else "")
        from satupintu.notifications.services import notification_enqueue

        notification_enqueue(channel=otc.channel, destination=user.email if otc.channel == "email" else user.phone,
                             template=PASSWORD_CHANGED_TEMPLATE, context={"name": user.get_short_name()}, user=user)
    for identifier in (user.email, user.phone):
        if identifier:
            cache.delete(_login_keys(identifier, None)[0][0])
    return user


# --------------------------------------------------------------------------- consents

def _person_for(user) -> Person:
    person = Person.objects.filter(account=user).first() if getattr(user, "is_authenticated", False) else None
    if person is None:
        raise NotFound()
    return person


def consent_grant(*, user, purpose: str, detail: dict | None = None) -> Consent:
    person = _person_for(user)
    if purpose not in Consent.Purpose.values:
        raise DomainError(_("Jenis persetujuan tidak dikenal."), code="consent_unknown", field="purpose")
    with transaction.atomic():
        consent = Consent.objects.filter(person=person, purpose=purpose, withdrawn_at__isnull=True).first()
        if consent is None:
            consent = Consent.objects.create(person=person, purpose=purpose, detail=detail or {})
            audit_record(action="identity.consent_granted", actor=user, obj=consent, subject_person=str(person.code),
                         data={"purpose": purpose})
    return consent


def consent_withdraw(*, user, consent_code) -> Consent:
    person = _person_for(user)
    with transaction.atomic():
        consent = Consent.objects.select_for_update().filter(person=person, code=consent_code).first()
        if consent is None:
            raise NotFound()
        if consent.withdrawn_at is None:
            consent.withdrawn_at = timezone.now()
            consent.save(update_fields=["withdrawn_at", "updated_at"])
            audit_record(action="identity.consent_withdrawn", actor=user, obj=consent,
                         subject_person=str(person.code), data={"purpose": consent.purpose})
    return consent


def _has_consent(person: Person, purpose: str) -> Consent | None:
    return Consent.objects.filter(person=person, purpose=purpose, withdrawn_at__isnull=True).first()


# --------------------------------------------------------------------------- family and mandates

def member_key(nik: str) -> str:
    """A stable, non-reversible handle for a KK member in forms (the NIK itself never goes to the page)."""
    return blind_index(nik, context="kk-member")[:20]


@dataclass
class KKMember:
    key: str
    name: str
    masked_nik: str
    birth_date: dt.date
    sex: str
    relationship: str
    is_self: bool
    is_minor: bool
    already_added: bool


def _registry_family(person: Person) -> dukcapil.Family:
    consent = _has_consent(person, Consent.Purpose.KK_PREFILL)
    if consent is None:
        raise DomainError(_("Berikan persetujuan untuk mengambil data anggota KK dari Dukcapil terlebih dahulu."),
                          code="consent_required", field="consent")
    try:
        return dukcapil.get_client().family(nik=person.nik, name=person.full_name, birth_date=person.birth_date,
                                            consent_reference=str(consent.code))
    except dukcapil.RegistryUnavailable:
        raise RetryLater(_("Layanan Dukcapil sedang tidak dapat dihubungi. Coba lagi beberapa saat lagi; tidak ada "
                           "data Anda yang hilang."), code="registry_unavailable")
    except dukcapil.RegistryNoMatch:
        raise DomainError(_("Data KK Anda tidak ditemukan di Dukcapil. Hubungi Disdukcapil bila menurut Anda ini "
                            "keliru."), code="kk_not_found")
    except dukcapil.RegistryError:
        raise RetryLater(_("Layanan Dukcapil sedang bermasalah. Coba lagi nanti."), code="registry_error")


def family_fetch(*, user, ip: str | None = None) -> list[KKMember]:
    """The members of the citizen's KK from the registry (with consent), for choosing whom to add."""
    person = _person_for(user)
    family = _registry_family(person)
    if person.kk_index != blind_index(family.kk_number, context="kk"):
        person.set_kk_number(family.kk_number)
        person.save(update_fields=["kk_encrypted", "kk_index", "updated_at"])
    audit_record(action="identity.kk_fetched", actor=user, obj=person, subject_person=str(person.code), ip=ip,
                 purpose="kk_prefill", data={"members": len(family.members)})
    held = set(Mandate.objects.filter(actor=user, revoked_at__isnull=True).values_list("subject__nik_index", flat=True))
    today = timezone.localdate()
    members = []
    for m in family.members:
        idx = blind_index(m.nik, context="nik")
        age = today.year - m.birth_date.year - ((today.month, today.day) < (m.birth_date.month, m.birth_date.day))
        members.append(KKMember(key=member_key(m.nik), name=m.name, masked_nik=nik_mask(m.nik),
                                birth_date=m.birth_date, sex=m.sex, relationship=m.relationship,
                                is_self=idx == person.nik_index, is_minor=age < CHILD_AGE_LIMIT,
                                already_added=idx in held))
    return members


def family_member_add(*, user, key: str, ip: str | None = None) -> Mandate:
    """Add a child from the citizen's KK as a Person (no account) and a family mandate for the citizen."""
    person = _person_for(user)
    family = _registry_family(person)
    member = next((m for m in family.members if member_key(m.nik) == key), None)
    if member is None:
        raise NotFound(_("Anggota keluarga ini tidak ada di KK Anda."))
    idx = blind_index(member.nik, context="nik")
    if idx == person.nik_index:
        raise DomainError(_("Itu Anda sendiri; Anda tidak perlu menambahkan diri sendiri."), code="member_is_self")
    today = timezone.localdate()
    age = today.year - member.birth_date.year - ((today.month, today.day) < (member.birth_date.month,
                                                                                member.birth_date.day))
    if age >= CHILD_AGE_LIMIT:
        raise DomainError(_("%(name)s berusia %(age)d tahun. Anggota keluarga berusia 17 tahun ke atas mendaftar "
                            "sendiri, atau memberi surat kuasa di loket MPP.") % {"name": member.name, "age": age},
                          code="member_adult")
    with transaction.atomic():
        subject = Person.objects.select_for_update().filter(nik_index=idx).first()
        if subject is None:
            subject = Person(full_name=member.name, birth_date=member.birth_date, birth_place=member.birth_place,
                             sex=member.sex, verified_at=timezone.now(), verified_by="dukcapil")
            subject.set_nik(member.nik)
            subject.set_kk_number(family.kk_number)
            subject.save()
        existing = Mandate.objects.filter(actor=user, subject=subject, revoked_at__isnull=True).first()
        if existing is not None:
            return existing
        mandate = Mandate.objects.create(
            actor=user, subject=subject, basis=Mandate.Basis.FAMILY,
            evidence=f"NIK dalam KK yang sama (KK {nik_mask(family.kk_number)}), diperiksa ke Dukcapil "
                     f"{timezone.localdate().isoformat()}; hubungan: {member.relationship}",
        )
        audit_record(action="identity.mandate_created", actor=user, obj=mandate, subject_person=str(subject.code),
                     on_behalf_of=str(subject.code), ip=ip,
                     data={"basis": mandate.basis, "actor_person": str(person.code)})
    return mandate


def mandate_revoke(*, user, mandate_code, ip: str | None = None) -> Mandate:
    """The actor gives up a mandate, or the subject (if they have an account) withdraws it."""
    with transaction.atomic():
        mandate = Mandate.objects.select_for_update().filter(code=mandate_code).select_related("subject").first()
        if mandate is None or not (mandate.actor_id == user.pk or mandate.subject.account_id == user.pk):
            raise NotFound()
        if mandate.revoked_at is None:
            mandate.revoked_at = timezone.now()
            mandate.revoked_by = user
            mandate.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
            audit_record(action="identity.mandate_revoked", actor=user, obj=mandate,
                         subject_person=str(mandate.subject.code), on_behalf_of=str(mandate.subject.code), ip=ip)
    return mandate


def mandate_assisted_digital_create(*, officer, person: Person, evidence: str, agency=None, mall=None,
                                    valid_for: timedelta = timedelta(hours=8), ip: str | None = None) -> Mandate:
    """An officer at a counter acts for a citizen who cannot do it themselves (assisted digital). The mandate
    lasts the working day by default; the citizen sees it (and can withdraw it) in "Data saya"."""
    evidence = text_clean(evidence, multiline=True)
    if not evidence:
        raise DomainError(_("Catat dasar bantuan, mis. 'warga lansia meminta dibantu di loket, KTP-el diperiksa'."),
                          code="evidence_required", field="evidence")
    with transaction.atomic():
        mandate = Mandate.objects.create(actor=officer, subject=person, basis=Mandate.Basis.ASSISTED_DIGITAL,
                                         evidence=evidence[:2000], agency=agency, mall=mall,
                                         valid_until=timezone.now() + valid_for)
        audit_record(action="identity.mandate_created", actor=officer, obj=mandate, subject_person=str(person.code),
                     on_behalf_of=str(person.code), agency_id=agency.pk if agency else None,
                     mall_id=mall.pk if mall else None, purpose=_("Dibantu petugas loket"), ip=ip,
                     data={"basis": mandate.basis, "agency": agency.name if agency else ""})
    return mandate


def acting_for_record(*, user, subject: Person, action: str, obj=None, data: dict | None = None, **kwargs):
    """Audit an action done under a mandate: names the actor and the person acted for (`on_behalf_of`).
    Other apps call this when a citizen acts for a family member."""
    return audit_record(action=action, actor=user, obj=obj, subject_person=str(subject.code),
                        on_behalf_of=str(subject.code), data=data, **kwargs)


# --------------------------------------------------------------------------- personal data

def person_data_access_record(*, officer, person: Person, purpose: str, agency=None, mall=None,
                              fields: list[str] | None = None, ip: str | None = None):
    """Record that an officer read a citizen's personal data. The citizen sees it in "Data saya".

    `purpose` is plain words the citizen will read ("memeriksa permohonan KTP-el MPP-3671-2026-000123").
    Agency and mall default to the officer's only membership, when there is exactly one."""
    if not purpose or not str(purpose).strip():
        raise DomainError(_("Sebutkan tujuan membuka data warga."), code="purpose_required", field="purpose")
    if agency is None and mall is None:
        only = list(Membership.objects.filter(user=officer, is_active=True).select_related("agency", "mall")[:2])
        if len(only) == 1:
            agency, mall = only[0].agency, only[0].mall
    return audit_record(
        action="person.data_viewed", actor=officer, obj=person, subject_person=str(person.code),
        agency_id=agency.pk if agency else None, mall_id=mall.pk if mall else None, purpose=str(purpose)[:200],
        ip=ip, data={"agency": agency.name if agency else "", "agency_slug": getattr(agency, "slug", ""),
                     "mall": mall.name if mall else "", "fields": fields or []},
    )


def correction_request_create(*, user, field: str, requested_value: str, reason: str = "") -> CorrectionRequest:
    from satupintu.identity.selectors import CORRECTABLE_FIELDS

    person = _person_for(user)
    if field not in CORRECTABLE_FIELDS:
        raise DomainError(_("Pilih data yang ingin diperbaiki."), code="field_unknown", field="field")
    requested_value = text_clean(requested_value, multiline=True)
    reason = text_clean(reason, multiline=True)
    if not requested_value:
        raise DomainError(_("Tulis data yang benar menurut Anda."), code="value_required", field="requested_value")
    with transaction.atomic():
        request = CorrectionRequest.objects.create(person=person, field=field, requested_value=requested_value[:2000],
                                                   reason=reason[:2000])
        audit_record(action="identity.correction_requested", actor=user, obj=request,
                     subject_person=str(person.code), data={"field": field})
    return request


def personal_data_exported(*, user, fmt: str, ip: str | None = None) -> None:
    person = _person_for(user)
    audit_record(action="identity.data_exported", actor=user, obj=person, subject_person=str(person.code),
                 ip=ip, data={"format": fmt})
