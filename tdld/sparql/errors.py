"""Endpoint failures, each with the HTTP status a client should see."""


class SparqlError(Exception):
    status = 400

    def __init__(self, message: str, status: int | None = None, retry_after: int | None = None):
        super().__init__(message)
        if status is not None:
            self.status = status
        self.retry_after = retry_after


class Refused(SparqlError):
    """The query asks for something a public endpoint does not do (update, fetch, SERVICE)."""

    status = 403


class Busy(SparqlError):
    status = 503
