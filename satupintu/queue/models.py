"""Queue and appointments: quotas per mall × service group × date × session, bookings that
never oversell, today's tickets, counters' sessions, and the daily rollup.

Places are counted down by conditional UPDATE (services.py); the CHECK constraints and the
partial unique index below are the backstops the database enforces if code ever gets it wrong.
"""

from __future__ import annotations

import uuid
from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from satupintu.core.models import BaseModel


class QueueSettings(models.Model):
    """The mall manager's policy for the whole mall (one row per mall)."""

    mall = models.OneToOneField("catalogue.Mall", on_delete=models.CASCADE, related_name="queue_settings")
    online_open_days = models.PositiveSmallIntegerField(
        _("kuota daring dibuka (hari sebelumnya)"), default=7)
    online_open_time = models.TimeField(_("jam pembukaan kuota daring"), default=time(7, 0))
    booking_cutoff_minutes = models.PositiveIntegerField(
        _("batas pemesanan (menit sebelum sesi mulai)"), default=60)
    noshow_limit = models.PositiveSmallIntegerField(_("batas tidak hadir"), default=3)
    noshow_window_days = models.PositiveSmallIntegerField(_("jendela hitung tidak hadir (hari)"), default=30)
    noshow_block_days = models.PositiveSmallIntegerField(_("lama blokir pemesanan daring (hari)"), default=7)
    turn_near_threshold = models.PositiveSmallIntegerField(
        _("kirim pesan 'giliran Anda sebentar lagi' bila sisa antrean di depan"), default=3)
    rolling_window = models.PositiveSmallIntegerField(
        _("jumlah tiket terakhir untuk median waktu layanan"), default=20)
    default_service_minutes = models.PositiveSmallIntegerField(
        _("perkiraan waktu layanan bila belum ada data (menit)"), default=10)

    class Meta:
        verbose_name = _("pengaturan antrean")
        verbose_name_plural = _("pengaturan antrean")

    def __str__(self) -> str:
        return f"{self.mall}"


