from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from satupintu.survey.models import SurveyResponse
from satupintu.survey.regulation import unsur
from satupintu.survey.regulation_en import text_en


def _localised(text: str) -> str:
    return text_en(text) if (get_language() or "id").startswith("en") else text


class SurveyForm(forms.Form):
    """Nine questions with the regulation's four labelled answers, the respondent profile
    (optional: "prefer not to say" is a blank) and a free suggestion."""

    age_band = forms.ChoiceField(label=_("Usia"), required=False,
                                 choices=[("", _("Tidak ingin menjawab"))] + SurveyResponse.AgeBand.choices)
    sex = forms.ChoiceField(label=_("Jenis kelamin"), required=False,
                            choices=[("", _("Tidak ingin menjawab"))] + SurveyResponse.Sex.choices)
    education = forms.ChoiceField(label=_("Pendidikan terakhir"), required=False,
                                  choices=[("", _("Tidak ingin menjawab"))] + SurveyResponse.Education.choices)
    occupation = forms.ChoiceField(label=_("Pekerjaan"), required=False,
                                   choices=[("", _("Tidak ingin menjawab"))] + SurveyResponse.Occupation.choices)
    suggestion = forms.CharField(label=_("Saran atau masukan (tidak wajib)"), required=False, max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unsur_fields = []
        for u in unsur():
            name = u.code
            self.fields[name] = forms.TypedChoiceField(
                label=_localised(u.question),
                choices=[(value, _localised(label)) for value, label in sorted(u.labels.items())],
                coerce=int, widget=forms.RadioSelect,
                error_messages={"required": _("Pilih satu jawaban untuk pertanyaan tentang %(unsur)s.")
                                % {"unsur": _localised(u.name)},
                                "invalid_choice": _("Pilih salah satu dari empat jawaban.")},
            )
            self.fields[name].unsur_name = _localised(u.name)
            self.unsur_fields.append(name)

    def unsur_bound_fields(self):
        return [self[name] for name in self.unsur_fields]

    def profile_bound_fields(self):
        return [self[name] for name in ("age_band", "sex", "education", "occupation")]

    def answers(self) -> dict[str, int | None]:
        return {name: self.cleaned_data.get(name) for name in self.unsur_fields}

    def profile(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in ("age_band", "sex", "education", "occupation")}
