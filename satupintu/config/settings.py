"""SatuPintu settings: everything comes from the environment (see .env.example).

Defaults make `make demo` run after a clone (SQLite, DEBUG on, demo keys). With
`SATUPINTU_ENV=production` the unsafe defaults are refused.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from satupintu.config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("SATUPINTU_VAR_DIR", str(BASE_DIR / "var")))
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)

ENVIRONMENT = env_str("SATUPINTU_ENV", "development")  # development | test | production
PRODUCTION = ENVIRONMENT == "production"

_DEMO_SECRET = "demo-only-secret-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105 - refused in production
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _DEMO_SECRET)
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == _DEMO_SECRET):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be set to a long random value in production")

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # the admin, mounted at /backoffice/, as an OTP-verified-officer-only site (identity/officer_admin.py)
    "satupintu.identity.officer_admin_app.BackofficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "satupintu.core",
    "satupintu.identity",
    "satupintu.catalogue",
    "satupintu.documents",
    "satupintu.applications",
    "satupintu.queue",
    "satupintu.notifications",
    "satupintu.complaints",
    "satupintu.survey",
    "satupintu.reporting",
    "satupintu.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "satupintu.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "satupintu.identity.officer_middleware.OfficerSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "satupintu.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "satupintu.config.urls"
WSGI_APPLICATION = "satupintu.config.wsgi.application"
AUTH_USER_MODEL = "identity.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "satupintu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "satupintu.core.context_processors.site",
            ],
        },
    },
]

# --- database -----------------------------------------------------------------
# SQLite is only the embedded default of the demo; production and the test suite
# run on PostgreSQL given by DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'satupintu.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "satupintu",
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 5000)},
    }
}
# Public catalogue pages are cached this long for anonymous readers (0 turns it off);
# any catalogue change invalidates them at once (docs/adr/0021).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)

# --- auth ---------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "satupintu.identity.backends.LoginBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "identity:login"
LOGIN_REDIRECT_URL = "/"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
# username AND address together: a shared mall NAT address is not locked wholesale, and nobody
# elsewhere can lock an officer out of the counter by guessing passwords (docs/adr/0040)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"  # both sign-in forms post "username" (e-mail or phone)
AXES_USERNAME_CALLABLE = "satupintu.identity.officer_signals.axes_username"  # stores a blind index, not what was typed
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_LOCKOUT_CALLABLE = "satupintu.identity.officer_views.locked_out"
# Officers: TOTP after the password, session ends after 30 idle minutes or 8 hours (docs/adr/0040)
OFFICER_IDLE_TIMEOUT = env_int("OFFICER_IDLE_TIMEOUT", 30 * 60)
OFFICER_SESSION_MAX_AGE = env_int("OFFICER_SESSION_MAX_AGE", 8 * 60 * 60)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "SatuPintu")

# --- personal data keys (distinct from SECRET_KEY; see docs/adr/0004) ---------------
# PII_KEYS: comma-separated "keyid:base64key" (32-byte AES-256 keys); the first is used
# for new writes, the rest still decrypt. PII_INDEX_KEY: base64 key of the HMAC blind index.
_DEMO_PII_KEYS = "demo1:ZGVtby1vbmx5LWFlcy1rZXktMzItYnl0ZXMtbG9uZyE="
_DEMO_INDEX_KEY = "ZGVtby1vbmx5LWhtYWMtaW5kZXgta2V5LTMyLWJ5dGVzIQ=="
PII_KEYS = env_str("PII_KEYS", "" if PRODUCTION else _DEMO_PII_KEYS)
PII_INDEX_KEY = env_str("PII_INDEX_KEY", "" if PRODUCTION else _DEMO_INDEX_KEY)
if PRODUCTION and (not PII_KEYS or not PII_INDEX_KEY or _DEMO_PII_KEYS in PII_KEYS
                   or PII_INDEX_KEY == _DEMO_INDEX_KEY):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("PII_KEYS and PII_INDEX_KEY must be set to your own keys in production "
                               "(see docs/adr/0004-personal-data-at-rest.md)")

# --- i18n -----------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "satupintu" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"  # stored in UTC; shown in each mall's zone (WIB/WITA/WIT)
DEFAULT_MALL_TIMEZONE = "Asia/Jakarta"
LANGUAGE_COOKIE_NAME = "satupintu_lang"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- static and media ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "satupintu" / "static"]
STORAGES = {
    # Citizen files live outside the web root and are never served by URL; downloads
    # go through signed, access-checked views (documents app).
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "private"), "file_permissions_mode": 0o600,
                    "directory_permissions_mode": 0o700},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", PRODUCTION)
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not env_bool("STATIC_MANIFEST", PRODUCTION)
WHITENOISE_MAX_AGE = 60 * 60 * 24 if PRODUCTION else 60
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- security -----------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 63072000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Strict CSP: no inline script, no third-party origin. Scripts and styles are vendored.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'", "blob:", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- background work (django-tasks; worker: `manage.py db_worker`) -------------------
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "notifications", "integrations"],
    }
}
# notification outbox (see docs/adr/0050): attempts before `failed`, backoff, crash recovery
NOTIFICATIONS_MAX_ATTEMPTS = env_int("NOTIFICATIONS_MAX_ATTEMPTS", 6)
NOTIFICATIONS_RETRY_BASE_SECONDS = env_int("NOTIFICATIONS_RETRY_BASE_SECONDS", 30)
NOTIFICATIONS_RETRY_MAX_SECONDS = env_int("NOTIFICATIONS_RETRY_MAX_SECONDS", 3600)
NOTIFICATIONS_SENDING_LEASE_SECONDS = env_int("NOTIFICATIONS_SENDING_LEASE_SECONDS", 120)
NOTIFICATIONS_SWEEP_GRACE_SECONDS = env_int("NOTIFICATIONS_SWEEP_GRACE_SECONDS", 60)

# --- outside systems (each behind an adapter; simulators on loopback for the demo) ---
DUKCAPIL_URL = env_str("DUKCAPIL_URL", "http://127.0.0.1:8101")
DUKCAPIL_API_KEY = env_str("DUKCAPIL_API_KEY", "" if PRODUCTION else "demo-dukcapil-key")
DUKCAPIL_TIMEOUT = float(env_str("DUKCAPIL_TIMEOUT", "5"))
SMS_URL = env_str("SMS_URL", "http://127.0.0.1:8102")
SMS_API_KEY = env_str("SMS_API_KEY", "" if PRODUCTION else "demo-sms-key")
WHATSAPP_URL = env_str("WHATSAPP_URL", "http://127.0.0.1:8103")
WHATSAPP_API_KEY = env_str("WHATSAPP_API_KEY", "" if PRODUCTION else "demo-wa-key")
LAPOR_URL = env_str("LAPOR_URL", "http://127.0.0.1:8104")
LAPOR_API_KEY = env_str("LAPOR_API_KEY", "" if PRODUCTION else "demo-lapor-key")
OIDC_ENABLED = env_bool("OIDC_ENABLED", False)
OIDC_ISSUER = env_str("OIDC_ISSUER", "http://127.0.0.1:8105")
OIDC_CLIENT_ID = env_str("OIDC_CLIENT_ID", "satupintu")
OIDC_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", "" if PRODUCTION else "demo-oidc-secret")

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 8025)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "SatuPintu <noreply@satupintu.local>")

# --- reference data ---------------------------------------------------------------
# A copy of ../shared/data ships in data/reference (see docs/adr/0002); point elsewhere
# to import a newer catalogue.
REFERENCE_DATA_DIR = Path(env_str("REFERENCE_DATA_DIR", str(BASE_DIR / "data" / "reference")))

# --- logging: NIKs are masked by a filter before anything is written ---------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_pii": {"()": "satupintu.core.logging.MaskPIIFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_pii"], "formatter": "plain"}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own loggers get the masking console handler too (their defaults have none)
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

NINJA_PAGINATION_MAX_LIMIT = 200

# --- documents: signed download links and electronic signature (integrations/esign) ----
DOCUMENT_LINK_MAX_AGE = env_int("DOCUMENT_LINK_MAX_AGE", 300)  # seconds a signed download link lives
# demo: a self-made demo CA under var/private/esign; pkcs12: a certificate from configuration (e.g. BSrE)
ESIGN_BACKEND = env_str("ESIGN_BACKEND", "demo")
ESIGN_DEMO_DIR = Path(env_str("ESIGN_DEMO_DIR", str(VAR_DIR / "private" / "esign")))
ESIGN_PKCS12_FILE = env_str("ESIGN_PKCS12_FILE", "")
ESIGN_PKCS12_PASSWORD = env_str("ESIGN_PKCS12_PASSWORD", "")
ESIGN_TRUST_ROOTS = env_list("ESIGN_TRUST_ROOTS", [])  # PEM files of CAs trusted on the verification page

# --- finder and survey ------------------------------------------------------------------
FINDER_RECHECK_SECONDS = env_int("FINDER_RECHECK_SECONDS", 30)  # other processes notice catalogue edits within this
SURVEY_LINK_MAX_AGE_DAYS = env_int("SURVEY_LINK_MAX_AGE_DAYS", 30)  # a survey link (web, SMS, kiosk) lives this long
