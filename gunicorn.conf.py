"""gunicorn's settings for `make serve` (https://docs.gunicorn.org/en/stable/settings.html).

From the environment: GUNICORN_BIND (an address, e.g. 0.0.0.0:8000 or unix:/run/im.sock) or PORT
(on 127.0.0.1), WEB_CONCURRENCY (worker processes), GUNICORN_TIMEOUT (seconds), and
FORWARDED_ALLOW_IPS (the proxy's addresses). GUNICORN_CMD_ARGS overrides any of these.
"""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise SystemExit(f"{name} must be a whole number of at least 1, not {raw!r}.")
    return int(raw)


def _cores() -> int:
    # The cores this process may use (a container's limit), not the machine's.
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


wsgi_app = "integration_mapping.wsgi:application"
proc_name = "integration-mapping"
# Load Django once in the master, and every view (pandas, plotly) in when_ready below: workers then
# share that memory and answer their first request at once. A code change needs a restart, not HUP.
preload_app = True

# Loopback by default: only the proxy in front (TLS, buffering slow clients) should reach gunicorn.
bind = os.environ.get("GUNICORN_BIND", "").strip() or f"127.0.0.1:{_int('PORT', 8000)}"
# gunicorn's rule of thumb for sync workers, which wait on the database rather than the CPU.
workers = _int("WEB_CONCURRENCY", 2 * _cores() + 1)
# A request still running after this many seconds has its worker restarted (a stuck query).
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
# Replace each worker after about a thousand requests, so that memory pandas and plotly once held
# for a big report goes back to the system.
max_requests = 1000
max_requests_jitter = 100

# The proxy's X-Forwarded-Proto and X-Forwarded-For are believed only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# No runtime control socket (gunicornc): nothing uses it, and two instances on a machine would
# share its default path.
control_socket_disable = True

# No access log: the app logs each request itself, by URL pattern and never with the token a
# newcomer's path holds (integration_mapping/logs.py). gunicorn's own lines become JSON too.
accesslog = None
errorlog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "integration_mapping.logs.JsonFormatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": [], "level": "INFO", "propagate": True},
        "gunicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
    },
}


def when_ready(server: object) -> None:
    """Import the URLconf, and so every view, before the workers are forked; and make sure no
    database connection is open then, since a forked worker would share its socket."""
    from importlib import import_module

    from django.conf import settings
    from django.db import connections

    import_module(settings.ROOT_URLCONF)
    connections.close_all()
