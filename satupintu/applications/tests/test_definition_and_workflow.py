"""The definition validator and the transition table (pure)."""

import pytest

from satupintu.applications.definition import DefinitionInvalid, clean_value, validate_schema, visible_fields
from satupintu.applications.demo import DEFINITIONS
from satupintu.applications.workflow import TABLE, Status, step_role, transition_for


@pytest.mark.parametrize("code", sorted(DEFINITIONS))
def test_every_demo_definition_is_valid(code):
    assert validate_schema(DEFINITIONS[code]) == []


def test_validator_names_the_place_of_each_problem():
    errors = validate_schema({
        "fields": [{"name": "Bad Name", "type": "colour", "label": ""},
                   {"name": "x", "type": "text", "label": "X", "show_if": {"field": "later", "equals": 1}}],
        "documents": [{"kind": "kk", "label": "KK", "max_mb": 99}],
        "steps": [{"key": "approval", "role": "approver"}, {"key": "verification", "role": "boss"}],
        "output": {"kind": "hologram"},
    })
    text = "\n".join(errors)
    assert "fields[0].name" in text and "fields[0].type 'colour'" in text and "fields[0].label" in text
    assert "fields[1].show_if" in text
    assert "documents[0].max_mb" in text
    assert "steps[1]: urutan" in text and "steps[1].role" in text
    assert "output" in text


def test_conditions_show_and_hide_fields():
    schema = DEFINITIONS["AKTA_KELAHIRAN"]
    names = [f["name"] for f in visible_fields(schema, {"born_in_facility": False})]
    assert "facility_name" not in names
    names = [f["name"] for f in visible_fields(schema, {"born_in_facility": True})]
    assert "facility_name" in names


def test_typed_values_are_checked_with_a_message_that_says_how_to_fix():
    nik = {"name": "nik", "type": "nik", "label": "NIK"}
    with pytest.raises(DefinitionInvalid, match="16 angka; yang Anda masukkan 15"):
        clean_value(nik, "367101440394000")
    assert clean_value(nik, "3671 0144 0394 0001") == "3671014403940001"
    phone = {"name": "p", "type": "phone", "label": "HP"}
    assert clean_value(phone, "0812-3456-7890") == "+6281234567890"
    with pytest.raises(DefinitionInvalid):
        clean_value({"name": "d", "type": "date", "label": "Tanggal"}, "28/11/2026")
    with pytest.raises(DefinitionInvalid, match="wajib diisi"):
        clean_value({"name": "t", "type": "text", "label": "Nama", "required": True}, "  ")
    assert clean_value({"name": "y", "type": "yesno", "label": "Y"}, "ya") is True


def test_transition_table_refuses_out_of_order():
    assert transition_for("approve", Status.SUBMITTED) is None
    assert transition_for("issue_output", Status.IN_VERIFICATION) is None
    assert transition_for("resubmit", Status.IN_VERIFICATION) is None
    assert transition_for("claim", Status.SUBMITTED).target == Status.IN_VERIFICATION
    assert transition_for("send_back", Status.IN_VERIFICATION).target == Status.SENT_BACK
    assert transition_for("resubmit", Status.SENT_BACK).target == Status.RESUBMITTED
    # every target is a known status and nothing leaves a final state
    final = {Status.HANDED_OVER, Status.COMPLETED, Status.REJECTED, Status.WITHDRAWN}
    for t in TABLE.values():
        assert t.target in Status.values
        assert not (t.sources & final)


def test_step_role_falls_back_to_the_step_before():
    steps = [{"key": "verification", "role": "verifier"}, {"key": "approval", "role": "approver"}]
    assert step_role(steps, Status.IN_VERIFICATION) == "verifier"
    assert step_role(steps, Status.IN_PROCESSING) == "verifier"
    assert step_role(steps, Status.AWAITING_APPROVAL) == "approver"
    assert step_role(steps, Status.APPROVED) == "approver"
