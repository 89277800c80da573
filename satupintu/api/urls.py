"""API v1 wiring. Endpoints live in each app's `api.py` as a Router; this module only
assembles them and turns every error into one JSON shape:

    {"error": {"code": "...", "message": "<human message>", "fields": [{"field": ..., "message": ...}]}}
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from satupintu.core.errors import DomainError

api = NinjaAPI(
    title="SatuPintu API",
    version="1",
    description=(
        "API publik SatuPintu untuk aplikasi mitra. Semua kesalahan memakai satu bentuk JSON "
        "`{error: {code, message, fields}}`. / Public API of SatuPintu for partner apps."
    ),
    urls_namespace="api-v1",
)


def error_body(code: str, message: str, fields: list | None = None, **extra) -> dict:
    body = {"code": code, "message": message, "fields": fields or []}
    body.update(extra)
    return {"error": body}


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    fields = [{"field": exc.field, "message": str(exc.message)}] if exc.field else []
    return api.create_response(request, error_body(exc.code, str(exc.message), fields, **exc.details),
                               status=exc.status)


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    fields = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("query", "body", "path", "payload")]
        fields.append({"field": ".".join(loc), "message": err.get("msg", "")})
    message = _("Permintaan tidak valid: periksa kolom yang disebut. / Invalid request: check the fields listed.")
    return api.create_response(request, error_body("invalid_request", message, fields), status=422)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, error_body("not_found", _("Data tidak ditemukan. / Not found.")), status=404)


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    return api.create_response(
        request, error_body("unauthorized", _("Perlu masuk atau token yang sah. / Authentication required.")),
        status=401,
    )


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return api.create_response(request, error_body("http_error", str(exc)), status=exc.status_code)


def _register_routers() -> None:
    from importlib import import_module

    for app, prefix in [
        ("catalogue", ""),
        ("identity", ""),
        ("applications", ""),
        ("documents", ""),
        ("queue", ""),
        ("complaints", ""),
        ("survey", ""),
        ("reporting", ""),
    ]:
        try:
            module = import_module(f"satupintu.{app}.api")
        except ModuleNotFoundError as exc:
            if exc.name == f"satupintu.{app}.api":
                continue
            raise
        router = getattr(module, "router", None)
        if router is not None:
            api.add_router(prefix, router)


_register_routers()
