"""Settings for painrelief, read from environment variables (README, "Configuration")."""

import os
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core -------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG")
TESTING = "pytest" in sys.modules or sys.argv[1:2] == ["test"]

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "Set the SECRET_KEY environment variable (or DJANGO_DEBUG=true for local development)."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 (DEBUG or tests only)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SITE_NAME = os.environ.get("SITE_NAME", "Pain Relief Coach")
# The public address, for links in emails: tasks send them outside any request, and a Host
# header must not choose where readers' private links point.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
if not SITE_URL:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "Set the SITE_URL environment variable to the site's public address, "
            "e.g. https://painrelief.example."
        )
    SITE_URL = "http://testserver" if TESTING else "http://127.0.0.1:8000"

# --- Applications -------------------------------------------------------------
INSTALLED_APPS = [
    "painrelief.apps.SiteAdminConfig",  # django.contrib.admin with our AdminSite
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_tasks_db",
    "painrelief.accounts",
    "painrelief.comments",
    "painrelief.spam",
    "painrelief.downloads",
    "painrelief.mail",
    "painrelief.worker",
    "painrelief.demo",
    "painrelief.subscriptions",
    "articles",
    "questions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy, which Django has no setting for.
    "painrelief.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public pages from the cache, compressed once; private, no-store for everything else.
    "painrelief.pagecache.PageCacheMiddleware",
    # HTML, feeds and the sitemap compressed (static files come compressed from WhiteNoise).
    "django.middleware.gzip.GZipMiddleware",
    # ETag (on the uncompressed page, so below GZip) and 304 Not Modified.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Anonymous GETs read from the replica, if one is set (after authentication: it asks).
    "painrelief.db_router.ReplicaReadsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "painrelief.urls"
WSGI_APPLICATION = "painrelief.wsgi.application"
ASGI_APPLICATION = "painrelief.asgi.application"

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
                "django.template.context_processors.csp",
                "painrelief.context_processors.site",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
# SQLite by default so that a newcomer runs the site with one command;
# PostgreSQL (production) when DATABASE_URL is set.
POSTGRESQL = "django.db.backends.postgresql"


def database(url: str | None = None) -> dict:
    """A connection's settings from a database URL (DATABASE_URL when `url` is None)."""
    options = {
        "conn_max_age": int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        "conn_health_checks": True,
    }
    if url is None:
        config = dj_database_url.config(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", **options)
    else:
        config = dj_database_url.parse(url, **options)
    if config["ENGINE"] == POSTGRESQL:
        # An unreachable server must fail fast: readers get the 503 page, not a hung request.
        config.setdefault("OPTIONS", {})["connect_timeout"] = int(
            os.environ.get("DB_CONNECT_TIMEOUT", "5")
        )
    return config


DATABASES = {"default": database()}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL and IMMEDIATE transactions let runserver's threads write without "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
# A PostgreSQL streaming replica: anonymous public reads go to it, writes and a writer's next
# reads to the primary (painrelief/db_router.py). READ_REPLICA names the alias reads may use.
READ_REPLICA = None
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = database(os.environ["DATABASE_REPLICA_URL"])
    READ_REPLICA = "replica"
elif (
    TESTING
    and os.environ.get("TEST_DATABASE_REPLICA_URL")
    and DATABASES["default"]["ENGINE"] == POSTGRESQL
):
    # scripts/run-tests' replica of the test server: tests/scaleout/test_replica.py turns
    # READ_REPLICA on; every other test reads from the primary, as without a replica.
    DATABASES["replica"] = database(os.environ["TEST_DATABASE_REPLICA_URL"])
if "replica" in DATABASES:
    # Under test, the replica streams the primary's test database, of the same name.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["painrelief.db_router.PrimaryReplicaRouter"]
# How long after a POST the writer's reads stay on the primary (the "wrote" cookie).
REPLICA_PIN_SECONDS = int(os.environ.get("REPLICA_PIN_SECONDS", "10"))
# After the replica failed a request, how long a process reads from the primary only.
REPLICA_RETRY_SECONDS = int(os.environ.get("REPLICA_RETRY_SECONDS", "30"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions -------------------------------------------------------
# The spam defence's rate limits and duplicate checks, the guest receipt and download limits
# count in the cache. REDIS_URL: one Redis shared by every process on every server, which also
# keeps the sessions (README, "Running on several servers"). Without it, CACHE_DIR: a folder
# shared by the processes of one machine; without either, each process's own memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Several sites (or a staging copy) may share one Redis.
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "painrelief"),
            # An unreachable Redis fails a request (and /healthz) in seconds, never hangs it.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
elif os.environ.get("CACHE_DIR"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ["CACHE_DIR"],
            # Django's 300 entries are fewer than a site's pages: at 300 a third of the cache,
            # pages included, is deleted at random on each write. Each write lists the folder
            # (about 2.5 µs an entry), so past a few thousand entries Redis is the cache to use.
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "2000"))},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions in the database, whose key is checked before any query (painrelief/sessions). With
# Redis they are read from it and written through to the database: a Redis restart signs no
# one out. Not with the other caches: a process's memory would keep a session signed out
# elsewhere.
SESSION_ENGINE = "painrelief.sessions.cached_db" if REDIS_URL else "painrelief.sessions"

# Public pages (painrelief/pagecache.py): kept by the site's cache for PAGE_CACHE_SECONDS (it is
# invalidated on every change, so this may be long), search results for SEARCH_CACHE_SECONDS;
# proxies and browsers may keep them for PUBLIC_MAX_AGE, and serve them stale while they fetch
# a fresh copy for PUBLIC_STALE_WHILE_REVALIDATE more (nobody can tell them a page changed).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "3600"))
SEARCH_CACHE_SECONDS = int(os.environ.get("SEARCH_CACHE_SECONDS", "60"))
PUBLIC_MAX_AGE = int(os.environ.get("PUBLIC_MAX_AGE", "60"))
PUBLIC_STALE_WHILE_REVALIDATE = int(os.environ.get("PUBLIC_STALE_WHILE_REVALIDATE", "30"))
# Part of every cached page's key: a release with a new value never serves the old pages.
# Empty: a digest of the deployed code, templates and static manifest, computed at start-up.
CACHE_VERSION = os.environ.get("CACHE_VERSION", "")

# --- Accounts and authentication ----------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "painrelief.accounts.backends.EmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Repeated wrong passwords (django-axes): after 5 failures for one email from one IP address,
# that pair is locked out for 15 minutes. Keying on the pair stops a stranger from locking a
# reader out from elsewhere.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_USERNAME_CALLABLE = "painrelief.accounts.backends.login_attempt_username"
AXES_VERBOSE = False
# The login history (django-axes: each login's address and browser) is kept this long.
LOGIN_HISTORY_DAYS = int(os.environ.get("LOGIN_HISTORY_DAYS", "30"))
# An account whose address is never confirmed, with nothing on the site, is deleted after this
# many days (Discourse: 14).
UNCONFIRMED_ACCOUNT_DAYS = int(os.environ.get("UNCONFIRMED_ACCOUNT_DAYS", "14"))
# The client's IP is REMOTE_ADDR, unless PROXY_COUNT says how many trusted proxies stand in front
# of the site: then it is read from X-Forwarded-For, counting from the right (not spoofable).
# Everything reads it through painrelief.client_ip.client_ip(), login throttling included.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "painrelief.client_ip.client_ip"

AVATAR_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
AVATAR_MAX_PIXELS = 40_000_000
AVATAR_SIZES = {"large": 256, "small": 64}

# --- Articles -------------------------------------------------------------------
ARTICLE_IMAGE_MAX_UPLOAD_BYTES = 15 * 1024 * 1024
ARTICLE_IMAGE_MAX_PIXELS = 60_000_000
ARTICLE_IMAGE_WIDTHS = [480, 800, 1200, 1600]  # renditions, in pixels; the largest caps the picture
ARTICLES_PER_PAGE = 10
# PostgreSQL text-search configuration (stemming and stop words) for the article search.
ARTICLES_SEARCH_CONFIG = os.environ.get("ARTICLES_SEARCH_CONFIG", "english")

# --- Questions -------------------------------------------------------------------
QUESTIONS_MAX_LENGTH = 10_000  # characters in a case
QUESTIONS_PER_PAGE = 10
# Private links sit in URL paths (histories, logs): short-lived, and renewed by email.
QUESTIONS_LINK_MAX_AGE_DAYS = int(os.environ.get("QUESTIONS_LINK_MAX_AGE_DAYS", "30"))
# Unanswered and declined questions are deleted after this many days (`questions purge`).
QUESTIONS_RETENTION_DAYS = int(os.environ.get("QUESTIONS_RETENTION_DAYS", "180"))
# Comments' and questions' IP addresses and browsers are erased after this many days
# (painrelief.privacy.erase_old_traces, daily); the spam defence reads recent ones.
TRACE_RETENTION_DAYS = int(os.environ.get("TRACE_RETENTION_DAYS", "30"))

# --- Encryption at rest (painrelief/encryption.py) ------------------------------------
# Keys of the private parts of questions, comma-separated: the first encrypts, the others are
# old keys still read until `manage.py encryption rotate` (README, "Encryption at rest").
# Unset: a public development key, which `check --deploy` refuses.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")

# --- Comments ------------------------------------------------------------------
COMMENTS_MAX_DEPTH = int(os.environ.get("COMMENTS_MAX_DEPTH", "5"))  # deeper replies sit beside
COMMENTS_MAX_LENGTH = int(os.environ.get("COMMENTS_MAX_LENGTH", "5000"))  # characters
COMMENTS_THREADS_PER_PAGE = int(os.environ.get("COMMENTS_THREADS_PER_PAGE", "50"))
COMMENTS_NEWEST_FIRST = env_bool("COMMENTS_NEWEST_FIRST")  # top-level threads; replies read down
COMMENTS_CLOSE_AFTER_DAYS = int(os.environ.get("COMMENTS_CLOSE_AFTER_DAYS", "0"))  # 0: never
COMMENTS_NOTIFY_COACH = env_bool("COMMENTS_NOTIFY_COACH", True)
COMMENTS_EDIT_MINUTES = int(os.environ.get("COMMENTS_EDIT_MINUTES", "10"))
# Readers' reports from this many readers hide a comment until a moderator decides.
COMMENT_REPORTS_TO_HIDE = int(os.environ.get("COMMENT_REPORTS_TO_HIDE", "3"))
# Comments' "www.example.org" links to https:// (Django's default from 2028; until then it warns).
URLIZE_ASSUME_HTTPS = True

# --- Spam defence (painrelief/spam) --------------------------------------------------
# Shadow mode: the defence records what it would do, and everything is approved.
SPAM_SHADOW_MODE = env_bool("SPAM_SHADOW_MODE")
# As WordPress: a guest waits for a moderator until something of theirs has been approved.
SPAM_HOLD_FIRST_TIME_GUESTS = env_bool("SPAM_HOLD_FIRST_TIME_GUESTS", True)
SPAM_MIN_SECONDS = float(os.environ.get("SPAM_MIN_SECONDS", "3"))  # faster than a person types
SPAM_MAX_FORM_AGE_HOURS = int(os.environ.get("SPAM_MAX_FORM_AGE_HOURS", "48"))
SPAM_MAX_LINKS = int(os.environ.get("SPAM_MAX_LINKS", "2"))  # more links: held
SPAM_DUPLICATE_MIN_LENGTH = 30  # shorter texts ("Thank you!") may repeat
SPAM_RATE_LIMIT_PER_HOUR = int(os.environ.get("SPAM_RATE_LIMIT_PER_HOUR", "10"))
SPAM_HISTORY_DAYS = 180  # an address that sent spam is held for this long
# How strict the filter is: the share of real readers' comments it may hold or mark. The hold
# threshold is calibrated so that at most this share of the site's ham it learned (from
# moderators and `spam train`, not the starter corpus) would have been flagged.
SPAM_TARGET_FPR = float(os.environ.get("SPAM_TARGET_FPR", "0.01"))
# The key of the classifier's feature hashes (default: derived from SECRET_KEY). Set it to keep
# what was learned across a SECRET_KEY rotation; changing it needs `manage.py spam reset`.
SPAM_FEATURE_KEY = os.environ.get("SPAM_FEATURE_KEY", "")
# The admin index compares the defence's verdicts with moderators' decisions over this many days,
# and warns of drift from this many reversals: flagging over twice SPAM_TARGET_FPR of real
# readers, or catching less than SPAM_DRIFT_MIN_RECALL of the spam.
SPAM_QUALITY_DAYS = int(os.environ.get("SPAM_QUALITY_DAYS", "30"))
SPAM_DRIFT_MIN_REVERSALS = int(os.environ.get("SPAM_DRIFT_MIN_REVERSALS", "5"))
SPAM_DRIFT_MIN_RECALL = float(os.environ.get("SPAM_DRIFT_MIN_RECALL", "0.5"))
# The classifier's probability from which a flagged submission is spam rather than held, and
# the hold threshold until the site has learned 50 ham of its own (without them the filter
# cannot know how its readers score, so it flags only what reads clearly as spam).
SPAM_CLASSIFIER_SPAM = float(os.environ.get("SPAM_CLASSIFIER_SPAM", "0.9"))
SPAM_CLASSIFIER_HOLD = float(os.environ.get("SPAM_CLASSIFIER_HOLD", "0.99"))
SPAM_PURGE_DAYS = int(os.environ.get("SPAM_PURGE_DAYS", "30"))  # `manage.py spam purge`
# Models whose rows the defence judges (with `status` and `created_at`): purged, counted.
SPAM_MODERATED_MODELS = ["comments.Comment", "questions.Question"]
# Transactional tests restore the database after each test from a serialized copy: the
# classifier's thousands of statistics are left out of it (tests that need them train the filter).
TEST_NON_SERIALIZED_APPS = ["painrelief.spam"]
# Akismet, only when a key is set (it sends the submission to Automattic's servers).
AKISMET_API_KEY = os.environ.get("AKISMET_API_KEY", "")
AKISMET_SITE_URL = os.environ.get("AKISMET_SITE_URL", "")
AKISMET_TIMEOUT_SECONDS = float(os.environ.get("AKISMET_TIMEOUT_SECONDS", "3"))

# --- Background tasks and email delivery ------------------------------------------
# Emails and other slow work are django.tasks queued after the commit. On the durable queue in
# the database (django-tasks-db) a worker runs them: `manage.py worker`, which `make run`
# starts beside the site. TASKS_BACKEND=immediate runs them in the web process instead (the
# tests' default); a failed email is then retried by `manage.py outbox retry`.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate" if TESTING else "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND]
    }
}
# A refused or unreachable mail server: retried after 1 minute, then 2, 4... at most an hour
# apart, for a day; then the email is marked failed, logged at ERROR and shown in the admin.
EMAIL_RETRY_FIRST_DELAY_SECONDS = int(os.environ.get("EMAIL_RETRY_FIRST_DELAY_SECONDS", "60"))
EMAIL_RETRY_MAX_DELAY_SECONDS = int(os.environ.get("EMAIL_RETRY_MAX_DELAY_SECONDS", "3600"))
EMAIL_RETRY_HOURS = float(os.environ.get("EMAIL_RETRY_HOURS", "24"))
# An attempt still "sending" after this long was cut short (its worker or the database went
# away in the middle): the schedule's deliver_overdue takes the email over.
EMAIL_SENDING_TIMEOUT_SECONDS = int(os.environ.get("EMAIL_SENDING_TIMEOUT_SECONDS", "600"))
EMAIL_KEEP_SENT_DAYS = int(os.environ.get("EMAIL_KEEP_SENT_DAYS", "7"))
# A task that fails (one that composes an email, when the worker lost the database) runs again
# under the same id after 1 minute, 2, 4... at most an hour apart, this many times in all.
TASKS_RETRY_ATTEMPTS = int(os.environ.get("TASKS_RETRY_ATTEMPTS", "8"))
# A task still "running" after this long lost its worker and is retried (longer than any of
# our tasks takes).
TASKS_STALE_RUNNING_SECONDS = int(os.environ.get("TASKS_STALE_RUNNING_SECONDS", "1800"))
TASKS_KEEP_FINISHED_DAYS = int(os.environ.get("TASKS_KEEP_FINISHED_DAYS", "7"))
# Retention and upkeep, run by the task worker on this schedule, no cron needed
# (painrelief/worker/schedule.py). A job is a function or a task taking no argument: add one
# with a line here, "dotted.path": how often; `manage.py worker` queues it when it next starts.
PERIODIC_TASKS = {
    "painrelief.worker.retries.retry_failed_tasks": timedelta(minutes=1),
    "painrelief.mail.outbox.deliver_overdue": timedelta(minutes=1),
    "painrelief.mail.outbox.forget_old_sent_emails": timedelta(days=1),
    "painrelief.accounts.services.clear_expired_sessions": timedelta(days=1),
    "painrelief.accounts.services.forget_old_login_records": timedelta(hours=1),
    "painrelief.accounts.services.forget_unconfirmed_accounts": timedelta(days=1),
    "questions.services.purge_expired": timedelta(days=1),
    "painrelief.privacy.erase_old_traces": timedelta(days=1),  # IP addresses and browsers
    "painrelief.spam.services.purge_old_spam": timedelta(days=1),
    "painrelief.worker.schedule.forget_finished_tasks": timedelta(days=1),
    # New articles by email: those that became public (scheduled ones included), and the weekly
    # summaries (each subscription gets one a week; a daily run keeps them on their day).
    "painrelief.subscriptions.services.announce_new_articles": timedelta(minutes=10),
    "painrelief.subscriptions.emails.send_weekly_summaries": timedelta(days=1),
}

