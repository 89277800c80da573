"""Forms of the officer side: sign-in, TOTP, officer management, citizen look-up, mandates."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from satupintu.identity.access import is_officer
from satupintu.identity.models import Role


class OfficerLoginForm(AuthenticationForm):
    """Django's form calls `authenticate(request=...)`, so django-axes counts every failure."""

    username = forms.CharField(label=_("E-mail petugas"), max_length=254,
                               widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label=_("Kata sandi"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    error_messages = {
        "invalid_login": _("E-mail atau kata sandi salah. Periksa keduanya lalu coba lagi; "
                           "setelah beberapa kali gagal, akun dikunci sementara."),
        "inactive": _("Akun ini tidak aktif. Hubungi administrator instansi Anda."),
        "not_officer": _("Halaman ini hanya untuk petugas. Warga masuk melalui halaman Masuk biasa."),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not is_officer(user):
            raise forms.ValidationError(self.error_messages["not_officer"], code="not_officer")


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Kode 6 angka dari aplikasi autentikator"), min_length=6, max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                      "pattern": "[0-9]{6}", "autofocus": True}),
        error_messages={"required": _("Masukkan kode 6 angka dari aplikasi autentikator."),
                        "min_length": _("Kode harus 6 angka."), "max_length": _("Kode harus 6 angka.")},
    )

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit():
            raise forms.ValidationError(_("Kode hanya berisi angka, mis. 042137."))
        return token


class OfficerCreateForm(forms.Form):
    email = forms.EmailField(label=_("E-mail petugas"))
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=200)
    membership = forms.ChoiceField(label=_("Instansi dan mal"),
                                   help_text=_("Hanya instansi yang boleh Anda kelola."))
    role = forms.ChoiceField(label=_("Peran"), choices=Role.choices)

    def __init__(self, *args, targets: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = targets


class PersonLookupForm(forms.Form):
    nik = forms.CharField(label=_("NIK warga (16 angka, dari KTP-el)"), max_length=32,
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    purpose = forms.CharField(label=_("Keperluan"), max_length=200,
                              help_text=_("Wajib. Warga dapat melihat siapa membuka datanya dan untuk apa."))
    membership = forms.ChoiceField(label=_("Bertugas sebagai"))

    def __init__(self, *args, memberships: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = memberships

    def clean_nik(self):
        nik = "".join(ch for ch in self.cleaned_data["nik"] if not ch.isspace())
        if not nik.isdigit() or len(nik) != 16:
            raise forms.ValidationError(
                _("NIK harus 16 angka; yang Anda masukkan %(n)s karakter.") % {"n": len(nik)})
        return nik


class AssistedMandateForm(forms.Form):
    ticket = forms.CharField(widget=forms.HiddenInput)
    evidence = forms.CharField(
        label=_("Catatan petugas"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        help_text=_("Mengapa warga dibantu dan bukti apa yang diperiksa, mis. "
                    "\"KTP-el asli diperiksa; warga lansia, tidak memiliki ponsel\"."),
        error_messages={"required": _("Tuliskan catatan: alasan warga dibantu dan bukti yang diperiksa.")},
    )
