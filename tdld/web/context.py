"""What every route reads: the release being served and how this deployment serves it.

Set once by the app factory; routes ask ``served()`` for it, as Flask's tutorial app asks
``get_db()`` for its database, so that each route can be read and tested on its own.
"""

from dataclasses import dataclass

from flask import current_app

from ..core.settings import Settings
from ..core.urls import UrlMap
from ..read.knowledge import Knowledge
from ..release.history import History


@dataclass(frozen=True)
class Served:
    knowledge: Knowledge
    urls: UrlMap
    history: History
    settings: Settings
    sparql_path: str | None  # None for the static export, which has no endpoint

    @property
    def base(self) -> str:
        return self.urls.base


def served() -> Served:
    return current_app.extensions["tdld"]
