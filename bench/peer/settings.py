"""The peer's settings: django-allauth as its documentation installs it, login by username
and password, with the portal's production choices where the portal has made one that
allauth leaves open (Argon2id's parameters, sessions in PostgreSQL, kept connections, a
shared cache). The peer's processes read SECRET_KEY, DATABASE_URL and CACHE_URL from the
environment bench/peer_stack.py gives them. Nothing here imports allauth, so tests/bench
can read these settings from the portal's environment.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = ["127.0.0.1"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "allauth",
    "allauth.account",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ROOT_URLCONF = "bench.peer.urls"
WSGI_APPLICATION = "bench.peer.wsgi.application"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [Path(__file__).resolve().parent / "templates"],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]

_database = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1/bench_allauth"))
DATABASES = {"default": {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": _database.path.lstrip("/"), "USER": _database.username or "",
    "PASSWORD": _database.password or "", "HOST": _database.hostname or "",
    "PORT": str(_database.port or ""),
    "CONN_MAX_AGE": 600,  # as the portal's (DB_CONN_MAX_AGE's default): kept per worker
}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# allauth counts its rate limits in Django's cache. The default cache is each process's
# own memory, where a limit would be counted per gunicorn worker; allauth's documentation
# asks for a shared cache in production, and the portal counts in Redis: so Redis here too.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                      "LOCATION": os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/1")}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"  # as the portal's

# Argon2id at the portal's parameters (bench/argon2id.py); the seeded accounts' one hash
# is made with it, so no login rehashes.
PASSWORD_HASHERS = ["bench.peer.hashers.PeerArgon2PasswordHasher"]

ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
LOGIN_REDIRECT_URL = "/welcome/"
# allauth's stock limits from one address ("login": 30/m/ip; "login_failed": 10/m/ip and
# 5 per 5 minutes per username) would refuse the bench's crowd, which comes from one
# address: as bench/settings.py does for the portal, the limits per address are raised to
# a crowd's and kept, each still counted on every POST; the one per username (each
# account logs in once a run) and every other action's limits stay allauth's own.
ACCOUNT_RATE_LIMITS = {
    "login": "1000000/m/ip",
    "login_failed": "1000000/m/ip,5/300s/key",
}
