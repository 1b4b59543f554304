"""Settings for blogsite, read from the environment (see README.md for every variable).

Local development needs no configuration: SQLite in the project directory, a local-memory cache and
DEBUG on. `DJANGO_ENV=production` switches to production mode, which refuses to start when a
required value is missing or unsafe.
"""

import sys
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE, NONE, SELF

from blogsite.production_checks import first_problem

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-use-in-production"

env = environ.Env()
DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

SECRET_KEY = env.str("SECRET_KEY", default="" if PRODUCTION else DEVELOPMENT_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
SITE_URL = env.str("SITE_URL", default="" if PRODUCTION else "http://127.0.0.1:8000").rstrip("/")
_site = urlsplit(SITE_URL)
CSRF_TRUSTED_ORIGINS = env.list(
    "CSRF_TRUSTED_ORIGINS",
    default=[f"{_site.scheme}://{_site.netloc}"] if _site.scheme == "https" else [],
)
SITE_NAME = env.str("SITE_NAME", default="Lil'Log")
SITE_DESCRIPTION = env.str(
    "SITE_DESCRIPTION", default="Document my learning notes on machine learning research."
)
# The admin lives here; moving it off /admin/ keeps most drive-by login attempts away.
ADMIN_URL = env.str("ADMIN_URL", default="admin/").strip("/") + "/"

if PRODUCTION:
    _problem = first_problem(
        secret_key=SECRET_KEY,
        development_key=DEVELOPMENT_SECRET_KEY,
        debug=DEBUG,
        allowed_hosts=ALLOWED_HOSTS,
        database_url=env.str("DATABASE_URL", default=""),
        redis_url=env.str("REDIS_URL", default=""),
        site_url=SITE_URL,
        proxy_secret=env.str("PROXY_SECRET", default=""),
    )
    if _problem:
        sys.exit(f"blogsite refuses to start (DJANGO_ENV=production): {_problem}")

INSTALLED_APPS = [
    "blogsite.apps.BlogAdminConfig",  # django.contrib.admin with the site's AdminSite
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "taggit",
    "axes",
    "csp",
    "reversion",
    "posts",
    "blogsite",  # the page cache's record of changes made during a Redis outage (models.py)
]

# Outermost first. Security headers and the CSP wrap everything, cached pages included. The page
# cache comes next: a hit (one Redis round trip) skips sessions, authentication, throttling and
# the view; on a miss every middleware after it runs, so it sees any cookie they set.
# Conditional GET turns hits into 304s.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "blogsite.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "blogsite.middleware.ContentSecurityPolicyMiddleware",
    "blogsite.page_cache.PageCacheMiddleware",
    "blogsite.outage.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "posts.writing.aliases.PostAliasMiddleware",
]

ROOT_URLCONF = "blogsite.urls"
WSGI_APPLICATION = "blogsite.wsgi.application"

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
                "posts.context_processors.site",
            ],
        },
    },
]

# PostgreSQL through psycopg 3 in production; connections persist across requests (CONN_MAX_AGE)
# and are checked before reuse, so a restarted database is picked up without restarting the site.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if PRODUCTION else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=3)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache. With REDIS_URL every app process shares one Redis; without it (local development) a
# per-process memory cache. Redis errors never fail a request: the page cache serves uncached.
REDIS_URL = env.str("REDIS_URL", default="")
CACHE_KEY_PREFIX = env.str("CACHE_KEY_PREFIX", default="blogsite")
if REDIS_URL:
    _redis_options = {
        "SOCKET_CONNECT_TIMEOUT": env.float("REDIS_CONNECT_TIMEOUT", default=0.5),
        "SOCKET_TIMEOUT": env.float("REDIS_TIMEOUT", default=0.5),
    }
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {**_redis_options, "IGNORE_EXCEPTIONS": True},
        },
        # The page cache sees Redis errors itself, to log them and back off (page_cache.py).
        "pages": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": _redis_options,
        },
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
        },
    }
# The frame's `{% cache %}` fragments (metadata, navigation, pagination, asset links): each is
# keyed by every value it prints, so an entry never goes stale and needs no invalidation; kept in
# each process's memory, since a Redis round trip would cost more than rendering them.
CACHES["template_fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "template_fragments",
    "TIMEOUT": None,
    "OPTIONS": {"MAX_ENTRIES": env.int("TEMPLATE_FRAGMENTS_MAX_ENTRIES", default=5000)},
}

