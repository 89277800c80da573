"""Citizen forms. They only parse; rules live in services.py and come back as DomainError,
which `add_domain_error` puts beside the right field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from satupintu.core.errors import DomainError
from satupintu.identity.selectors import CORRECTABLE_FIELDS

CHANNELS = [("sms", _("SMS")), ("whatsapp", _("WhatsApp")), ("email", _("E-mail"))]


class DateInput(forms.DateInput):
    input_type = "date"


class SignupForm(forms.Form):
    nik = forms.CharField(label=_("NIK"), max_length=40, help_text=_("16 angka di KTP-el atau KK Anda."),
                          error_messages={"required": _("Isi NIK Anda: 16 angka yang tertera di KTP-el atau KK.")},
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=200,
                                help_text=_("Persis seperti di KTP-el, tanpa gelar."),
                                error_messages={"required": _("Isi nama lengkap Anda persis seperti di KTP-el.")},
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    birth_date = forms.DateField(label=_("Tanggal lahir"), widget=DateInput(attrs={"autocomplete": "bday"}),
                                 error_messages={"required": _("Isi tanggal lahir Anda."),
                                                 "invalid": _("Tanggal lahir tidak valid; gunakan format "
                                                              "tahun-bulan-tanggal, mis. 1988-03-12.")})
    phone = forms.CharField(label=_("Nomor HP"), max_length=30, help_text=_("Mis. 0812 3456 7890."),
                            error_messages={"required": _("Isi nomor HP Anda, mis. 0812 3456 7890.")},
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    email = forms.CharField(label=_("E-mail (tidak wajib)"), max_length=254, required=False,
                            widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email"}))
    channel = forms.ChoiceField(label=_("Kirim kode lewat"), choices=CHANNELS, initial="sms",
                                widget=forms.RadioSelect)
    password = forms.CharField(label=_("Kata sandi"), help_text=_("Minimal 8 karakter; jangan hanya angka."),
                               error_messages={"required": _("Buat kata sandi, minimal 8 karakter.")},
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    consent = forms.BooleanField(
        label=_("Saya setuju data di atas diperiksa ke Dukcapil untuk memastikan identitas saya."), required=False)

    # the same rules as the service, run here too so that every wrong field is reported at once
    def clean_nik(self):
        from satupintu.identity.nik import nik_validate

        try:
            return nik_validate(self.cleaned_data["nik"]).value
        except DomainError as exc:
            raise forms.ValidationError(str(exc.message), code=exc.code)

    def clean_phone(self):
        from satupintu.identity.services import phone_normalize

        try:
            return phone_normalize(self.cleaned_data["phone"])
        except DomainError as exc:
            raise forms.ValidationError(str(exc.message), code=exc.code)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Kode dari pesan"), max_length=20,
                           error_messages={"required": _("Masukkan kode 6 angka dari pesan terbaru.")},
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Nomor HP atau e-mail"), max_length=254,
                               error_messages={"required": _("Isi nomor HP atau e-mail Anda.")},
                               widget=forms.TextInput(attrs={"autocomplete": "username"}))
    password = forms.CharField(label=_("Kata sandi"), error_messages={"required": _("Isi kata sandi Anda.")},
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class ResetStartForm(forms.Form):
    identifier = forms.CharField(label=_("Nomor HP atau e-mail akun Anda"), max_length=254,
                                 error_messages={"required": _("Isi nomor HP atau e-mail yang Anda pakai untuk "
                                                               "masuk.")},
                                 widget=forms.TextInput(attrs={"autocomplete": "username"}))


class ResetConfirmForm(CodeForm):
    password = forms.CharField(label=_("Kata sandi baru"), help_text=_("Minimal 8 karakter; jangan hanya angka."),
                               error_messages={"required": _("Buat kata sandi baru, minimal 8 karakter.")},
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))


class KKConsentForm(forms.Form):
    consent = forms.BooleanField(
        label=_("Saya setuju SatuPintu mengambil daftar anggota KK saya dari Dukcapil untuk isian otomatis."),
        error_messages={"required": _("Centang persetujuan untuk mengambil data KK.")})


class CorrectionForm(forms.Form):
    field = forms.ChoiceField(label=_("Data yang salah"), choices=list(CORRECTABLE_FIELDS.items()))
    requested_value = forms.CharField(label=_("Data yang benar"), max_length=2000,
                                      error_messages={"required": _("Tulis data yang benar menurut Anda.")})
    reason = forms.CharField(label=_("Alasan atau keterangan (tidak wajib)"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))
