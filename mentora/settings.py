"""Django settings, read from the environment (see README "Configuration").

SQLite is the embedded default; set DATABASE_URL for PostgreSQL.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


ENV_TRUE = {"1", "true", "yes", "on"}
ENV_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: str = "False") -> bool:
    # A typo such as DEBUG=Flase must stop the start, not quietly read as False (or True).
    value = os.environ.get(name, default)
    if value.strip().lower() not in ENV_TRUE | ENV_FALSE:
        raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no, on/off), not {value!r}.")
    return value.strip().lower() in ENV_TRUE


def envint(name: str, default: str) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "False")
# A public server (docs/deploy.md "Settings"): what a development start may take from defaults must
# be given explicitly, so that a forgotten variable stops the start instead of serving wrong values.
PRODUCTION = envbool("PRODUCTION", "False")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be False when PRODUCTION is True.")

# The key signs sessions and password-reset links. There is no built-in fallback: it comes from the
# environment or from a file of its own (bin/setup writes a random one to var/, which git ignores).
SECRET_KEY_FILE = Path(os.environ.get("SECRET_KEY_FILE", BASE_DIR / "var" / "secret_key"))
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip()
if PRODUCTION and not SECRET_KEY and "SECRET_KEY_FILE" not in os.environ:
    # Every web and worker process of an installation must sign with the same key, not each its own.
    raise ImproperlyConfigured("PRODUCTION needs SECRET_KEY or SECRET_KEY_FILE set in the environment.")
if not SECRET_KEY and SECRET_KEY_FILE.is_file():
    SECRET_KEY = SECRET_KEY_FILE.read_text().strip()
if not SECRET_KEY:
    raise ImproperlyConfigured(
        f"SECRET_KEY is not set and {SECRET_KEY_FILE} does not exist: set SECRET_KEY (or SECRET_KEY_FILE), "
        "or run bin/setup, which creates a random key."
    )

for required in ("ALLOWED_HOSTS", "SITE_URL"):
    if PRODUCTION and not os.environ.get(required, "").strip():
        raise ImproperlyConfigured(f"PRODUCTION needs {required} set in the environment (docs/deploy.md).")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "auditlog",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "allauth.mfa",
    "mentora.core",
    "mentora.ops",
    "mentora.accounts",
    "mentora.organisations",
    "mentora.audit",
    "mentora.scheduler",
    "mentora.people",
    "mentora.hrsync",
    "mentora.scim",
    "mentora.serviceaccounts",
    "mentora.identity",
    "mentora.programs",
    "mentora.pairing",
    "mentora.relationships",
    "mentora.workspace",
    "mentora.agreements",
    "mentora.goals",
    "mentora.meetings",
    "mentora.notes",
    "mentora.checkins",
    "mentora.advocacy",
    "mentora.notifications",
    "mentora.surveys",
    "mentora.evidence",
    "mentora.outcomes",
    "mentora.reports",
    "mentora.privacy",
    "mentora.api",
    "mentora.home",
    "mentora.demo",
    # Last, so that templates/django/forms/widgets (text inputs and textareas with dir="auto") win.
    "django.forms",
]
# Widgets render through TEMPLATES, so the project's widget templates above replace Django's.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

MIDDLEWARE = [
    # First: /health/live, /health/ready and /metrics answer the load balancer and Prometheus
    # without host check, HTTPS redirect, session or CSP (mentora/ops/middleware.py says why).
    "mentora.ops.middleware.OpsEndpointsMiddleware",
    # Request counts and latencies (docs/deploy.md "Metrics"), with its pair just before django-axes.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "mentora.core.permissions_policy.PermissionsPolicyMiddleware",
    "mentora.api.middleware.ApiErrorShapeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A POST under /api/ retried with its Idempotency-Key gets the first answer again (docs/api.md).
    # After the host check (CommonMiddleware) and the language (LocaleMiddleware): a replay goes to an
    # allowed host only, and carries the language headers an answer has.
    "mentora.api.idempotency.IdempotencyKeyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Names the signed-in user as the actor of the governance changes django-auditlog keeps.
    "auditlog.middleware.AuditlogMiddleware",
    # The address and browser of the request, for the audit events services record while serving it.
    "mentora.audit.middleware.AuditRequestMiddleware",
    "mentora.core.middleware.ActivePersonMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # An org admin or program manager whose organisation requires a second factor sets it up first.
    "mentora.accounts.middleware.MfaEnforcementMiddleware",
    "mentora.core.middleware.ViewerTimezoneMiddleware",
    # Reads of the heavy read pages from DATABASE_REPLICA_URL, if set (docs/deploy.md "Read replica").
    "mentora.ops.replica.ReplicaReadsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its explanatory page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mentora.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mentora.core.context_processors.viewer",
            ],
        },
    },
]

WSGI_APPLICATION = "mentora.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'mentora.sqlite3'}",
        # Persistent connections: a new PostgreSQL connection per request costs more than most pages.
        conn_max_age=envint("DB_CONN_MAX_AGE", "60" if PRODUCTION else "0"),
        # A connection kept from an earlier request is checked before reuse (the database may have restarted).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# An optional read replica (docs/deploy.md "Read replica"): GET requests to these pages read from it
# until they write; a browser that has just written reads from the primary for the pin's seconds.
if os.environ.get("DATABASE_REPLICA_URL", "").strip():
    DATABASES["replica"] = {
        **dj_database_url.parse(
            os.environ["DATABASE_REPLICA_URL"].strip(),
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
            conn_health_checks=True,
        ),
        # In tests the replica is the test database itself (the same rows, through another connection).
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["mentora.ops.replica.ReplicaRouter"]
DATABASE_REPLICA_VIEWS = envlist(
    "DATABASE_REPLICA_VIEWS",
    "home,people:list,programs:list,programs:manage,checkins:program,checkins:at_risk,audit:log,"
    "pairing:runs,pairing:compare",
)
DATABASE_REPLICA_PIN_SECONDS = envint("DATABASE_REPLICA_PIN_SECONDS", "10")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Axes first: it refuses a locked-out username before any password is checked. Then django-allauth's
# (sign-in by work e-mail; SSO and MFA sign-ins) and Django's (by username: /admin/), both refusing a
# deactivated person.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Refuses a password of someone whose organisation enforces single sign-on (not a break-glass admin).
    "mentora.identity.backends.EnforcedSsoBackend",
    "mentora.accounts.backends.ActivePersonEmailBackend",
    "mentora.accounts.backends.ActivePersonBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-allauth (docs/security.md "Sign-in"): everyone signs in with their work e-mail; nobody signs
# themselves up (people come from imports, invitations and provisioning, then activate by e-mail).
ACCOUNT_ADAPTER = "mentora.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "mentora.accounts.forms.SignInForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
# Work addresses come from the HR system; opening an activation or reset link proves the address.
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_LOGOUT_REDIRECT_URL = "login"
# Wrong passwords are counted by django-axes (below), per sign-in name, on every path; allauth's own
# sign-in limits would answer first, with a different page and per address (see AXES_LOCKOUT_PARAMETERS).
ACCOUNT_RATE_LIMITS = {"login": False, "login_failed": False}
# Activation links (docs/import.md): single use, valid this many days; password-reset links 3 days.
ACCOUNT_ACTIVATION_DAYS = envint("ACCOUNT_ACTIVATION_DAYS", "14")
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
# Second factor (allauth.mfa): an authenticator app (TOTP) with recovery codes; a wrong code counts
# as a failed sign-in for django-axes (mentora.accounts.forms.MfaAuthenticateForm).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_FORMS = {"authenticate": "mentora.accounts.forms.MfaAuthenticateForm"}
MFA_TOTP_ISSUER = "Mentora"
# Work addresses come from HR (ACCOUNT_EMAIL_VERIFICATION above): allauth's "verify your e-mail
# before adding a second factor" would stop an enforced manager who never used a link.
MFA_ALLOW_UNVERIFIED_EMAIL = True
# Single sign-on per organisation (docs/security.md "Single sign-on"): identity providers are rows
# (SocialApp) an org admin configures; an identity is linked only to a person of that organisation,
# by verified e-mail, never by allauth's e-mail matching across the whole database.
SOCIALACCOUNT_ADAPTER = "mentora.identity.adapter.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_STORE_TOKENS = False
# Failed single sign-on callbacks per client address within the window before they are refused.
SSO_FAILURE_LIMIT = envint("SSO_FAILURE_LIMIT", "10")
SSO_FAILURE_WINDOW = envint("SSO_FAILURE_WINDOW_SECONDS", "900")

# Brute force: a username is locked out after AXES_FAILURE_LIMIT wrong passwords (sign-in page and
# /admin/ alike) until the cool-off ends or an org admin unlocks it ("Locked accounts" page).
# By username, not address: one office behind one address must not lock itself out.
AXES_ENABLED = envbool("AXES_ENABLED", "True")
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", "30"))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "mentora.accounts.views.locked_out"
# allauth's form sends `email`, /admin/ `username`: both count for the same lower-cased name.
AXES_USERNAME_CALLABLE = "mentora.accounts.lockout.lockout_username"
# django-auditlog (model changes, see mentora/audit/tracked.py) would read the client address from
# X-Forwarded-For, which any client can send; the audit log keeps REMOTE_ADDR on its own events.
AUDITLOG_DISABLE_REMOTE_ADDR = True
# The audit log is kept this many days, then `manage.py audit_purge` deletes older events (docs/security.md).
AUDIT_RETENTION_DAYS = envint("AUDIT_RETENTION_DAYS", "730")
# Wrong API tokens are counted per client address in the cache (see mentora/api/auth.py).
API_TOKEN_FAILURE_LIMIT = envint("API_TOKEN_FAILURE_LIMIT", "20")
API_TOKEN_FAILURE_WINDOW = envint("API_TOKEN_FAILURE_WINDOW_SECONDS", "900")
# Django's cache (those counters, and what pages keep there) lives in each process unless CACHE_URL
# names a Redis server shared by every web process of the installation (docs/deploy.md "Settings").
CACHE_URL = os.environ.get("CACHE_URL", "").strip()
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"CACHE_URL must be a Redis address (redis://host:6379/1), not {CACHE_URL!r}.")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# How long an API POST's Idempotency-Key and its answer are kept (mentora/api/idempotency.py).
IDEMPOTENCY_KEY_HOURS = envint("IDEMPOTENCY_KEY_HOURS", "24")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One way of showing dates across the pages, the one the e-mails use (mentora/core/formats/).
FORMAT_MODULE_PATH = ["mentora.core.formats"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
# collectstatic writes here and WhiteNoise serves from here (a volume of its own in a container).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names (collectstatic) let WhiteNoise tell browsers to keep static files for ten years.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "mentora@localhost")
# The folder of EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend (a file per process).
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))

# Background work: the database backend needs no extra service; see README for Redis. Matching runs
# have a queue of their own with its own worker, so that a long run never holds up e-mails and imports.
MATCHING_QUEUE = "matching"
TASK_QUEUES = ["default", MATCHING_QUEUE]
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": TASK_QUEUES,
    }
}
# A matching worker says its run is alive every MATCH_RUN_HEARTBEAT_SECONDS; a run silent for
# MATCH_RUN_LEASE_SECONDS has lost its worker and is marked failed (docs/pairing.md).
MATCH_RUN_HEARTBEAT_SECONDS = envint("MATCH_RUN_HEARTBEAT_SECONDS", "30")
MATCH_RUN_LEASE_SECONDS = envint("MATCH_RUN_LEASE_SECONDS", "300")
if not 1 <= MATCH_RUN_HEARTBEAT_SECONDS * 3 <= MATCH_RUN_LEASE_SECONDS:
    # A lease shorter than a few heartbeats would declare a busy, living worker dead.
    raise ImproperlyConfigured(
        "MATCH_RUN_LEASE_SECONDS must be at least 3 x MATCH_RUN_HEARTBEAT_SECONDS, which must be at least 1."
    )
# Periodic jobs (mentora.core.schedule) are enqueued by `manage.py run_scheduler`; their runs are
# kept this many days.
SCHEDULER_KEEP_DAYS = envint("SCHEDULER_KEEP_DAYS", "90")
# The scheduled HR file sync (docs/import.md): the folders an org admin may name as a source (none:
# addresses only), and whether an address may point at a private or loopback network.
HR_SYNC_FOLDERS = envlist("HR_SYNC_FOLDERS", str(BASE_DIR / "var" / "hr-sync"))
HR_SYNC_ALLOW_PRIVATE_ADDRESSES = envbool("HR_SYNC_ALLOW_PRIVATE_ADDRESSES")
if TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
    # The Redis-backed workers for scale, one command per queue (docs/deploy.md, Processes):
    # `manage.py rqworker --job-class django_tasks_rq.Job default` (and `... matching`).
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {
        name: {
            "URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            # RQ stops a job after 180 s by default; a large matching run may take longer.
            "DEFAULT_TIMEOUT": envint("MATCHING_TIMEOUT_SECONDS", "3600") if name == MATCHING_QUEUE else 600,
        }
        for name in TASK_QUEUES
    }

# Upload limits. Form and JSON bodies (files excluded) are small; an uploaded file above 2.5 MB is
# spooled to a temporary file instead of memory. A 10,000-person HR export is about 5 MB; the people
# import refuses a file above PEOPLE_IMPORT_MAX_BYTES before reading it, and more than
# PEOPLE_IMPORT_MAX_ROWS rows while reading it (docs/import.md).
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", str(5 * 1024 * 1024))
FILE_UPLOAD_MAX_MEMORY_SIZE = envint("FILE_UPLOAD_MAX_MEMORY_SIZE", str(2_621_440))
PEOPLE_IMPORT_MAX_BYTES = envint("PEOPLE_IMPORT_MAX_BYTES", str(20 * 1024 * 1024))
PEOPLE_IMPORT_MAX_ROWS = envint("PEOPLE_IMPORT_MAX_ROWS", "50000")

# HTTPS and security headers; README "Production settings" lists the values for a public server.
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", str(not DEBUG))
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", str(not DEBUG))
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD")
if envbool("SECURE_PROXY_SSL_HEADER"):
    # Only behind a proxy that sets X-Forwarded-Proto itself: otherwise a client could claim HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# No inline script or style anywhere: styles live in static/css/mentora.css, scripts in static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# django-axes would also count failures per address; locking out by username alone is deliberate (see
# AXES_LOCKOUT_PARAMETERS), and `check --deploy` must stay clean for the production settings.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# /metrics (docs/deploy.md "Metrics") answers a scraper that sends `Authorization: Bearer
# METRICS_TOKEN` or connects from one of METRICS_ALLOWED_IPS (addresses or networks); with neither
# set it answers 404. Several gunicorn workers share their counts through PROMETHEUS_MULTIPROC_DIR.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "").strip()
METRICS_ALLOWED_IPS = envlist("METRICS_ALLOWED_IPS")
for _network in METRICS_ALLOWED_IPS:
    try:
        ipaddress.ip_network(_network)
    except ValueError:
        # Found at start, not as a server error at every scrape (10.0.0.1/8 has host bits set).
        raise ImproperlyConfigured(
            f"METRICS_ALLOWED_IPS: {_network!r} is not an address or a network."
        ) from None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
