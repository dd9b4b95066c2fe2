"""Settings, read from the environment through the strict helpers of portal.env.

Every variable is listed, with its meaning, in .env.example.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from federation.keys import inactive_keys, signing_key
from portal.env import (
    database_from_url,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_secret,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY", debug=DEBUG, dev_default="dev-only-" + "x" * 50)
# Seals secrets at rest (SMS bodies waiting to be sent). Derived from SECRET_KEY when unset.
SEALING_KEY = env_str("SEALING_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
# The portal's own origin, as users' browsers see it. Signatures are bound to it.
PORTAL_ORIGIN = env_str("PORTAL_ORIGIN", "http://127.0.0.1:8000")
CSRF_TRUSTED_ORIGINS = [PORTAL_ORIGIN]
# How many of our own proxies stand in front of the portal; 0: clients connect directly.
# The per-address caps read the client's address from X-Forwarded-For accordingly.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

INSTALLED_APPS = [
    "portal.apps.PortalAdminConfig",  # django.contrib.admin, with the portal's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "captcha",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "oauth2_provider",
    "health_check",  # its page's template, for /health/ready/ asked for in HTML
    "portal",
    "accounts",
    "operator_console",
    "federation",
    "sandbox",
]

MIDDLEWARE = [
    "portal.correlation.CorrelationMiddleware",  # first: the whole request runs under its id
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.metrics.RequestMetrics",  # every answer of a view (static files aside)
    "portal.middleware.ServiceUnavailableMiddleware",
    "portal.sessions.SessionMiddleware",  # a stale cookie never deletes a fresh one
    "portal.language.LanguageMiddleware",  # the cookie of the header's switch, else vi
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Renders every field ({{ form.name.as_field_group }}) in crispy's bootstrap5 markup and
# every widget; templates/ may override either (the captcha widget is ours).
FORM_RENDERER = "portal.forms_renderer.PortalFormRenderer"
ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.operator",
                "operator_console.context_processors.console_menu",
                "federation.vneid.context.vneid",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL"),
        sqlite_path=BASE_DIR / "db.sqlite3",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 600),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis carries the cache and the task queue. Without it, the cache is local memory
# and tasks run in-process, so `make run` needs nothing installed.
REDIS_URL = env_str("REDIS_URL")
REDIS_TIMEOUT = env_float("REDIS_TIMEOUT", 2.0)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT,
                "SOCKET_TIMEOUT": REDIS_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# What base.html draws the same on every page ({% cache %}: head, header, brand, footer, per
# language), kept in each process: it changes only with a deploy, which starts new ones.
CACHES["template_fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "template-fragments",
}

# Rate limits (accounts/ratelimit/) count in Redis, or in the database when it is not set
# or does not answer.
RATE_LIMIT_REDIS_URL = env_str("RATE_LIMIT_REDIS_URL", REDIS_URL)

# Server-side sessions, in the database: they outlive a Redis restart (portal/sessions.py).
SESSION_ENGINE = "portal.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

AUTH_USER_MODEL = "accounts.Account"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
PASSWORD_HASHERS = [
    "accounts.hashers.PortalArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "email")},
    },
    {"NAME": "accounts.passwords.PasswordRuleValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "vi"
# Vietnamese by default; English when chosen with the header's switch (portal/language.py).
# locale/en/ holds the English catalogue, complete (tests/portal/test_translations.py).
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# The pack of the fields' markup: portal.forms_renderer renders its bootstrap5/field.html.
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Captcha ("Mã xác thực") -------------------------------------------------------
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 5  # minutes
CAPTCHA_IMAGE_SIZE = (150, 45)
CAPTCHA_FONT_SIZE = 32
CAPTCHA_NOISE_FUNCTIONS = ("captcha.helpers.noise_arcs", "accounts.captcha_noise.noise_dots")
# For automated acceptance runs only: the answer PASSED is accepted. Never in production.
CAPTCHA_TEST_MODE = env_bool("PORTAL_CAPTCHA_TEST_MODE", False)
if CAPTCHA_TEST_MODE and not DEBUG:
    raise ImproperlyConfigured("PORTAL_CAPTCHA_TEST_MODE is refused when DEBUG is off")

# --- Codes, SMS and rate limits: every number in one place -------------------------
# Each limit is "count/period"; periods are s, m, h or d. Keys are hashed (HMAC) before
# they are stored, so no phone number or ID number sits in the rate-limit table.
PORTAL_LIMITS = {
    "code_digits": 6,
    "code_valid_seconds": 5 * 60,
    "code_max_failures": 5,
    "code_resend_after_seconds": 60,
    "sms_per_phone": ["5/1h", "10/1d"],
    "sms_per_ip": ["30/1h"],
    "password_per_account": ["10/15m"],
    "password_per_ip": ["50/15m"],
    "registry_per_ip": ["20/1h"],
    # New phone numbers tried on one account (each asks the carrier, then texts the number).
    "phone_change_per_account": ["5/1h", "10/1d"],
    "signature_per_ip": ["60/1h"],
    "sim_per_phone": ["5/1h", "10/1d"],
    # A counter sends codes for many citizens from one office address: its clerks are
    # counted each, in place of the per-address cap.
    "sms_per_clerk": ["60/1h", "300/1d"],
    "counter_code_valid_seconds": 2 * 60,
    "lookup_per_clerk": ["200/1h", "1000/1d"],
    "flow_valid_seconds": 15 * 60,
    "fresh_valid_seconds": 15 * 60,  # a proof of identity counts this long for sensitive acts
    # Security notices to an account's own phone: enough for a busy day, not for a flood.
    "notice_per_account": ["5/1h", "20/1d"],
    # …and the notices of what can take an account away (password, phone, email, a factor
    # removed), on a cap of their own that routine notices cannot fill.
    "notice_critical_per_account": ["5/1h", "20/1d"],
    # Guesses at an authenticator app's code or a backup code (each also backs off by
    # itself: 1, 2, 4… seconds after each wrong one), and passkey answers that fail.
    "factor_guess_per_account": ["10/15m", "30/1d"],
    "factor_guess_per_ip": ["50/15m"],
    # Changing the email (accounts/flows/email_change.py): codes mailed per account and to
    # one address (no address flooded from many accounts), code guesses per account.
    "email_per_account": ["5/1h", "10/1d"],
    "email_per_address": ["5/1h", "10/1d"],
    "email_code_guess": ["10/1h"],
    # Other portals exchanging sign-in codes for tokens (federation/): per client id and per
    # address. A province's back end exchanges every code of its visitors from one address:
    # the address cap sits below the client's, so no single address can use up a client's.
    "token_per_client": ["1200/1m"],
    "token_per_ip": ["300/1m"],
}

# The authenticator app's entry names the portal; a wrong code waits 1, 2, 4… seconds.
OTP_TOTP_ISSUER = "DichVuCong"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_BACKUP_THROTTLE_FACTOR = 1  # the same back-off for backup codes

# Passkeys (WebAuthn) belong to this domain: PORTAL_ORIGIN's host or a parent of it (a
# deploy check compares them); the origin they answer on is PORTAL_ORIGIN. Changing it
# strands every passkey already made. Empty in development: the host a page is opened at,
# which must be a name (http://localhost:8000), as browsers refuse an IP address.
WEBAUTHN_RP_ID = env_str("WEBAUTHN_RP_ID")
if not DEBUG and not WEBAUTHN_RP_ID:
    raise ImproperlyConfigured("WEBAUTHN_RP_ID must be set when DEBUG is off")

# --- Readiness (/health/ready/, portal/readiness.py) ---------------------------------
# Who may ask (the proxy, the probes; /metrics/ too), and how long a message may wait for
# the worker.
READINESS_NETWORKS = env_str(
    "READINESS_NETWORKS", "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16"
).split(",")
READINESS_QUEUE_MAX_SECONDS = env_int("READINESS_QUEUE_MAX_SECONDS", 120)
# Prometheus (portal/metrics.py): each web process answers /metrics/ (READINESS_NETWORKS
# only); each Celery worker serves its own on this host:port when set.
WORKER_METRICS_BIND = env_str("WORKER_METRICS_BIND")

# --- Outside systems, each an adapter chosen by dotted path -------------------------
# Every call to one is recorded (portal/calls.py) and its record kept this many days.
OUTBOUND_CALLS_KEEP_DAYS = env_int("OUTBOUND_CALLS_KEEP_DAYS", 90)
# {"BACKEND": dotted path, "OPTIONS": keyword arguments}, built by portal.adapters.adapter.
SMS_BACKENDS = {
    "default": {
        "BACKEND": env_str("SMS_BACKEND", "accounts.sms.backends.outbox.OutboxBackend"),
        "OPTIONS": {
            "url": env_str("SMS_GATEWAY_URL", "http://127.0.0.1:8100/sms/send"),
            "token": env_str("SMS_GATEWAY_TOKEN"),
            "timeout": env_float("SMS_GATEWAY_TIMEOUT", 5.0),
        },
    }
}
REGISTRIES = {
    "carrier": {
        "BACKEND": env_str("CARRIER_REGISTRY", "sandbox.registries.SandboxCarrierRegistry"),
        "OPTIONS": {
            "url": env_str("CARRIER_REGISTRY_URL", "http://127.0.0.1:8100/carrier/check"),
            "timeout": env_float("CARRIER_REGISTRY_TIMEOUT", 5.0),
        },
    },
    "bhxh": {
        "BACKEND": env_str("BHXH_REGISTRY", "sandbox.registries.SandboxBhxhRegistry"),
        "OPTIONS": {
            "url": env_str("BHXH_REGISTRY_URL", "http://127.0.0.1:8100/bhxh/lookup"),
            "timeout": env_float("BHXH_REGISTRY_TIMEOUT", 5.0),
        },
    },
    # Which ID numbers are one person's (a CMND and the CCCD that replaced it).
    "population": {
        "BACKEND": env_str("POPULATION_REGISTRY",
                           "sandbox.registries.SandboxPopulationRegistry"),
        "OPTIONS": {
            "url": env_str("POPULATION_REGISTRY_URL",
                           "http://127.0.0.1:8100/population/numbers"),
            "timeout": env_float("POPULATION_REGISTRY_TIMEOUT", 5.0),
        },
    },
    "vnpost": {
        "BACKEND": env_str("VNPOST_REGISTRY", "sandbox.registries.SandboxVnpostRegistry"),
        "OPTIONS": {
            "url": env_str("VNPOST_REGISTRY_URL", "http://127.0.0.1:8100/vnpost/lookup"),
            "timeout": env_float("VNPOST_REGISTRY_TIMEOUT", 5.0),
        },
    },
}
# The carriers' mobile signature service ("SIM ký số"). Production sets
# signing.sim.http.HttpSimSignatureService; the sandbox answers from the sample SIMs.
SIM_SIGNATURE_SERVICE = {
    "BACKEND": env_str("SIM_SIGNATURE_SERVICE", "sandbox.registries.SandboxSimSignatureService"),
    "OPTIONS": {
        "url": env_str("SIM_SIGNATURE_URL", "http://127.0.0.1:8100/sim"),
        "timeout": env_float("SIM_SIGNATURE_TIMEOUT", 5.0),
    },
}
# What fetches the CAs' revocation lists and asks their OCSP responders. In development
# the development CA answers in-process (sandbox/ca_service.py).
SIGNING_REVOCATION_FETCHER = {
    "BACKEND": env_str("SIGNING_REVOCATION_FETCHER",
                       "sandbox.ca_service.SandboxRevocationFetcher" if DEBUG
                       else "signing.fetch.HttpRevocationFetcher"),
    "OPTIONS": {"timeout": env_float("SIGNING_REVOCATION_TIMEOUT", 3.0)},
}
# Sign-in with VNeID (federation/vneid/): an OpenID Connect provider the portal is a client
# of. Development signs in at the sandbox VNeID of the sandbox server (`make sandbox`,
# started by `make run`); a production site offers VNeID only once VNEID_ISSUER is set,
# and then needs its client id and secret (VNEID_CLIENT_SECRET or _FILE) and https.
VNEID_ISSUER = env_str("VNEID_ISSUER", "http://127.0.0.1:8100/vneid" if DEBUG else "")
VNEID_PROVIDER = {
    "BACKEND": env_str("VNEID_PROVIDER", "federation.vneid.oidc.OidcEidProvider"),
    "OPTIONS": {
        "issuer": VNEID_ISSUER,
        # In development, the sandbox's one client (sandbox/vneid.py).
        "client_id": env_str("VNEID_CLIENT_ID", "dichvucong" if DEBUG else ""),
        "client_secret": env_secret("VNEID_CLIENT_SECRET", debug=DEBUG or not VNEID_ISSUER,
                                    dev_default="vneid-sandbox-secret" if DEBUG else ""),
        "timeout": env_float("VNEID_TIMEOUT", 5.0),
    },
}
if VNEID_ISSUER and not VNEID_PROVIDER["OPTIONS"]["client_id"]:
    raise ImproperlyConfigured("VNEID_CLIENT_ID must be set when VNEID_ISSUER is")
SANDBOX_PEOPLE_FILE = BASE_DIR / "sandbox" / "people.json"
# Stand-ins keep codes in clear or answer from sample people: never by accident in
# production. A staging site on sample data says so explicitly.
SANDBOX_BACKENDS_ALLOWED = env_bool("SANDBOX_BACKENDS_ALLOWED", DEBUG)
STAND_INS = ("sandbox.", "accounts.sms.backends.outbox.", "accounts.sms.backends.locmem.")
for _adapter in [SMS_BACKENDS["default"], *REGISTRIES.values(), SIM_SIGNATURE_SERVICE,
                 SIGNING_REVOCATION_FETCHER, VNEID_PROVIDER]:
    if _adapter["BACKEND"].startswith(STAND_INS) and not SANDBOX_BACKENDS_ALLOWED:
        raise ImproperlyConfigured(
            f"{_adapter['BACKEND']} is a stand-in: set the real backend, or "
            "SANDBOX_BACKENDS_ALLOWED=1 for a site on sample data"
        )
# The sandbox VNeID answers over plain http, from sample people: the same rule.
if VNEID_ISSUER and not VNEID_ISSUER.startswith("https://") and not SANDBOX_BACKENDS_ALLOWED:
    raise ImproperlyConfigured(
        f"VNEID_ISSUER {VNEID_ISSUER} is not https: set the real provider, or "
        "SANDBOX_BACKENDS_ALLOWED=1 for a site on sample data")

# --- Email: Django's EMAIL_BACKEND, sent through the task queue (accounts/mail/) --------
# Development keeps each message for /dev/email/; production speaks SMTP, its password
# only from the environment (or EMAIL_HOST_PASSWORD_FILE).
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "accounts.mail.outbox.OutboxBackend" if DEBUG
                        else "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_float("EMAIL_TIMEOUT", 10.0)  # a silent server must not hold a worker
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL",
                             "Cổng Dịch vụ công quốc gia <khongtraloi@example.vn>")
# These keep or print a message, codes included: stand-ins, as for SMS.
MAIL_STAND_INS = ("accounts.mail.outbox.", *(f"django.core.mail.backends.{name}."
                                             for name in ("console", "filebased", "locmem")))
if EMAIL_BACKEND.startswith(MAIL_STAND_INS) and not SANDBOX_BACKENDS_ALLOWED:
    raise ImproperlyConfigured(
        f"EMAIL_BACKEND {EMAIL_BACKEND} is a stand-in: set the SMTP backend, or "
        "SANDBOX_BACKENDS_ALLOWED=1 for a site on sample data")
if EMAIL_HOST_USER and not EMAIL_HOST_PASSWORD and not DEBUG:
    raise ImproperlyConfigured("EMAIL_HOST_PASSWORD must be set when EMAIL_HOST_USER is")
# --- end of email ----------------------------------------------------------------------

# --- Signatures (USB token, SIM): whom we trust, where the local agent listens ----------
# PEM files, comma-separated. Without them no certificate is trusted. In development they
# default to the CA written by `python manage.py dev_ca`.
DEV_CA_DIR = BASE_DIR / "var" / "dev-ca"
def _dev_ca_files(*names: str) -> str:
    return ",".join(str(DEV_CA_DIR / name) for name in names) if DEBUG else ""


SIGNING_TRUST = {
    "ROOTS": env_list("SIGNING_TRUST_ROOTS", _dev_ca_files("root.pem")),
    # The government's specialised CA (Ban Cơ yếu Chính phủ): only its certificates open
    # the "Cơ quan nhà nước" tab, and they are taken for nothing else.
    "GOVERNMENT_ROOTS": env_list("SIGNING_GOVERNMENT_ROOTS", _dev_ca_files("gov-root.pem")),
    "INTERMEDIATES": env_list("SIGNING_INTERMEDIATES",
                              _dev_ca_files("intermediate.pem", "gov-intermediate.pem")),
    "CRLS": env_list("SIGNING_CRLS", _dev_ca_files("crl.pem", "gov-crl.pem")),
    # Distribution points to fetch besides those the certificates name (accounts/revocation.py).
    "CRL_URLS": env_list("SIGNING_CRL_URLS", ""),
    # How long past its nextUpdate a list is still relied on; after that a certificate of
    # its CA is refused until a fresh list is fetched.
    "CRL_GRACE_SECONDS": env_int("SIGNING_CRL_GRACE_SECONDS", 3600),
}

# Where the page finds the signing agent on the person's own computer.
SIGNING_AGENT_URL = env_str("SIGNING_AGENT_URL", "http://127.0.0.1:13579")
# The agent a person downloads ("Công cụ ký số"): built here by `manage.py build_agent`;
# an installed agent older than the minimum is asked to be replaced.
SIGNING_AGENT_DIST_DIR = Path(env_str("SIGNING_AGENT_DIST_DIR", str(BASE_DIR / "var" / "agent")))
SIGNING_AGENT_MIN_VERSION = env_str("SIGNING_AGENT_MIN_VERSION", "1.1.0")

# --- Celery: tasks in-process without Redis ------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Worker processes; unset: one per core (Celery's default).
CELERY_WORKER_CONCURRENCY = env_int("CELERY_WORKER_CONCURRENCY", 0) or None
# Celery closes the database connection around each task unless told to reuse it; it is
# then closed every 1000 tasks, and portal/celery.py handles it as between web requests.
CELERY_DB_REUSE_MAX = 1000
CELERY_TASK_IGNORE_RESULT = True
# A dead broker must not hold a page for long: fail fast, show a message, let them retry.
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": REDIS_TIMEOUT,
    "socket_timeout": REDIS_TIMEOUT,
    "max_retries": 1,
    # A message whose worker died (tasks ack late) runs again after this many seconds
    # (Redis's default: an hour, long after an OTP expired). It must exceed the longest
    # task plus the longest retry countdown (retry_backoff_max = 60 s), or a held retry
    # runs twice (harmless for SMS: row lock + gateway idempotency key).
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 120),
    "unacked_restore_throttle": 1,  # look every unacked_restore_interval (10 s), not 100 s
}
CELERY_BEAT_SCHEDULE = {
    "housekeeping": {"task": "accounts.tasks.housekeeping_purge_task", "schedule": 3600.0},
    "scans": {"task": "operator_console.tasks.scans_orphaned_purge_task", "schedule": 3600.0},
    "revocation": {"task": "accounts.tasks.revocation_refresh_task",
                   "schedule": env_float("SIGNING_CRL_REFRESH_SECONDS", 900.0)},
    "oidc_tokens": {"task": "federation.tasks.tokens_expired_purge_task", "schedule": 3600.0},
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
# Two queues: "messages" (SMS and email a person is waiting for) and "upkeep" (beat's
# purges and list refreshes), so an hour's purge never holds up a login code. A worker
# started without -Q takes both; production runs one worker per queue (deploy/shape.py).
CELERY_TASK_DEFAULT_QUEUE = "upkeep"
CELERY_TASK_QUEUES = {"messages": {"routing_key": "messages"}, "upkeep": {"routing_key": "upkeep"}}
CELERY_TASK_ROUTES = {"accounts.tasks.sms_deliver_task": {"queue": "messages"},
                      "accounts.tasks.mail_deliver_task": {"queue": "messages"}}

# --- Counter console: scans of ID cards ---------------------------------------------
# Encrypted files (AES-256-GCM) outside the static and media paths; the key is 32 bytes,
# base64, from the environment (required when DEBUG is off).
SCAN_STORAGE_ROOT = Path(env_str("SCAN_STORAGE_ROOT", str(BASE_DIR / "var" / "scans")))
SCAN_ENCRYPTION_KEY = env_secret(
    "SCAN_ENCRYPTION_KEY", debug=DEBUG, dev_default="ZGV2LW9ubHktc2Nhbi1rZXktMzItYnl0ZXMtbG9uZyE="
)
SCAN_MAX_BYTES = 5 * 1024 * 1024
UPLOAD_MAX_FILE_BYTES = SCAN_MAX_BYTES
FILE_UPLOAD_HANDLERS = [
    "portal.uploads.SizeCapUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- Federation: the OpenID Connect provider other portals sign people in with ----------
# django-oauth-toolkit, configured for the authorization code flow with PKCE (S256) only;
# federation/ adds the pairwise subjects, the claims, acr, consent and the pages. The ID
# tokens' RS256 key comes from OIDC_RSA_PRIVATE_KEY (or _FILE), required when DEBUG is off;
# in development one is made once into var/oidc/. After a rotation the previous keys go to
# OIDC_RSA_PRIVATE_KEYS_INACTIVE (PEM blocks one after another): still in the JWKS.
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_ISS_ENDPOINT": PORTAL_ORIGIN,  # the issuer: never the Host header of a request
    "OIDC_RSA_PRIVATE_KEY": signing_key(env_str("OIDC_RSA_PRIVATE_KEY"), debug=DEBUG,
                                        dev_file=BASE_DIR / "var" / "oidc" / "signing-key.pem"),
    "OIDC_RSA_PRIVATE_KEYS_INACTIVE": inactive_keys(env_str("OIDC_RSA_PRIVATE_KEYS_INACTIVE")),
    "OAUTH2_VALIDATOR_CLASS": "federation.validator.PortalValidator",
    "SCOPES_BACKEND_CLASS": "federation.scopes.ScopeCatalogue",
    "PKCE_REQUIRED": True,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 5 * 60,
    "ID_TOKEN_EXPIRE_SECONDS": 5 * 60,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 8 * 3600,  # only for the clients allowed them
    "REFRESH_TOKEN_REUSE_PROTECTION": True,  # a replayed refresh token ends its family
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OIDC_SUBJECT_TYPES_SUPPORTED": ["pairwise"],
    # Development clients (the sample provincial portal) answer on http://127.0.0.1.
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"] if DEBUG else ["https"],
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,  # asked unless the ID token is theirs
    "OIDC_RP_INITIATED_LOGOUT_STRICT_REDIRECT_URIS": True,
    # RFC 9700 (OAuth 2.0 Security BCP): no implicit or password grant, no "plain" PKCE,
    # no token in a query string, `iss` in the authorization response, tokens stored
    # as digests only. A plaintext http redirect is a deploy error, development apart.
    **{f"COMPLIANT_BCP_RFC9700_{gate}": True for gate in (
        "IMPLICIT_GRANT", "PASSWORD_GRANT", "PKCE_METHOD", "ACCESS_TOKEN_TRANSPORT",
        "AUTHZ_RESPONSE_ISS", "TOKEN_STORAGE", "REFRESH_TOKEN", "REDIRECT_URI_MATCHING",
        "PKCE_REQUIRED")},
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": not DEBUG,
}
# The toolkit's own models, named because federation's models point at them (migrations
# of a relation to a swappable model read these).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"

# --- Development pages (/dev/: the SMS outbox, the simulated phone) ----------------
# Routed only with this on; a production site (DEBUG off) refuses it.
DEV_PAGES = env_bool("DEV_PAGES", DEBUG)
if DEV_PAGES and not DEBUG:
    raise ImproperlyConfigured("DEV_PAGES is refused when DEBUG is off")

# --- Footer: this deployment's operator ---------------------------------------------
PORTAL_OPERATOR = {
    "name": env_str("PORTAL_OPERATOR_NAME", "Đơn vị vận hành Cổng (bản phát triển)"),
    "hotline": env_str("PORTAL_HOTLINE", "1800 0000"),
    "email": env_str("PORTAL_SUPPORT_EMAIL", "hotro@example.vn"),
}
TERMS_VERSION = "2026-11-22"

# Every line carries its request's or task's correlation id, and no run of 9+ digits
# (portal/logs.py); JSON lines unless LOG_FORMAT=plain (the default with DEBUG on).
LOG_FORMAT = env_str("LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured("LOG_FORMAT must be plain or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "portal.logs.Context"}},
    "formatters": {"plain": {"()": "portal.logs.PlainFormatter"},
                   "json": {"()": "portal.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT,
                             "filters": ["context"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# --- Production security: `manage.py check --deploy` prints no warning --------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Probes and Prometheus ask each web process directly, in plain HTTP, behind the proxy.
    SECURE_REDIRECT_EXEMPT = [r"^health/", r"^metrics/$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