class ServiceGroup(BaseModel):
    """Services that share one queue letter and one quota (e.g. A = Disdukcapil)."""

    mall = models.ForeignKey("catalogue.Mall", on_delete=models.CASCADE, related_name="queue_groups")
    letter = models.CharField(_("huruf antrean"), max_length=1)
    name = models.CharField(_("nama kelompok"), max_length=120)
    services = models.ManyToManyField("catalogue.Service", related_name="queue_groups", verbose_name=_("layanan"))
    zone = models.CharField(_("zona layar"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("kelompok layanan antrean")
        verbose_name_plural = _("kelompok layanan antrean")
        ordering = ["mall", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["mall", "letter"], name="queue_group_letter_unique"),
            models.CheckConstraint(condition=Q(letter__regex=r"^[A-Z]$"), name="queue_group_letter_az"),
        ]

    def __str__(self) -> str:
        return f"{self.letter} — {self.name}"


class QuotaTemplate(models.Model):
    """The manager's default: a session on given weekdays with its capacity per channel."""

    mall = models.ForeignKey("catalogue.Mall", on_delete=models.CASCADE, related_name="quota_templates")
    group = models.ForeignKey(ServiceGroup, on_delete=models.CASCADE, related_name="templates")
    weekdays = models.JSONField(_("hari (0 = Senin)"), default=list, help_text=_("mis. [0,1,2,3,4]"))
    label = models.CharField(_("nama sesi"), max_length=60)
    starts = models.TimeField(_("mulai"))
    ends = models.TimeField(_("selesai"))
    online_capacity = models.PositiveIntegerField(_("kuota daring"), default=0)
    walkin_capacity = models.PositiveIntegerField(_("kuota datang langsung"), default=0)
    priority_capacity = models.PositiveIntegerField(_("kuota prioritas"), default=0)

    class Meta:
        verbose_name = _("templat kuota")
        verbose_name_plural = _("templat kuota")
        ordering = ["group", "starts"]
        constraints = [
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="quota_template_ends_after_starts"),
            models.UniqueConstraint(fields=["group", "starts"], name="quota_template_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.group.letter} {self.label} {self.starts:%H.%M}–{self.ends:%H.%M}"


class Quota(models.Model):
    """One session's places on one date. `*_remaining` only moves by conditional UPDATE."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mall = models.ForeignKey("catalogue.Mall", on_delete=models.CASCADE, related_name="quotas")
    group = models.ForeignKey(ServiceGroup, on_delete=models.CASCADE, related_name="quotas")
    template = models.ForeignKey(QuotaTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 help_text="the default this row was made from; empty for a row added by hand")
    date = models.DateField(_("tanggal"))
    label = models.CharField(_("nama sesi"), max_length=60)
    starts = models.TimeField(_("mulai"))
    ends = models.TimeField(_("selesai"))
    online_capacity = models.PositiveIntegerField(_("kuota daring"), default=0)
    online_remaining = models.IntegerField(_("sisa daring"), default=0)
    walkin_capacity = models.PositiveIntegerField(_("kuota datang langsung"), default=0)
    walkin_remaining = models.IntegerField(_("sisa datang langsung"), default=0)
    priority_capacity = models.PositiveIntegerField(_("kuota prioritas"), default=0)
    priority_remaining = models.IntegerField(_("sisa prioritas"), default=0)
    is_closed = models.BooleanField(_("ditutup"), default=False)
    note = models.CharField(_("catatan pengecualian"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kuota sesi")
        verbose_name_plural = _("kuota sesi")
        ordering = ["date", "group", "starts"]
        constraints = [
            models.UniqueConstraint(fields=["group", "date", "starts"], name="quota_unique_session"),
            models.CheckConstraint(condition=Q(online_remaining__gte=0), name="quota_online_remaining_gte_0"),
            models.CheckConstraint(condition=Q(walkin_remaining__gte=0), name="quota_walkin_remaining_gte_0"),
            models.CheckConstraint(condition=Q(priority_remaining__gte=0), name="quota_priority_remaining_gte_0"),
            models.CheckConstraint(condition=Q(online_remaining__lte=F("online_capacity")),
                                   name="quota_online_remaining_lte_capacity"),
            models.CheckConstraint(condition=Q(walkin_remaining__lte=F("walkin_capacity")),
                                   name="quota_walkin_remaining_lte_capacity"),
            models.CheckConstraint(condition=Q(priority_remaining__lte=F("priority_capacity")),
                                   name="quota_priority_remaining_lte_capacity"),
        ]
        indexes = [models.Index(fields=["mall", "date"])]

    def __str__(self) -> str:
        return f"{self.group.letter} {self.date} {self.label}"


class Booking(BaseModel):
    """An online appointment, bound to the person's NIK (not transferable)."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("terpesan")
        CHECKED_IN = "checked_in", _("sudah hadir")
        CANCELLED = "cancelled", _("dibatalkan")
        NO_SHOW = "no_show", _("tidak hadir")

    ACTIVE = (Status.BOOKED, Status.CHECKED_IN)

    mall = models.ForeignKey("catalogue.Mall", on_delete=models.PROTECT, related_name="bookings")
    agency = models.ForeignKey("catalogue.Agency", on_delete=models.PROTECT, related_name="bookings")
    service = models.ForeignKey("catalogue.Service", on_delete=models.PROTECT, related_name="bookings")
    quota = models.ForeignKey(Quota, on_delete=models.PROTECT, related_name="bookings")
    person = models.ForeignKey("identity.Person", on_delete=models.PROTECT, related_name="bookings")
    date = models.DateField(_("tanggal"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.BOOKED)
    short_code = models.CharField(_("kode singkat"), max_length=8, unique=True)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pemesanan antrean")
        verbose_name_plural = _("pemesanan antrean")
        ordering = ["-date", "quota__starts"]
        constraints = [
            models.UniqueConstraint(fields=["person", "service", "date"], condition=Q(status__in=["booked",
                                    "checked_in"]), name="booking_one_active_per_person_service_day"),
        ]
        indexes = [models.Index(fields=["date", "status"])]

    def __str__(self) -> str:
        return f"{self.short_code} {self.date}"


class VisitPlan(BaseModel):
    """Several services in one visit, served in order (e.g. Disdukcapil, then Samsat)."""

    mall = models.ForeignKey("catalogue.Mall", on_delete=models.PROTECT, related_name="visit_plans")
    date = models.DateField()
    person = models.ForeignKey("identity.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="visit_plans")

    class Meta:
        verbose_name = _("rencana kunjungan")
        verbose_name_plural = _("rencana kunjungan")


class Ticket(BaseModel):
    """A number in today's queue (`A-012`)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("menunggu layanan sebelumnya")
        WAITING = "waiting", _("menunggu")
        CALLED = "called", _("dipanggil")
        SERVING = "serving", _("sedang dilayani")
        DONE = "done", _("selesai")
        NO_SHOW = "no_show", _("tidak hadir")

    class Channel(models.TextChoices):
        ONLINE = "online", _("pemesanan daring")
        WALKIN = "walkin", _("datang langsung")

    class Outcome(models.TextChoices):
        COMPLETED = "completed", _("selesai dilayani")
        INCOMPLETE = "incomplete", _("berkas belum lengkap")
        REFERRED = "referred", _("dirujuk ke layanan lain")
        APPLICATION = "application", _("permohonan diterima")

    mall = models.ForeignKey("catalogue.Mall", on_delete=models.PROTECT, related_name="tickets")
    agency = models.ForeignKey("catalogue.Agency", on_delete=models.PROTECT, related_name="tickets")
    group = models.ForeignKey(ServiceGroup, on_delete=models.PROTECT, related_name="tickets")
    service = models.ForeignKey("catalogue.Service", on_delete=models.PROTECT, related_name="tickets")
    quota = models.ForeignKey(Quota, null=True, blank=True, on_delete=models.PROTECT, related_name="tickets")
    booking = models.OneToOneField(Booking, null=True, blank=True, on_delete=models.PROTECT, related_name="ticket")
    person = models.ForeignKey("identity.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="tickets")
    plan = models.ForeignKey(VisitPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="tickets")
    plan_order = models.PositiveSmallIntegerField(default=0)
    date = models.DateField()
    letter = models.CharField(max_length=1)
    seq = models.PositiveIntegerField()
    number = models.CharField(_("nomor antrean"), max_length=8)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    priority = models.BooleanField(_("prioritas"), default=False)
    priority_reason = models.CharField(max_length=20, blank=True,
                                       choices=[("lansia", _("lansia")), ("disabilitas", _("penyandang disabilitas")),
                                                ("ibu_hamil", _("ibu hamil"))])
    slot_start = models.DateTimeField(null=True, blank=True, help_text="booking's session start")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING, db_index=True)
    arrived_at = models.DateTimeField()
    called_at = models.DateTimeField(null=True, blank=True)
    served_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    counter = models.ForeignKey("catalogue.Counter", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="tickets")
    only_counter = models.ForeignKey("catalogue.Counter", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", help_text="set by a transfer to one counter")
    called_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    call_count = models.PositiveSmallIntegerField(default=0)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    related_type = models.CharField(max_length=40, blank=True)
    related_code = models.CharField(max_length=64, blank=True)
    turn_near_sent_at = models.DateTimeField(null=True, blank=True)
    contact_phone = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("tiket antrean")
        verbose_name_plural = _("tiket antrean")
        ordering = ["date", "letter", "seq"]
        constraints = [models.UniqueConstraint(fields=["mall", "date", "letter", "seq"], name="ticket_number_unique")]
        indexes = [models.Index(fields=["mall", "date", "status"])]

    def __str__(self) -> str:
        return self.number


class TicketSequence(models.Model):
    """Per mall × day × letter counter row; numbers are taken by conditional UPDATE."""

    mall = models.ForeignKey("catalogue.Mall", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    letter = models.CharField(max_length=1)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mall", "date", "letter"], name="ticket_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.date} {self.letter}: {self.last}"


class CounterSession(models.Model):
    """An officer signed in at a counter."""

    counter = models.ForeignKey("catalogue.Counter", on_delete=models.PROTECT, related_name="queue_sessions")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="counter_sessions")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["counter"], condition=Q(ended_at__isnull=True),
                                    name="counter_one_open_session"),
        ]

    def __str__(self) -> str:
        return f"{self.counter} {self.officer_id} {self.started_at:%H:%M}"


class QueueEvent(models.Model):
    """Every state change of a booking, ticket or quota (house style 7)."""

    at = models.DateTimeField(db_index=True)
    mall = models.ForeignKey("catalogue.Mall", on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=40)
    booking = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    ticket = models.ForeignKey(Ticket, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    quota = models.ForeignKey(Quota, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    counter = models.ForeignKey("catalogue.Counter", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action}"


class DailyStat(models.Model):
    """Daily rollup for dashboards. `dimension` says which key fields are set:
    `group` (places offered/used per channel), `service`, `counter`, `agency`."""

    mall = models.ForeignKey("catalogue.Mall", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    dimension = models.CharField(max_length=10)
    key = models.CharField(max_length=80)
    label = models.CharField(max_length=300, blank=True)
    agency = models.ForeignKey("catalogue.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    online_offered = models.PositiveIntegerField(default=0)
    online_used = models.PositiveIntegerField(default=0)
    walkin_offered = models.PositiveIntegerField(default=0)
    walkin_used = models.PositiveIntegerField(default=0)
    priority_offered = models.PositiveIntegerField(default=0)
    priority_used = models.PositiveIntegerField(default=0)
    tickets = models.PositiveIntegerField(default=0)
    served = models.PositiveIntegerField(default=0)
    no_shows = models.PositiveIntegerField(default=0)
    wait_median_s = models.PositiveIntegerField(null=True)
    wait_p90_s = models.PositiveIntegerField(null=True)
    service_median_s = models.PositiveIntegerField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mall", "date", "dimension", "key"], name="daily_stat_unique")]

    def __str__(self) -> str:
        return f"{self.date} {self.dimension}:{self.key}"
