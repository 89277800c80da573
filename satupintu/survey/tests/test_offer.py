"""The survey is offered after every finished ticket (and application: see the issue 6
browser story): a short link, sent once through the outbox, shown on the ticket page."""

from satupintu.notifications.models import Notification
from satupintu.queue import services
from satupintu.queue.tests.test_tickets import counter_for, svc
from satupintu.survey.models import SurveyInvitation
from tests.fixtures.queue import make_officer


def test_finished_ticket_gets_one_short_survey_link_by_sms(client, queue_mall):
    service = svc(queue_mall)
    counter = counter_for(service)
    officer = make_officer(queue_mall, service.agency)
    services.counter_sign_in(counter=counter, officer=officer)
    ticket = services.ticket_walkin(mall=queue_mall, service=service, contact_phone="+6281234567890")
    called = services.ticket_call_next(counter=counter, by=officer)
    assert called == ticket
    services.ticket_finish(ticket=called, by=officer)
    invitation = SurveyInvitation.objects.get(related_type="ticket", related_code=str(ticket.code))
    sms = Notification.objects.get(template="survey.invitation", destination="+6281234567890")
    assert sms.channel == "sms" and sms.context["url"].endswith(f"/s/{invitation.key}/")
    assert SurveyInvitation.objects.filter(related_code=str(ticket.code)).count() == 1
    # the ticket page offers it too (a kiosk tablet can open it there)
    page = client.get(f"/antrean/tiket/{ticket.code}/").content.decode()
    assert f"/s/{invitation.key}/" in page and "Sampaikan pengaduan" in page
    # the short link leads to the signed survey form
    r = client.get(f"/s/{invitation.key}/")
    assert r.status_code == 302 and "/survei/" in r["Location"]
    assert client.get("/s/nope1234/").status_code == 404


def test_a_skipped_ticket_is_not_offered_the_survey(queue_mall):
    service = svc(queue_mall)
    counter = counter_for(service)
    officer = make_officer(queue_mall, service.agency)
    services.counter_sign_in(counter=counter, officer=officer)
    ticket = services.ticket_walkin(mall=queue_mall, service=service)
    services.ticket_skip(ticket=services.ticket_call_next(counter=counter, by=officer), by=officer)
    assert not SurveyInvitation.objects.filter(related_code=str(ticket.code)).exists()
