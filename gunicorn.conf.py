"""gunicorn's settings for production: `gunicorn -c gunicorn.conf.py painrelief.wsgi`.

Each value may be overridden by an environment variable (WEB_CONCURRENCY, GUNICORN_BIND...).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Django's sync workers: two per core, plus one, is gunicorn's own rule of thumb.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# A request that takes longer than this is killed (the slowest page takes well under a second).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Each worker is replaced after about this many requests: a slow leak never grows for long.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = max_requests // 10
accesslog = "-"
errorlog = "-"
# The proxy in front sets X-Forwarded-For; the site reads it with PROXY_COUNT (client_ip.py).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