# --- Internationalisation -------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Installed from the npm registry by `make install`; never copied into the repository.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Downloadable resources: served only through the site's views, never at a public address.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
staticfiles_backend = (
    "django.contrib.staticfiles.storage.StaticFilesStorage"
    if DEBUG or TESTING
    else "whitenoise.storage.CompressedManifestStaticFilesStorage"
)
# "default": public uploads (avatars, article pictures); "private": the reports
# (painrelief/downloads/storage.py). On disk, or with S3_BUCKET on S3-compatible storage
# (README, "Running on several servers").
s3_bucket = os.environ.get("S3_BUCKET", "")
if s3_bucket:
    s3_endpoint_url = os.environ.get("S3_ENDPOINT_URL", "")
    if not s3_endpoint_url:
        raise ImproperlyConfigured(
            "Set S3_ENDPOINT_URL with S3_BUCKET, e.g. https://s3.eu-west-1.amazonaws.com."
        )
    s3_custom_domain = os.environ.get("S3_CUSTOM_DOMAIN", "")
    s3_media_acl = os.environ.get("S3_MEDIA_ACL") or "public-read"
    s3_connection = {
        "endpoint_url": s3_endpoint_url,
        "region_name": os.environ.get("S3_REGION") or None,
        # Empty: boto3 finds credentials itself (an instance role, its own variables).
        "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
        # As on disk, a second file of the same name gets another name: two reports called
        # report.pdf must not overwrite each other.
        "file_overwrite": False,
    }
    STORAGES = {
        "default": {
            "BACKEND": "painrelief.s3.PublicS3Storage",
            "OPTIONS": {
                **s3_connection,
                "bucket_name": s3_bucket,
                # "none" for a bucket made public by its policy (ACLs disabled).
                "default_acl": None if s3_media_acl == "none" else s3_media_acl,
                "custom_domain": s3_custom_domain or None,
                # Names are never reused, but an erased avatar must not live on in caches long.
                "object_parameters": {"CacheControl": "public, max-age=86400"},
            },
        },
        "private": {
            "BACKEND": "painrelief.downloads.s3.PrivateS3Storage",
            "OPTIONS": {
                **s3_connection,
                "bucket_name": os.environ.get("S3_PRIVATE_BUCKET") or s3_bucket,
                "location": "private",
            },
        },
        "staticfiles": {"BACKEND": staticfiles_backend},
    }
    # Where the pages' pictures come from, for the Content-Security-Policy below: the custom
    # domain, or the endpoint with the bucket in the path or as a subdomain.
    endpoint = urlsplit(s3_endpoint_url)
    media_origins = (
        [f"https://{s3_custom_domain}"]
        if s3_custom_domain
        else [
            f"{endpoint.scheme}://{endpoint.netloc}",
            f"{endpoint.scheme}://{s3_bucket}.{endpoint.netloc}",
        ]
    )
else:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {"BACKEND": "painrelief.downloads.storage.PrivateFileStorage"},
        "staticfiles": {"BACKEND": staticfiles_backend},
    }
    media_origins = []

# --- Forms --------------------------------------------------------------------
# Widgets render through the project's template tree, so templates/ can override theirs.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- reCAPTCHA: active only when both keys are configured ----------------------------
RECAPTCHA_PUBLIC_KEY = os.environ.get("RECAPTCHA_PUBLIC_KEY", "")
RECAPTCHA_PRIVATE_KEY = os.environ.get("RECAPTCHA_PRIVATE_KEY", "")
RECAPTCHA_ENABLED = bool(RECAPTCHA_PUBLIC_KEY and RECAPTCHA_PRIVATE_KEY)
RECAPTCHA_DOMAIN = os.environ.get("RECAPTCHA_DOMAIN", "www.google.com")
# "v2": the "I'm not a robot" checkbox; "v3": invisible, a score per submission.
RECAPTCHA_VERSION = os.environ.get("RECAPTCHA_VERSION", "v2")
RECAPTCHA_REQUIRED_SCORE = float(os.environ.get("RECAPTCHA_REQUIRED_SCORE", "0.5"))
if RECAPTCHA_ENABLED:
    INSTALLED_APPS.append("django_recaptcha")

