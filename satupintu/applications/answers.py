"""NIK and KK numbers typed into a form are personal data protected at rest (UU 27/2022):
answers of type `nik` are stored encrypted (`{"$enc": <AES-GCM token>}`) and opened only
where they are shown or used."""

from __future__ import annotations

from typing import Any

from satupintu.core.crypto import decrypt, encrypt

CONTEXT = "application_answer"
SEALED_TYPES = frozenset({"nik"})


def seal(field: dict, value: Any) -> Any:
    if field.get("type") in SEALED_TYPES and isinstance(value, str) and value:
        return {"$enc": encrypt(value, context=CONTEXT)}
    return value


def unseal(value: Any) -> Any:
    if isinstance(value, dict) and "$enc" in value:
        return decrypt(value["$enc"], context=CONTEXT)
    return value


def plain(answers: dict) -> dict:
    """All answers readable (for the check page, the officer's view, the API owner)."""
    return {name: unseal(value) for name, value in answers.items()}
