from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from satupintu.core.errors import DomainError, NotFound
from satupintu.survey.forms import SurveyForm
from satupintu.survey.services import survey_invitation_read, survey_response_submit


def _invitation_or_404(request, token):
    try:
        return survey_invitation_read(token), None
    except NotFound as exc:
        days = getattr(settings, "SURVEY_LINK_MAX_AGE_DAYS", 30)
        return None, render(request, "survey/invalid.html", {"message": exc.message, "days": days}, status=404)


@never_cache
def survey_form(request, token: str):
    invitation, problem = _invitation_or_404(request, token)
    if problem:
        return problem
    if invitation.answered:
        return render(request, "survey/thanks.html", {"invitation": invitation, "already": True})
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey_response_submit(invitation=invitation, answers=form.answers(), profile=form.profile(),
                                   suggestion=form.cleaned_data["suggestion"])
        except DomainError as exc:
            if exc.code != "survey_already_answered":
                form.add_error(exc.field, exc.message)
                return render(request, "survey/form.html", {"form": form, "invitation": invitation}, status=400)
        return redirect("survey:thanks", token=token)
    status = 400 if request.method == "POST" else 200
    return render(request, "survey/form.html", {"form": form, "invitation": invitation}, status=status)


@never_cache
def survey_thanks(request, token: str):
    invitation, problem = _invitation_or_404(request, token)
    if problem:
        return problem
    return render(request, "survey/thanks.html", {"invitation": invitation, "already": False})


def survey_short(request, key):
    """/s/<key>/: the short link in an SMS invitation → the signed survey form."""
    from django.http import HttpResponseRedirect

    from satupintu.core.views import not_found
    from satupintu.survey.models import SurveyInvitation

    invitation = SurveyInvitation.objects.filter(key=key).first()
    if invitation is None:
        return not_found(request)
    return HttpResponseRedirect(invitation.target)
