from django_tasks import task

from satupintu.complaints.services import complaint_forward


@task(queue_name="integrations")
def forward_complaint(complaint_id: int) -> None:
    """Thin: a retryable outage leaves `lapor_error` set; `manage.py complaints_sweep` retries."""
    from satupintu.integrations.lapor.client import LaporError

    try:
        complaint_forward(complaint_id=complaint_id)
    except LaporError:
        pass