# The page cache (blogsite/page_cache.py): anonymous GETs of public pages, one entry per canonical
# URL, invalidated on every change.
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=True)
PAGE_CACHE_ALIAS = "pages"
PAGE_CACHE_TIMEOUT = env.int("PAGE_CACHE_TIMEOUT", default=3600)
PAGE_CACHE_EXCLUDE_PREFIXES = env.list("PAGE_CACHE_EXCLUDE_PREFIXES", default=[])
PAGE_CACHE_RETRY_SECONDS = env.float("PAGE_CACHE_RETRY_SECONDS", default=5)
# Each process keeps copies of the entries it served last, up to this many bytes of pages (0:
# none), used only while their generation is the one in Redis.
PAGE_CACHE_LOCAL_BYTES = env.int("PAGE_CACHE_LOCAL_BYTES", default=16 * 1024 * 1024)
# How often each process looks in the database for a change saved while Redis was unreachable.
PAGE_CACHE_PENDING_CHECK_SECONDS = env.float("PAGE_CACHE_PENDING_CHECK_SECONDS", default=1)
# Browsers revalidate pages on every view (a 304 when unchanged); feeds may be kept for a few
# minutes. Shared caches (nginx's proxy_cache, a CDN) keep a page PAGE_SHARED_MAX_AGE seconds
# (0: not at all), may serve it while fetching the next copy, and while the app fails.
PAGE_MAX_AGE = env.int("PAGE_MAX_AGE", default=0)
FEED_MAX_AGE = env.int("FEED_MAX_AGE", default=300)
PAGE_SHARED_MAX_AGE = env.int("PAGE_SHARED_MAX_AGE", default=1)
PAGE_STALE_WHILE_REVALIDATE = env.int("PAGE_STALE_WHILE_REVALIDATE", default=1)
PAGE_STALE_IF_ERROR = env.int("PAGE_STALE_IF_ERROR", default=600)
# A CDN in front (blogsite/cdn.py): shareable responses carry this key in Surrogate-Key and
# Cache-Tag; with CDN_PURGE_URL set, each new generation POSTs a purge of that key there.
CDN_SURROGATE_KEY = env.str("CDN_SURROGATE_KEY", default="blogsite-pages")
CDN_PURGE_URL = env.str("CDN_PURGE_URL", default="")
CDN_PURGE_HEADERS = env.dict("CDN_PURGE_HEADERS", default={})

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# A request's body without its files: a long post with inline figures and tables is 3 MB and
# normal, so saves get room to spare (Django's default, 2.5 MB, lost them). Past it the writer gets
# a page saying nothing was saved (posts.views.errors.bad_request); nginx's client_max_body_size
# (deploy/nginx/) is larger, so that page is Django's, not nginx's.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=10 * 1024 * 1024)

# Uploaded media: nginx serves MEDIA_ROOT at MEDIA_URL in production (deploy/nginx/), never Django.
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# The media library (posts.models.images): uploads larger than this many bytes, or declaring more
# pixels than this (decompression bombs), are refused; renditions are made at these widths.
MEDIA_MAX_UPLOAD_BYTES = env.int("MEDIA_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
MEDIA_MAX_IMAGE_PIXELS = env.int("MEDIA_MAX_IMAGE_PIXELS", default=50_000_000)
MEDIA_RENDITION_WIDTHS = (480, 960, 1600)
# An uploaded SVG also gets one PNG of this width, for places that need a bitmap (social cards).
MEDIA_SVG_RASTER_WIDTH = 1200
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Fingerprinted, pre-compressed files; WhiteNoise sends them with far-future headers.
        "BACKEND": "blogsite.static_storage.StaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = env.int("STATIC_MAX_AGE", default=3600 if PRODUCTION else 0)

# HTTPS and browser protections. nginx terminates TLS and says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=PRODUCTION)
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=(), browsing-topics=()"
)
# Scripts only from this site's own files (or a per-response nonce: `request.csp_nonce`);
# no inline script, no inline style, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *env.list("CSP_IMG_SRC", default=[])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if PRODUCTION:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True

# Admin login throttling (django-axes): after AXES_FAILURE_LIMIT failures from one client the login
# is refused with a clear page until the cool-off ends.
AUTHENTICATION_BACKENDS = [
    "blogsite.auth_backends.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_LOCKOUT_TEMPLATE = "axes_lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "blogsite.client_ip.client_ip"
# Proxies whose X-Real-IP header names the real client (nginx on the same host), believed only
# with nginx's secret header X-Proxy-Secret = PROXY_SECRET (blogsite/client_ip.py).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=["127.0.0.1", "::1"])
PROXY_SECRET = env.str("PROXY_SECRET", default="")

TAGGIT_CASE_INSENSITIVE = True
# Tags are typed comma-separated; a name may contain spaces (posts/tag_strings.py).
TAGGIT_TAGS_FROM_STRING = "posts.writing.tags.parse_tag_string"
TAGGIT_STRING_FROM_TAGS = "posts.writing.tags.format_tag_string"
POSTS_PER_PAGE = 10
SHARE_PREVIEW_DAYS = env.int("SHARE_PREVIEW_DAYS", default=7)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # One warning per outage comes from blogsite.page_cache; django-redis's traces are noise.
        "django_redis": {"level": "CRITICAL"},
        "axes": {"level": "WARNING"},
    },
}
