"""Production settings plus the benchmark-only URLs (benchmarks/urls.py).

Everything else comes from the environment exactly as in production; ``BENCH_STATIC_ROOT`` lets the
benchmark collect static files into a temporary directory instead of ``staticfiles/``.
"""

from __future__ import annotations

import os
from pathlib import Path

from integration_mapping.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"

if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
