"""The queue's section of "Data saya": bookings bound to the citizen's NIK."""

from django.utils.translation import gettext_lazy as _


def rows(person) -> list[dict]:
    from satupintu.queue.models import Booking

    return [{"kode": b.short_code, "layanan": b.service.name, "tanggal": b.date.isoformat(),
             "status": str(b.get_status_display())}
            for b in Booking.objects.filter(person=person).select_related("service").order_by("-date")[:200]]


def register() -> None:
    from satupintu.identity.selectors import data_section_register

    data_section_register("queue.bookings", _("Pemesanan antrean"), rows, order=40)
