"""Directory and catalogue: regions, malls, agencies, their presence and counters, and
services with their full Standar Pelayanan (UU 25/2009 Pasal 21; PermenPANRB 15/2014).

Every mall-owned row carries `mall` so a later shard by mall needs no redesign.
Each fact imported from a catalogue keeps its provenance (`facts[component]`).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from satupintu.core.models import BaseModel


class Provenance(models.TextChoices):
    SOURCED = "sourced", _("bersumber")
    SOURCED_OTHER = "sourced_other", _("bersumber, daerah lain")
    NATIONAL_RULE = "national_rule", _("aturan nasional")
    MEMORY = "memory", _("belum dikonfirmasi")
    ASSUMED = "assumed", _("asumsi / data demo")
    CONFIRMED = "confirmed", _("dikonfirmasi instansi")


class Region(models.Model):
    """Kemendagri region (province, regency/city, kecamatan, kelurahan/desa)."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("provinsi")
        REGENCY = 2, _("kabupaten/kota")
        DISTRICT = 3, _("kecamatan")
        VILLAGE = 4, _("kelurahan/desa")

    code = models.CharField(_("kode"), max_length=13, unique=True, help_text=_("dengan titik, mis. 36.71.01"))
    level = models.PositiveSmallIntegerField(choices=Level.choices, db_index=True)
    name = models.CharField(_("nama"), max_length=120)
    kind = models.CharField(_("jenis"), max_length=20, blank=True, help_text=_("Kabupaten/Kota, Kelurahan/Desa"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    aliases = models.JSONField(default=list, blank=True, help_text=_("ejaan lama"))

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def code_digits(self) -> str:
        return self.code.replace(".", "")


class Mall(BaseModel):
    slug = models.SlugField(_("kode mal"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="malls",
                               verbose_name=_("kabupaten/kota"))
    village = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("kelurahan/desa"))
    address = models.TextField(_("alamat"))
    timezone = models.CharField(_("zona waktu"), max_length=40, default="Asia/Jakarta")
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("situs"), blank=True)
    manager_name = models.CharField(_("pengelola"), max_length=200, blank=True)
    hours_note = models.TextField(_("catatan jam layanan"), blank=True)
    online_channels = models.JSONField(_("kanal daring"), default=list, blank=True)
    facts = models.JSONField(default=dict, blank=True, help_text=_("provenance per fakta"))
    source = models.JSONField(default=dict, blank=True, help_text=_("rekaman asli dari berkas katalog"))
    ikm_weight = models.CharField(
        _("bobot IKM"), max_length=8, default="exact",
        choices=[("exact", "1/9 (tepat)"), ("0.111", "0,111 (lama)"), ("0.11", "0,11 (lama)")],
    )
    is_demo = models.BooleanField(_("data demo"), default=True)

    class Meta:
        verbose_name = _("mal pelayanan publik")
        verbose_name_plural = _("mal pelayanan publik")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OpeningHours(models.Model):
    """Opening hours per weekday (0 = Monday); several rows a day allow a lunch break."""

    mall = models.ForeignKey(Mall, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(
        choices=[(0, _("Senin")), (1, _("Selasa")), (2, _("Rabu")), (3, _("Kamis")), (4, _("Jumat")),
                 (5, _("Sabtu")), (6, _("Minggu"))]
    )
    opens = models.TimeField(_("buka"))
    closes = models.TimeField(_("tutup"))

    class Meta:
        verbose_name = _("jam buka")
        verbose_name_plural = _("jam buka")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=models.Q(closes__gt=models.F("opens")), name="hours_closes_after_opens"),
            models.UniqueConstraint(fields=["mall", "weekday", "opens"], name="hours_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H.%M}–{self.closes:%H.%M}"


class Closure(models.Model):
    """A day the mall is closed (cuti bersama, local event) or has special hours."""

    class Kind(models.TextChoices):
        CUTI_BERSAMA = "cuti_bersama", _("cuti bersama")
        LOCAL = "local", _("penutupan lokal")
        SPECIAL_HOURS = "special_hours", _("jam khusus")

    mall = models.ForeignKey(Mall, on_delete=models.CASCADE, related_name="closures")
    date = models.DateField(_("tanggal"))
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.LOCAL)
    reason = models.CharField(_("alasan"), max_length=200)
    opens = models.TimeField(null=True, blank=True)
    closes = models.TimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("penutupan / libur")
        verbose_name_plural = _("penutupan / libur")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["mall", "date"], name="closure_one_per_day")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.reason}"


