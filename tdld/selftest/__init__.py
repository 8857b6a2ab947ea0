"""``tdld selftest URL``: check a running deployment against what tdld promises.

Modules, one job each: ``fetch`` (bounded HTTP to one host), ``dcat`` (read the
VoID/DCAT), ``discovery`` (which IRIs to test, where they are served), ``formats``
(does a body parse as it claims), ``linkeddata``, ``dumps`` and ``sparql`` (the checks,
pure functions over answers), ``runner`` (the requests, in order), ``report`` (text
and JSON).
"""

from .fetch import BadArgument, Unreachable
from .report import Report, render_json, render_text
from .runner import run

__all__ = ["BadArgument", "Report", "Unreachable", "render_json", "render_text", "run"]
