"""Dimos settings: every value comes from the environment (see docs/configuration.md).

Two modes: the default development/demo mode, which works from a fresh checkout with an
SQLite database under ./var/, and production mode (DIMOS_ENV=production), which refuses to
start with insecure defaults.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("DIMOS_VAR_DIR", Path.cwd() / "var")).resolve()

PRODUCTION = os.environ.get("DIMOS_ENV", "development") == "production"
# The test suite's settings module (dimos.testing.settings) sets this; nothing else guesses it
# (a process that merely imports pytest is not a test run).
TESTING = os.environ.get("DIMOS_TESTING") == "1"
DEBUG = envbool("DIMOS_DEBUG", False)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production (DIMOS_ENV=production).")
    # Development: the `dimos` command keeps a random key under ./var so that sessions survive
    # restarts (dimos.cli.ensure_development_secret_key); reading settings never writes it.
    # Without that file (tests, type checkers, a bare import) the key lives for this process.
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    return secrets.token_urlsafe(50)


SECRET_KEY = _secret_key()

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("DIMOS_DEBUG must be off in production.")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("SECRET_KEY is too short or too simple for production.")
    if not os.environ.get("ALLOWED_HOSTS"):
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production.")

# Reverse proxies in front of the app servers: the client address is then taken from
# X-Forwarded-For (for rate limits and the audit log), counting this many hops from the right.
DIMOS_TRUSTED_PROXIES = envint("DIMOS_TRUSTED_PROXIES", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = DIMOS_TRUSTED_PROXIES
NINJA_NUM_PROXIES = DIMOS_TRUSTED_PROXIES

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "dimos.core",
    "dimos.accounts",
    "dimos.portal",
    "dimos.api",
    "dimos.reports",
    "dimos.certificates",
    "dimos.deliveries",
    "dimos.appointments",
    "dimos.volunteers",
    "dimos.relief",
    "dimos.council",
    "dimos.budget",
    "dimos.advocate",
    "dimos.opendata",
    "dimos.activities",
    "dimos.feedback",
    "dimos.ideas",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django.contrib.syndication",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_tasks",
    "dimos.core.tasks_app.TasksDatabaseConfig",  # django_tasks_db, its name translated
    "django_htmx",
    "template_partials",
    "csp",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "dimos.core.middleware.HealthCheckMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dimos.accounts.middleware.UserLanguageMiddleware",
    "dimos.accounts.middleware.StaffMFAMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "dimos.urls"
FORM_RENDERER = "dimos.core.forms_renderer.FormRenderer"
WSGI_APPLICATION = "dimos.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "dimos.core.context_processors.municipality",
            ],
            "builtins": [
                "dimos.core.templatetags.dimos",
                "template_partials.templatetags.partials",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "dimos.sqlite3"),
            # Each worker keeps its connection: opening one and running the PRAGMAs below
            # cost more than a cached page's whole answer.
            "CONN_MAX_AGE": 600,
            "OPTIONS": {
                # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at
                # BEGIN, so concurrent writers queue on busy_timeout instead of failing.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=20000; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
# Unset: a cache on this machine's disk (diskcache: SQLite files under DIMOS_VAR_DIR/cache)
# shared by every process, so the web processes see what the worker computed and rate limits
# count across processes (ADR 0013). Several machines share Redis. Tests keep process memory.
CACHE_URL = os.environ.get("CACHE_URL", "")
_cache = urlparse(CACHE_URL or ("locmem://" if TESTING else "disk://"))
if _cache.scheme in {"redis", "rediss"}:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
elif _cache.scheme == "db":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": _cache.netloc or "dimos_cache",
        }
    }
elif _cache.scheme == "disk":
    _cache_dir = Path(unquote(_cache.path)) if _cache.path.strip("/") else VAR_DIR / "cache"
    # The entries are pickles: only the Dimos user may write there.
    _cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    CACHES = {
        "default": {"BACKEND": "dimos.core.cachebackends.DiskCache", "LOCATION": str(_cache_dir)}
    }
elif _cache.scheme == "locmem":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(
        f"CACHE_URL must start with disk://, redis://, rediss://, db:// or locmem://, "
        f"not {_cache.scheme}://."
    )

# --- Background tasks -----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("DIMOS_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
if TESTING:
    TASKS["default"]["BACKEND"] = "dimos.core.taskbackends.ImmediateBackend"
# A worker not heard from for this long is gone: its running task goes back to the queue.
DIMOS_WORKER_LEASE_SECONDS = envint("DIMOS_WORKER_LEASE_SECONDS", 60)
# On SIGTERM a worker lets its current task run this long, then puts it back in the queue.
DIMOS_WORKER_GRACE_SECONDS = envint("DIMOS_WORKER_GRACE_SECONDS", 20)
# /readyz answers 503 when tasks or notifications are this late (see docs/deploy.md).
DIMOS_QUEUE_ALERT_MINUTES = envint("DIMOS_QUEUE_ALERT_MINUTES", 15)

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Django's ModelBackend, with permissions cached between requests (accounts/backends.py).
    "dimos.accounts.backends.CachedPermissionsBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:my_account"
LOGOUT_REDIRECT_URL = "portal:home"

DIMOS_SIGNUP_OPEN = envbool("DIMOS_SIGNUP_OPEN", True)
ACCOUNT_ADAPTER = "dimos.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "dimos.accounts.adapters.SocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "dimos.accounts.forms.SignupExtraForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# Login throttling, counted in the default cache (ADR 0015): failed logins per client address
# and per (account, address) pair ("key"), and a high limit per account across all addresses.
ACCOUNT_RATE_LIMITS = {
    "login": os.environ.get("DIMOS_RATE_LOGIN", "30/m/ip"),
    "login_failed": os.environ.get("DIMOS_RATE_LOGIN_FAILED", "10/m/ip,5/5m/key"),
    "signup": os.environ.get("DIMOS_RATE_SIGNUP", "20/m/ip"),
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/5m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
DIMOS_RATE_LOGIN_FAILED_ACCOUNT = os.environ.get("DIMOS_RATE_LOGIN_FAILED_ACCOUNT", "100/h/key")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("DIMOS_MFA_ISSUER", "Dimos")
DIMOS_STAFF_MFA_REQUIRED = envbool("DIMOS_STAFF_MFA_REQUIRED", True)

SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_PROVIDERS: dict[str, dict] = {"openid_connect": {"APPS": []}}
if os.environ.get("OIDC_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"].append(
        {
            "provider_id": os.environ.get("OIDC_PROVIDER_ID", "eid"),
            "name": os.environ.get("OIDC_PROVIDER_NAME", "gov.gr"),
            "client_id": os.environ["OIDC_CLIENT_ID"],
            "secret": os.environ.get("OIDC_CLIENT_SECRET", ""),
            "settings": {
                "server_url": os.environ.get("OIDC_SERVER_URL", ""),
                "token_auth_method": os.environ.get(
                    "OIDC_TOKEN_AUTH_METHOD", "client_secret_basic"
                ),
                "scope": envlist("OIDC_SCOPES", "openid,profile,email"),
                "oauth_pkce_enabled": True,
            },
        }
    )
_oidc_origin = "{0.scheme}://{0.netloc}".format(urlparse(os.environ.get("OIDC_SERVER_URL", "")))
DIMOS_OIDC_VERIFIED_PROVIDERS = envlist(
    "OIDC_VERIFIED_PROVIDERS", os.environ.get("OIDC_PROVIDER_ID", "eid")
)

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = os.environ.get("DIMOS_LANGUAGE", "el")
LANGUAGES = [("el", _("Greek")), ("en", _("English"))]
# Our catalogue first; then our corrections of the libraries' Greek (allauth, Django's auth),
# which win over the libraries' own catalogues (docs/glossary.md).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
# Dates with the month in the genitive in Greek («30 Νοεμβρίου 2026»): dimos/formats/.
FORMAT_MODULE_PATH = ["dimos.formats"]
TIME_ZONE = os.environ.get("DIMOS_TIME_ZONE", "Europe/Athens")
# Public holidays (ISO country code for the `holidays` package) left out of working-day deadlines.
DIMOS_HOLIDAY_COUNTRY = os.environ.get("DIMOS_HOLIDAY_COUNTRY", "GR")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "dimos_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = PRODUCTION

# --- Static and media files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Private files (residents' uploads, issued certificates, the development signing key): never
# under MEDIA_ROOT, never at a URL; streamed by access-checked views (ADR 0020).
_legacy_private = os.environ.get("DIMOS_CERTIFICATES_FILES_DIR", "")
if os.environ.get("DIMOS_PRIVATE_DIR"):
    DIMOS_PRIVATE_DIR = Path(os.environ["DIMOS_PRIVATE_DIR"])
elif _legacy_private:
    # Deprecated: its files are the "certificates/" folder of the private storage now.
    if Path(_legacy_private).name != "certificates":
        raise ImproperlyConfigured(
            "DIMOS_CERTIFICATES_FILES_DIR is replaced by DIMOS_PRIVATE_DIR: move the folder's "
            "contents to <DIMOS_PRIVATE_DIR>/certificates/, set DIMOS_PRIVATE_DIR and unset "
            "DIMOS_CERTIFICATES_FILES_DIR (docs/configuration.md)."
        )
    DIMOS_PRIVATE_DIR = Path(_legacy_private).parent
else:
    DIMOS_PRIVATE_DIR = VAR_DIR / "private"
# Set when the deprecated variable decided DIMOS_PRIVATE_DIR (check dimos.W020 says so).
DIMOS_LEGACY_CERTIFICATES_FILES_DIR = "" if os.environ.get("DIMOS_PRIVATE_DIR") else _legacy_private
DIMOS_PRIVATE_S3_BUCKET = os.environ.get("DIMOS_PRIVATE_S3_BUCKET") or os.environ.get(
    "S3_BUCKET", ""
)
DIMOS_PRIVATE_S3_PREFIX = os.environ.get("DIMOS_PRIVATE_S3_PREFIX", "private").strip("/")


def _s3_options(bucket: str) -> dict[str, object]:
    from botocore.config import Config

    return {
        "bucket_name": bucket,
        "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("S3_REGION") or None,
        "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
        # No ACL header: objects are as private as the bucket, and buckets with ACLs
        # disabled (the AWS default) refuse uploads that name one.
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
        # A file read is spooled to a temporary file above this size, not held in memory.
        "max_memory_size": 2 * 1024 * 1024,
        "client_config": Config(
            connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"}
        ),
    }


STORAGES: dict[str, dict] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "dimos.core.storage.PrivateFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
if os.environ.get("S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": _s3_options(os.environ["S3_BUCKET"]),
    }
if DIMOS_PRIVATE_S3_BUCKET:
    STORAGES["private"] = {
        "BACKEND": "dimos.core.s3.PrivateS3Storage",
        "OPTIONS": {**_s3_options(DIMOS_PRIVATE_S3_BUCKET), "location": DIMOS_PRIVATE_S3_PREFIX},
    }
WHITENOISE_MAX_AGE = 3600
# Source maps are for developers' tools only: compressing megabytes of them slows every deploy.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
# Pages link hashed names only; not keeping unhashed copies halves the compression work.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
# Tests and debugging serve static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = TESTING or DEBUG
WHITENOISE_AUTOREFRESH = TESTING or DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DIMOS_MAX_UPLOAD_BYTES", 15 * 1024 * 1024)

# --- Email and SMS --------------------------------------------------------------------------
EMAIL_URL = os.environ.get("EMAIL_URL", "")
_email = urlparse(EMAIL_URL or "console://")
_EMAIL_SCHEMES = {"smtp", "smtps", "submission", "file", "console"}
if PRODUCTION and not EMAIL_URL:
    raise ImproperlyConfigured(
        "EMAIL_URL must be set in production: without it emails (with their sign-in links) "
        "would be printed to the log. Set EMAIL_URL=console:// to do that on purpose."
    )
if PRODUCTION and _email.scheme not in _EMAIL_SCHEMES:
    raise ImproperlyConfigured(
        f"EMAIL_URL must start with one of {', '.join(sorted(_EMAIL_SCHEMES))}:// in production."
    )
# Seconds an SMTP connection may wait on the mail server (connect, each command, each reply).
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
if TESTING:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
elif _email.scheme in {"smtp", "smtps", "submission"}:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or {"smtps": 465, "submission": 587}.get(_email.scheme, 25)
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_SSL = _email.scheme == "smtps"
    EMAIL_USE_TLS = _email.scheme == "submission"
elif _email.scheme == "file":
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = _email.path or str(VAR_DIR / "mail")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Dimos <noreply@dimos.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
DIMOS_SMS_BACKEND = os.environ.get("DIMOS_SMS_BACKEND", "dimos.core.sms.LogSmsBackend")
# Seconds an SMS backend may wait on its gateway; passed to the backend as ``timeout=``.
DIMOS_SMS_TIMEOUT = envint("DIMOS_SMS_TIMEOUT", 10)
DIMOS_NOTIFICATION_MAX_ATTEMPTS = envint("DIMOS_NOTIFICATION_MAX_ATTEMPTS", 5)

# --- Maps -----------------------------------------------------------------------------------
DIMOS_TILE_URL = os.environ.get("DIMOS_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
DIMOS_TILE_ATTRIBUTION = os.environ.get(
    "DIMOS_TILE_ATTRIBUTION", "&copy; OpenStreetMap contributors"
)

# Address search and reverse geocoding (dimos.core.geocoding); empty turns them off. Off in
# the test suite unless set, since tests run a Nominatim-speaking server of their own.
DIMOS_GEOCODER = os.environ.get(
    "DIMOS_GEOCODER", "" if TESTING else "dimos.core.geocoding.NominatimGeocoder"
)
DIMOS_GEOCODER_URL = os.environ.get("DIMOS_GEOCODER_URL", "https://nominatim.openstreetmap.org")
DIMOS_GEOCODER_USER_AGENT = os.environ.get("DIMOS_GEOCODER_USER_AGENT", f"Dimos ({SITE_URL})")
DIMOS_GEOCODER_TIMEOUT = envint("DIMOS_GEOCODER_TIMEOUT", 5)
DIMOS_GEOCODER_RATE = os.environ.get("DIMOS_GEOCODER_RATE", "30/m")

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = envint("DIMOS_SESSION_AGE", 60 * 60 * 12)
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = PRODUCTION or envbool("DIMOS_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("DIMOS_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("DIMOS_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

_tile_origin = "{0.scheme}://{0.netloc}".format(urlparse(DIMOS_TILE_URL.replace("{s}", "a")))
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", _tile_origin.replace("//a.", "//*.")],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        # Chromium applies form-action to the redirect after a POST: allow the eID gateway.
        "form-action": [SELF, *([_oidc_origin] if _oidc_origin != "://" else [])],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DIMOS_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Municipality and API -------------------------------------------------------------------
# Mounts /_bench/floor, the trivial page the benchmarks in benchmarks/ measure others against.
DIMOS_BENCH_FLOOR = envbool("DIMOS_BENCH_FLOOR", False)
DIMOS_API_PAGE_SIZE = envint("DIMOS_API_PAGE_SIZE", 50)
DIMOS_API_MAX_PAGE_SIZE = envint("DIMOS_API_MAX_PAGE_SIZE", 500)
DIMOS_API_ANON_RATE = os.environ.get("DIMOS_API_ANON_RATE", "120/m")
DIMOS_API_AUTH_RATE = os.environ.get("DIMOS_API_AUTH_RATE", "600/m")
# Every uploaded image (photos, the logo): more pixels than this is refused from the header,
# before decoding. A 48-megapixel phone camera fits; a small file declaring a huge canvas not.
DIMOS_IMAGE_MAX_PIXELS = envint("DIMOS_IMAGE_MAX_PIXELS", 50_000_000)
NINJA_PAGINATION_PER_PAGE = DIMOS_API_PAGE_SIZE
NINJA_PAGINATION_MAX_LIMIT = DIMOS_API_MAX_PAGE_SIZE

# --- Signing key ----------------------------------------------------------------------------
# The municipality's signing certificate and key (PKCS#12); empty: a generated demo certificate.
# Here rather than in the certificates' conf: production needs it before anything starts, and
# dimos backup/restore keep it with the platform's secrets. Each app's own settings are in its
# conf.py (dimos.reports.conf, dimos.certificates.conf, dimos.appointments.conf; ADR 0023).
DIMOS_SIGNING_PKCS12 = os.environ.get("DIMOS_SIGNING_PKCS12", "")
DIMOS_SIGNING_PKCS12_PASSWORD = os.environ.get("DIMOS_SIGNING_PKCS12_PASSWORD", "")
if PRODUCTION and not DIMOS_SIGNING_PKCS12:
    raise ImproperlyConfigured(
        "DIMOS_SIGNING_PKCS12 must be set in production: the municipality's signing "
        "certificate and key (PKCS#12). The generated demo key is for development only; "
        "certificates signed with it are marked DEMO (docs/deploy.md, Signing key)."
    )