class Agency(BaseModel):
    """An organisation that serves citizens (the tenant). Vertical agencies may be
    present in several malls; a Pemda's OPD belongs to its region."""

    class Kind(models.TextChoices):
        OPD = "opd", _("Perangkat daerah (OPD)")
        VERTICAL = "vertical", _("Instansi vertikal")
        BUMN_BUMD = "bumn_bumd", _("BUMN/BUMD")
        BANK = "bank", _("Bank")
        PUBLIC_BODY = "public_body", _("Badan hukum publik")
        JOINT = "joint", _("Layanan gabungan")

    slug = models.CharField(_("kode instansi"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=250)
    short_name = models.CharField(_("singkatan"), max_length=60, blank=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("organisasi induk"))
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="agencies")
    description = models.TextField(_("deskripsi"), blank=True)
    website = models.URLField(_("situs"), blank=True)
    facts = models.JSONField(default=dict, blank=True)
    source = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Tenancy(BaseModel):
    """An agency's presence in a mall."""

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="tenancies")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="tenancies")
    location = models.CharField(_("lokasi di gedung"), max_length=120, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    facts = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("kehadiran instansi di mal")
        verbose_name_plural = _("kehadiran instansi di mal")
        constraints = [models.UniqueConstraint(fields=["mall", "agency"], name="tenancy_unique")]

    def __str__(self) -> str:
        return f"{self.agency} @ {self.mall}"


class Counter(BaseModel):
    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="counters")
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="counters")
    number = models.CharField(_("nomor loket"), max_length=10)
    label = models.CharField(_("nama loket"), max_length=120, blank=True)
    zone = models.CharField(_("zona"), max_length=60, blank=True)
    services = models.ManyToManyField("Service", blank=True, related_name="counters", verbose_name=_("layanan"))
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("loket")
        verbose_name_plural = _("loket")
        ordering = ["mall", "number"]
        constraints = [models.UniqueConstraint(fields=["mall", "number"], name="counter_number_unique_in_mall")]

    def __str__(self) -> str:
        return f"Loket {self.number} {self.label}".strip()


class DurationUnit(models.TextChoices):
    MINUTES = "minutes", _("menit")
    HOURS = "hours", _("jam")
    WORKING_DAYS = "working_days", _("hari kerja")
    DAYS = "days", _("hari")


class Service(BaseModel):
    """A service and its Standar Pelayanan. `code` is the stable public code from the
    catalogue (e.g. KTPEL_HILANG_RUSAK), unique within a mall."""

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="services")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="services")
    public_code = models.CharField(_("kode layanan"), max_length=80)
    name = models.CharField(_("nama layanan"), max_length=300)
    name_en = models.CharField(_("nama (Inggris)"), max_length=300, blank=True)
    description = models.TextField(_("deskripsi"), blank=True)
    description_en = models.TextField(_("deskripsi (Inggris)"), blank=True)
    # --- the six public components -------------------------------------------------
    requirements = models.JSONField(
        _("persyaratan"), default=list, blank=True,
        help_text=_("daftar {variant, text, optional}; variant kosong = berlaku umum"),
    )
    procedure = models.JSONField(_("prosedur"), default=list, blank=True)
    duration_value = models.DecimalField(_("jangka waktu"), max_digits=8, decimal_places=2, null=True, blank=True)
    duration_unit = models.CharField(_("satuan"), max_length=16, choices=DurationUnit.choices, blank=True)
    duration_text = models.CharField(_("keterangan jangka waktu"), max_length=300, blank=True)
    fees = models.JSONField(
        _("biaya/tarif"), default=list, blank=True,
        help_text=_("daftar {label, amount, text, legal_basis}; amount 0 = gratis"),
    )
    is_free = models.BooleanField(_("gratis"), default=False, db_index=True)
    product = models.TextField(_("produk layanan"), blank=True)
    complaint_channel = models.TextField(_("penanganan pengaduan"), blank=True)
    # --- manufacturing components, legal basis, channels ----------------------------
    manufacturing = models.JSONField(_("komponen manufacturing"), default=dict, blank=True)
    legal_basis = models.TextField(_("dasar hukum"), blank=True)
    online = models.BooleanField(_("dapat diajukan daring"), default=False, db_index=True)
    at_counter = models.BooleanField(_("dilayani di loket"), default=True)
    channel_note = models.TextField(_("catatan kanal"), blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    search_aliases = models.JSONField(_("kata kunci tambahan"), default=list, blank=True)
    facts = models.JSONField(default=dict, blank=True, help_text=_("provenance per komponen"))
    source = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("layanan")
        verbose_name_plural = _("layanan")
        ordering = ["mall", "agency", "name"]
        constraints = [
            models.UniqueConstraint(fields=["mall", "public_code"], name="service_code_unique_in_mall"),
        ]
        indexes = [models.Index(fields=["public_code"])]

    def __str__(self) -> str:
        return f"{self.public_code} — {self.name}"

    @property
    def channel(self) -> str:
        if self.online and self.at_counter:
            return "both"
        return "online" if self.online else "counter"

    @property
    def duration_in_working_days(self) -> Decimal | None:
        """What the SLA clock counts (applications issue)."""
        if self.duration_value is None:
            return None
        if self.duration_unit == DurationUnit.WORKING_DAYS:
            return self.duration_value
        if self.duration_unit == DurationUnit.DAYS:
            return (self.duration_value * 5 / 7).quantize(Decimal("0.01"))
        if self.duration_unit == DurationUnit.HOURS:
            return (self.duration_value / 8).quantize(Decimal("0.01"))
        return (self.duration_value / 480).quantize(Decimal("0.01"))

    def is_demo_fact(self, component: str) -> bool:
        prov = (self.facts.get(component) or {}).get("provenance")
        return prov not in {Provenance.SOURCED, Provenance.CONFIRMED, Provenance.NATIONAL_RULE}


class CatalogueVersion(models.Model):
    """One row whose `value` goes up on every change to the directory or catalogue.

    Cached public pages are keyed by it (see `catalogue/cache.py`), so every web process
    stops serving a page as soon as the catalogue it shows has changed.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    value = models.BigIntegerField(default=1)

    class Meta:
        verbose_name = _("versi katalog")
        verbose_name_plural = _("versi katalog")

    def __str__(self) -> str:
        return str(self.value)
