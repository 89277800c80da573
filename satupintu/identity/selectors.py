"""Reads for citizen identity and "Data saya" (UU 27/2022).

Other apps add what they hold about a person (applications, bookings, complaints, documents…) with
`data_section_register`, e.g. in their AppConfig.ready():

    from satupintu.identity.selectors import data_section_register

    def my_bookings(person) -> list[dict]:
        return [{"nomor": b.reference, "layanan": b.service.name, "tanggal": b.date} for b in ...]

    data_section_register("queue.bookings", _("Pemesanan antrean"), my_bookings, order=40)

Each section returns a list of flat dicts (labels as keys, plain values); "Data saya" shows them as
tables, and the JSON and PDF downloads include them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.identity.models import Consent, CorrectionRequest, Mandate, Membership, Person, User

CORRECTABLE_FIELDS = {
    "full_name": _("Nama lengkap"),
    "birth_date": _("Tanggal lahir"),
    "birth_place": _("Tempat lahir"),
    "phone": _("Nomor HP"),
    "email": _("E-mail"),
    "family": _("Anggota keluarga"),
    "other": _("Lainnya"),
}


ACTION_LABELS = {
    "identity.signup": _("Akun dibuat"),
    "identity.login": _("Masuk ke akun"),
    "identity.password_reset": _("Kata sandi diganti dengan kode"),
    "identity.password_reset_requested": _("Kode atur ulang kata sandi diminta"),
    "identity.consent_granted": _("Persetujuan diberikan"),
    "identity.consent_withdrawn": _("Persetujuan ditarik"),
    "identity.kk_fetched": _("Data KK diambil dari Dukcapil"),
    "identity.mandate_created": _("Anggota keluarga ditambahkan (mandat)"),
    "identity.mandate_revoked": _("Mandat dicabut"),
    "identity.correction_requested": _("Perbaikan data diminta"),
    "identity.data_exported": _("Data saya diunduh"),
    "identity.signup_account_exists": _("Ada yang mencoba mendaftar dengan NIK Anda"),
    "person.data_viewed": _("Petugas membuka data Anda"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


@dataclass
class DataSection:
    key: str
    title: object
    rows: Callable[[Person], list[dict]]
    order: int = 100


_SECTIONS: dict[str, DataSection] = {}


def data_section_register(key: str, title, rows: Callable[[Person], list[dict]], *, order: int = 100) -> None:
    """Add (or replace) a section of "Data saya". `rows(person)` returns a list of flat dicts."""
    _SECTIONS[key] = DataSection(key=key, title=title, rows=rows, order=order)


def data_sections() -> list[DataSection]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def person_for_user(user) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(account=user).first()


def family_mandates(user) -> list[Mandate]:
    """Mandates the user holds (people they act for), newest first, active and ended."""
    return list(Mandate.objects.filter(actor=user).select_related("subject").order_by("-created_at"))


def mandates_given(person: Person) -> list[Mandate]:
    return list(Mandate.objects.filter(subject=person).select_related("actor").order_by("-created_at"))


def consents(person: Person) -> list[Consent]:
    return list(Consent.objects.filter(person=person).order_by("-granted_at"))


def has_consent(person: Person, purpose: str) -> bool:
    return Consent.objects.filter(person=person, purpose=purpose, withdrawn_at__isnull=True).exists()


def notifications_sent(person: Person) -> list:
    from satupintu.notifications.models import Notification

    q = Q(person=person)
    if person.account_id:
        q |= Q(user_id=person.account_id)
    # the code itself is never shown again, even to its owner
    return list(Notification.objects.filter(q).order_by("-created_at")[:200])


@dataclass
class AccessEntry:
    at: object
    officer: str
    agency: str
    mall: str
    purpose: str
    action: str


def data_access_log(person: Person, limit: int = 500) -> list[AccessEntry]:
    """Who (officers) looked at or acted on this person's data: which officer of which agency, when, why."""
    from satupintu.catalogue.models import Agency, Mall
    from satupintu.core.models import AuditEvent

    events = list(AuditEvent.objects.filter(subject_person=str(person.code), actor__kind=User.Kind.OFFICER)
                  .order_by("-seq")[:limit])
    agencies = {a.pk: a.name for a in Agency.objects.filter(pk__in={e.agency_id for e in events if e.agency_id})}
    malls = {m.pk: m.name for m in Mall.objects.filter(pk__in={e.mall_id for e in events if e.mall_id})}
    memberships: dict[int, Membership] = {}
    for m in Membership.objects.filter(user_id__in={e.actor_id for e in events}).select_related("agency", "mall"):
        memberships.setdefault(m.user_id, m)
    entries = []
    for e in events:
        fallback = memberships.get(e.actor_id)
        agency = agencies.get(e.agency_id) or e.data.get("agency") or (
            fallback.agency.name if fallback and fallback.agency else "")
        mall = malls.get(e.mall_id) or e.data.get("mall") or (fallback.mall.name if fallback else "")
        entries.append(AccessEntry(at=e.at, officer=e.actor_label, agency=agency, mall=mall, purpose=e.purpose,
                                   action=action_label(e.action)))
    return entries


