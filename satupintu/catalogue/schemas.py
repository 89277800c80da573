from __future__ import annotations

from ninja import Schema


class MallOut(Schema):
    code: str
    name: str
    region_code: str
    region_name: str
    address: str
    timezone: str
    service_count: int | None = None


class AgencyOut(Schema):
    code: str
    name: str
    kind: str
    parent: str | None = None


class FeeOut(Schema):
    label: str = ""
    amount: float | None = None
    text: str = ""


class ServiceOut(Schema):
    code: str
    name: str
    name_en: str
    agency: str
    agency_name: str
    mall: str
    mall_name: str
    online: bool
    at_counter: bool
    is_free: bool
    url: str


class RequirementGroupOut(Schema):
    variant: str
    items: list[str]
    provenance: str | None = None


class ServiceDetailOut(ServiceOut):
    description: str
    requirements: list[RequirementGroupOut]
    procedure: list[str]
    duration_value: float | None
    duration_unit: str
    duration_text: str
    fees: list[FeeOut]
    product: str
    complaint_channel: str
    legal_basis: str
    manufacturing: dict
    facts: dict


class SearchHitOut(Schema):
    code: str
    name: str
    agency: str
    agency_name: str
    mall: str
    mall_name: str
    fee: str
    score: float
    url: str
