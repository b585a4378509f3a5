"""The ASGI entry point for `alsrx serve` (uvicorn imports `alsrx.web.main:app`)."""

import os

from alsrx.settings import from_env
from alsrx.web.app import create_app

app = create_app(from_env(os.environ, needs_secret=True))
