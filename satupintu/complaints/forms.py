from django import forms
from django.utils.translation import gettext_lazy as _

from satupintu.catalogue.models import Agency, Service
from satupintu.complaints.models import Complaint


class ComplaintForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Instansi yang diadukan"), queryset=Agency.objects.none(),
                                    error_messages={"required": _("Pilih instansi yang Anda adukan."),
                                                    "invalid_choice": _("Pilih instansi dari daftar.")})
    service = forms.ModelChoiceField(label=_("Layanan (bila ada)"), queryset=Service.objects.none(), required=False,
                                     error_messages={"invalid_choice": _("Pilih layanan dari daftar.")})
    category = forms.ChoiceField(label=_("Kategori"), choices=Complaint.Category.choices, widget=forms.RadioSelect,
                                 error_messages={"required": _("Pilih kategori pengaduan.")})
    service_date = forms.DateField(label=_("Tanggal layanan"),
                                   widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                   help_text=_("Pengaduan diterima paling lambat 30 hari setelah layanan."),
                                   error_messages={"required": _("Isi tanggal layanan."),
                                                   "invalid": _("Tanggal tidak valid; gunakan format HH-BB-TTTT.")})
    related_reference = forms.CharField(label=_("Nomor permohonan atau nomor antrean (bila ada)"), required=False,
                                        max_length=40)
    description = forms.CharField(label=_("Apa yang terjadi?"), widget=forms.Textarea(attrs={"rows": 6}),
                                  help_text=_("Tulis kapan, di mana, dan apa yang terjadi. Jangan tulis NIK."),
                                  error_messages={"required": _("Tulis uraian pengaduan Anda.")})
    amount_demanded = forms.IntegerField(label=_("Bila diminta membayar di luar tarif resmi: berapa (Rp)?"),
                                         required=False, min_value=0,
                                         error_messages={"invalid": _("Tulis angka saja, mis. 50000."),
                                                         "min_value": _("Jumlah tidak boleh negatif.")})
    anonymous = forms.BooleanField(label=_("Kirim tanpa nama (anonim)"), required=False,
                                   help_text=_("Anda mengikuti perkembangan dengan kode lacak."))
    confidential = forms.BooleanField(label=_("Rahasiakan identitas saya dari instansi"), required=False)
    contact = forms.CharField(label=_("Nomor HP atau e-mail untuk pemberitahuan (opsional)"), required=False,
                              max_length=254)

    def __init__(self, *args, mall, **kwargs):
        super().__init__(*args, **kwargs)
        self.mall = mall
        self.fields["agency"].queryset = Agency.objects.filter(tenancies__mall=mall).order_by("name")
        self.fields["service"].queryset = Service.objects.filter(mall=mall, is_active=True).order_by("name")

    def clean(self):
        data = super().clean()
        service, agency = data.get("service"), data.get("agency")
        if service and agency and service.agency_id != agency.id:
            self.add_error("service", _("Layanan ini bukan layanan instansi yang Anda pilih."))
        return data


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("Seberapa puas Anda dengan jawabannya?"), coerce=int,
                                    choices=[(i, str(i)) for i in range(1, 6)], widget=forms.RadioSelect,
                                    error_messages={"required": _("Pilih nilai 1 sampai 5.")})
    comment = forms.CharField(label=_("Komentar (opsional)"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=2000)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Jawaban untuk pelapor"), widget=forms.Textarea(attrs={"rows": 6}),
                             error_messages={"required": _("Tulis jawaban untuk pelapor.")})


class TrackForm(forms.Form):
    kode = forms.CharField(label=_("Kode lacak"), max_length=20,
                           help_text=_("Contoh: ADU-7KQ2M9XR4T"),
                           error_messages={"required": _("Isi kode lacak pengaduan Anda.")})