def account_activity(person: Person, limit: int = 50) -> list:
    """The citizen's own sign-ins and changes (for "Data saya")."""
    from satupintu.core.models import AuditEvent

    q = Q(subject_person=str(person.code))
    if person.account_id:
        q |= Q(actor_id=person.account_id)
    events = list(AuditEvent.objects.filter(q).exclude(actor__kind=User.Kind.OFFICER).order_by("-seq")[:limit])
    for e in events:
        e.label = action_label(e.action)
    return events


def _iso(value) -> str:
    return value.isoformat() if value else ""


PERSONAL_DATA_TITLES = {
    "profil": _("Profil"),
    "akun": _("Akun"),
    "keluarga_yang_saya_wakili": _("Keluarga yang Anda wakili"),
    "mandat_atas_saya": _("Yang boleh bertindak atas nama Anda"),
    "persetujuan": _("Persetujuan yang Anda berikan"),
    "notifikasi_terkirim": _("Pesan yang kami kirim"),
    "permintaan_perbaikan": _("Permintaan perbaikan"),
    "akses_petugas": _("Siapa yang melihat data Anda"),
}


def personal_data_titled(data: dict) -> list[tuple[str, object]]:
    """(title, value) pairs of `personal_data()` for the PDF, in order."""
    titles = {**PERSONAL_DATA_TITLES, **{s.key: s.title for s in data_sections()}}
    return [(str(titles.get(k, k)), v) for k, v in data.items() if k != "dibuat_pada"]


def personal_data(person: Person) -> dict:
    """Everything SatuPintu holds about the person, as plain data (the JSON download; the PDF renders it)."""
    user = person.account
    data = {
        "dibuat_pada": timezone.now().isoformat(),
        "profil": {
            "nik": person.nik,
            "nomor_kk": person.kk_number,
            "nama_lengkap": person.full_name,
            "tanggal_lahir": _iso(person.birth_date),
            "tempat_lahir": person.birth_place,
            "jenis_kelamin": person.get_sex_display() if person.sex else "",
            "terverifikasi": _iso(person.verified_at),
            "diverifikasi_oleh": person.verified_by,
            "kanal_notifikasi": person.preferred_channel,
        },
        "akun": {
            "nomor_hp": user.phone if user else "",
            "email": (user.email or "") if user else "",
            "terdaftar": _iso(user.date_joined) if user else "",
            "bahasa": user.preferred_language if user else "",
        },
        "keluarga_yang_saya_wakili": [
            {"nama": m.subject.full_name, "nik": m.subject.masked_nik, "dasar": str(m.get_basis_display()),
             "bukti": m.evidence, "sejak": _iso(m.valid_from), "dicabut": _iso(m.revoked_at)}
            for m in (family_mandates(user) if user else [])
        ],
        "mandat_atas_saya": [
            {"yang_bertindak": str(m.actor), "dasar": str(m.get_basis_display()), "bukti": m.evidence,
             "sejak": _iso(m.valid_from), "dicabut": _iso(m.revoked_at)}
            for m in mandates_given(person)
        ],
        "persetujuan": [
            {"tujuan": str(c.get_purpose_display()), "diberikan": _iso(c.granted_at), "ditarik": _iso(c.withdrawn_at),
             "versi_pemberitahuan": c.notice_version}
            for c in consents(person)
        ],
        "notifikasi_terkirim": [
            {"waktu": _iso(n.created_at), "kanal": n.channel, "tujuan": n.destination, "jenis": n.template,
             "status": n.status}
            for n in notifications_sent(person)
        ],
        "permintaan_perbaikan": [
            {"data": r.field, "nilai_diminta": r.requested_value, "alasan": r.reason, "status": r.status,
             "jawaban": r.answer, "diajukan": _iso(r.created_at)}
            for r in CorrectionRequest.objects.filter(person=person).order_by("-created_at")
        ],
        "akses_petugas": [
            {"waktu": _iso(a.at), "petugas": a.officer, "instansi": a.agency, "mal": a.mall, "tujuan": a.purpose,
             "tindakan": a.action}
            for a in data_access_log(person)
        ],
    }
    for section in data_sections():
        data[section.key] = [{str(k): (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
                             for row in section.rows(person)]
    return data