# --- Security -------------------------------------------------------------------
CSP_REPORT_PATH = "/csp-report/"
# The only frames: video players embedded in articles (see painrelief/markdown.py).
VIDEO_PLAYER_ORIGINS = ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]
# Django's Content-Security-Policy: our pages need no inline script or style.
# Bootstrap's CSS draws its icons (select arrows, checkboxes, the menu button) as data: SVGs.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *media_origins],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-src": VIDEO_PLAYER_ORIGINS,
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    # Violations are reported to our endpoint and logged (painrelief/security.py). Not
    # report-to as well: Chromium then ignores report-uri, and its Reporting API delivered
    # nothing here (tests/browser/test_hostile_pages.py sees report-uri's reports arrive).
    "report-uri": [CSP_REPORT_PATH],
}
if RECAPTCHA_ENABLED:
    recaptcha_sources = [f"https://{RECAPTCHA_DOMAIN}", "https://www.gstatic.com"]
    SECURE_CSP["script-src"] = [CSP.SELF, *recaptcha_sources]
    SECURE_CSP["frame-src"] = [*SECURE_CSP["frame-src"], *recaptcha_sources]

# Browser features no page of ours uses are turned off, for our pages and every frame in them;
# fullscreen only for the pages themselves and the video players embedded in articles. Only
# features Chromium knows (it warns of others in the console: "bluetooth" is not one).
PERMISSIONS_POLICY = {
    **{
        feature: []
        for feature in (
            "accelerometer",
            "browsing-topics",
            "camera",
            "display-capture",
            "geolocation",
            "gyroscope",
            "hid",
            "idle-detection",
            "interest-cohort",  # FLoC, before browsing-topics replaced it
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "screen-wake-lock",
            "serial",
            "usb",
            "xr-spatial-tracking",
        )
    },
    "fullscreen": ["self", *(f'"{origin}"' for origin in VIDEO_PLAYER_ORIGINS)],
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

# HTTPS=true when the site is served over HTTPS (always, in production).
HTTPS = env_bool("HTTPS")
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
if env_bool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Email --------------------------------------------------------------------
# To the console by default; to an SMTP server once EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <noreply@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ["EMAIL_PORT"]) if os.environ.get("EMAIL_PORT") else None,
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS"),
                "use_ssl": env_bool("EMAIL_USE_SSL"),
                "timeout": int(os.environ.get("EMAIL_TIMEOUT", "10")),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# --- Logging --------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {
            "handlers": ["console"],
            "level": os.environ.get("LOG_LEVEL", "INFO"),
            "propagate": False,
        },
        # django-axes logs every login attempt at INFO; lockouts come at WARNING.
        "axes": {"level": "WARNING"},
        # Every task logs its start and end at INFO; failures (a mail server down) at ERROR.
        "django.tasks": {"level": "WARNING"},
    },
}
