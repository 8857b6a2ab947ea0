"""Serve with gunicorn: several worker processes, respawned by the arbiter if one dies."""

from gunicorn.app.base import BaseApplication


class ProductionServer(BaseApplication):
    """gunicorn embedded, so `tdld serve --workers N` needs no separate configuration file."""

    def __init__(self, app_factory, host: str, port: int, workers: int, threads: int = 4, timeout: int = 60):
        self.app_factory = app_factory
        self.options = {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "timeout": timeout,
            "graceful_timeout": 10,
            "accesslog": "-",
            "errorlog": "-",
            "limit_request_line": 8190,
            "limit_request_fields": 100,
            "limit_request_field_size": 8190,
        }
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.app_factory()
