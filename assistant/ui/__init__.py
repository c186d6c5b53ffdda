"""The browser app (Gradio). Importing this package imports gradio; the core library never does."""

from __future__ import annotations

import os

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

from assistant.ui.app import build_ui, launch_app, parse_auth

__all__ = ["build_ui", "launch_app", "parse_auth"]
