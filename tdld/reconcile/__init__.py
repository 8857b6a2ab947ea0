"""A W3C Entity Reconciliation service (the protocol OpenRefine speaks) over a loaded release.

Pure logic, no Flask: ``protocol`` reads requests, ``entities`` indexes entities, types and
properties, ``text`` compares names, ``matching`` scores candidates, ``suggest`` completes
prefixes, ``values`` and ``extension`` answer data extension, ``service`` ties them together.
``tdld.web.reconcile`` puts it on HTTP.
"""

from .errors import ReconcileError
from .service import Reconciler

__all__ = ["Reconciler", "ReconcileError"]
