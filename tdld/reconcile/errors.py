"""The one error the reconciliation service raises: a bad request, explained in one line."""

from ..core.errors import TdldError


class ReconcileError(TdldError):
    """A request the service refuses; ``http_status`` is 400 unless said otherwise (413 for too much)."""

    exit_code = 2
    http_status = 400

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.http_status = status
