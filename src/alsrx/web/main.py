"""The ASGI entry point for `alsrx serve` (uvicorn imports `alsrx.web.main:app`)."""

import gc
import os

from alsrx.settings import from_env
from alsrx.web.app import create_app

app = create_app(from_env(os.environ, needs_secret=True, needs_audit_key=True))

# The ~100,000 objects built at start-up (models, routes, schemas, catalogs) live as long as
# the process. Left to the collector, each full collection walks them all (about 50 ms here),
# stalling every request in flight: freezing them cut the writes' p99 by about a third
# (bench/bench_api.py; docs/benchmarks.md).
gc.collect()
gc.freeze()
