"""The Flask app that serves a built release as linked data."""

from .app import create_app

__all__ = ["create_app"]
