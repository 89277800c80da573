"""Turn an outbox row into the text a provider sends, in the row's language."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.template import Context, Engine, TemplateDoesNotExist
from django.utils import translation

from satupintu.notifications.catalog import LANGUAGES, normalise, spec_for

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "notifications"
SMS_LIMIT = 160

_engine = Engine(dirs=[str(TEMPLATE_DIR)], autoescape=False,
                 libraries={"notify": "satupintu.notifications.templatetags.notify"})


@dataclass(frozen=True)
class Rendered:
    body: str
    subject: str = ""


def language_of(language: str | None) -> str:
    lang = (language or "id")[:2].lower()
    return lang if lang in LANGUAGES else "id"


def _localise(value: Any, lang: str) -> Any:
    if isinstance(value, dict) and value and set(value) <= set(LANGUAGES):
        return value.get(lang) or value.get("id") or next(iter(value.values()))
    return value


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _render(name: str, context: dict) -> str:
    return _engine.get_template(name).render(Context(context))


def render(*, template: str, channel: str, language: str, context: dict[str, Any], mall_name: str = "") -> Rendered:
    spec = spec_for(template)
    context = normalise(context)
    missing = spec.required - set(context)
    if missing:
        raise ValueError(f"template {template!r} needs context {sorted(missing)}")
    lang = language_of(language)
    values = {key: _localise(value, lang) for key, value in context.items()}
    with translation.override(lang):
        short = _one_line(_render(f"{lang}/{template}.txt", values))
        if channel != "email":
            return Rendered(body=short)
        subject = _one_line(_render(f"{lang}/{template}.subject.txt", values))
        try:
            body = _render(f"{lang}/{template}.email.txt", values)
        except TemplateDoesNotExist:  # no dedicated e-mail text: wrap the short one
            body = _render(f"{lang}/_email.txt", {"message": short, "mall_name": mall_name})
        return Rendered(body=body.strip() + "\n", subject=subject)
