"""The one transition table of an application (architecture: "statuses and allowed
transitions in one pure table"). Pure Python; services.py enforces it under a row lock.

Each action names the statuses it may start from, the status it leads to, who may do it
("citizen" or the workflow step whose role the officer must hold) and whether the SLA
clock pauses (file with the citizen) or resumes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    IN_VERIFICATION = "in_verification", _("Sedang diverifikasi")
    SENT_BACK = "sent_back", _("Dikembalikan untuk perbaikan")
    RESUBMITTED = "resubmitted", _("Perbaikan dikirim")
    IN_PROCESSING = "in_processing", _("Sedang diproses")
    AWAITING_APPROVAL = "awaiting_approval", _("Menunggu persetujuan")
    APPROVED = "approved", _("Disetujui")
    OUTPUT_ISSUED = "output_issued", _("Hasil terbit")
    HANDED_OVER = "handed_over", _("Sudah diambil")
    COMPLETED = "completed", _("Selesai")
    REJECTED = "rejected", _("Ditolak")
    WITHDRAWN = "withdrawn", _("Dibatalkan")


CITIZEN = "citizen"
FINAL = frozenset({Status.HANDED_OVER, Status.COMPLETED, Status.REJECTED, Status.WITHDRAWN})
ACTIVE_FOR_SLA = frozenset({Status.SUBMITTED, Status.IN_VERIFICATION, Status.RESUBMITTED, Status.IN_PROCESSING,
                            Status.AWAITING_APPROVAL, Status.APPROVED})

# which workflow step (definition "steps[].key") holds the file in each status
STEP_OF_STATUS = {
    Status.SUBMITTED: "verification", Status.IN_VERIFICATION: "verification", Status.RESUBMITTED: "verification",
    Status.IN_PROCESSING: "processing", Status.AWAITING_APPROVAL: "approval", Status.APPROVED: "output",
    Status.OUTPUT_ISSUED: "output",
}


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    by: str  # CITIZEN or a step key whose role the officer must hold ("current" = step of the source status)
    label: str


def _t(action, sources, target, by, label) -> Transition:
    return Transition(action, frozenset(sources), target, by, label)


S = Status
TABLE: dict[str, Transition] = {t.action: t for t in [
    _t("submit", {S.DRAFT}, S.SUBMITTED, CITIZEN, _("Ajukan")),
    _t("withdraw", {S.DRAFT, S.SUBMITTED, S.SENT_BACK}, S.WITHDRAWN, CITIZEN, _("Batalkan")),
    _t("resubmit", {S.SENT_BACK}, S.RESUBMITTED, CITIZEN, _("Kirim perbaikan")),
    _t("claim", {S.SUBMITTED, S.RESUBMITTED}, S.IN_VERIFICATION, "current", _("Ambil untuk diverifikasi")),
    _t("send_back", {S.IN_VERIFICATION}, S.SENT_BACK, "current", _("Kembalikan ke pemohon")),
    _t("verify", {S.IN_VERIFICATION}, S.IN_PROCESSING, "current", _("Berkas lengkap dan benar")),
    _t("process", {S.IN_PROCESSING}, S.AWAITING_APPROVAL, "current", _("Selesai diproses, ajukan persetujuan")),
    _t("approve", {S.AWAITING_APPROVAL}, S.APPROVED, "current", _("Setujui")),
    _t("reject", {S.IN_VERIFICATION, S.IN_PROCESSING, S.AWAITING_APPROVAL}, S.REJECTED, "current", _("Tolak")),
    _t("issue_output", {S.APPROVED}, S.OUTPUT_ISSUED, "current", _("Terbitkan hasil")),
    _t("hand_over", {S.OUTPUT_ISSUED}, S.HANDED_OVER, "current", _("Serahkan hasil")),
    _t("complete", {S.OUTPUT_ISSUED}, S.COMPLETED, "current", _("Tandai selesai")),
]}

PAUSES_CLOCK = frozenset({"send_back"})
RESUMES_CLOCK = frozenset({"resubmit"})


def transition_for(action: str, status: str) -> Transition | None:
    """The transition if `action` is allowed from `status`, else None."""
    t = TABLE.get(action)
    if t is None or status not in t.sources:
        return None
    return t


def actions_from(status: str, *, by_citizen: bool) -> list[Transition]:
    return [t for t in TABLE.values() if status in t.sources and (t.by == CITIZEN) == by_citizen]


def step_role(steps: list[dict], status: str) -> str | None:
    """The agency role that holds the file in `status`, from the definition's steps.
    A missing processing/output step falls back to the role of the step before it."""
    key = STEP_OF_STATUS.get(status)
    if key is None:
        return None
    by_key = {s["key"]: s for s in steps}
    order = ["verification", "processing", "approval", "output"]
    for k in reversed(order[: order.index(key) + 1]):
        if k in by_key:
            return by_key[k]["role"]
    return None
