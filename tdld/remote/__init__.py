"""A SPARQL 1.1 store over HTTP (Oxigraph server, Virtuoso) in place of the embedded one.

The app is then stateless: several processes or machines read the same store.
Answers come back as pyoxigraph objects, so the read model and the endpoint do
not know where the data lives: ``http`` talks to the store, ``answers`` normalises
what stores send back, ``store`` is the read model's store, ``runner`` the endpoint's.
"""

from .http import (
           USER_AGENT,
           StoreError,
           StoreMismatch,
           StoreTimeout,
           credentials,
           first_line,
           opener_for,
           send,
)
from .runner import RemoteQueryRunner
from .store import RemoteStore, check_matches, open_remote

__all__ = ["USER_AGENT", "RemoteQueryRunner", "RemoteStore", "StoreError", "StoreMismatch", "StoreTimeout",
           "check_matches", "credentials", "first_line", "open_remote", "opener_for", "send"]
