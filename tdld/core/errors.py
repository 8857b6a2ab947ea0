"""One root error; each kind carries its CLI exit code and HTTP status."""


class TdldError(Exception):
    """A failure explained in one line to the user, never with a stack trace."""

    exit_code = 2
    http_status = 500


class SourceError(TdldError):
    """A source file is missing, unreadable or not valid Turtle/TSV."""

    exit_code = 2
    http_status = 500


class ValidationFailed(TdldError):
    """The data does not conform to the shapes."""

    exit_code = 1

    def __init__(self, message: str, report=None):
        super().__init__(message)
        self.report = report


class Inconsistent(TdldError):
    """OWL RL reasoning found a contradiction."""

    exit_code = 1

    def __init__(self, message: str, problems=()):
        super().__init__(message)
        self.problems = list(problems)


class BuildMissing(TdldError):
    """No usable build exists where one was expected."""

    exit_code = 2
    http_status = 503


class SparqlError(TdldError):
    """A SPARQL query that cannot be parsed, is refused or cannot be answered, with the HTTP status a client
    should see; ``retry_after`` seconds when trying again later may help."""

    exit_code = 2
    http_status = 400

    def __init__(self, message: str, status: int | None = None, retry_after: int | None = None):
        super().__init__(message)
        if status is not None:
            self.http_status = status
        self.retry_after = retry_after


class Refused(SparqlError):
    """The query asks for something a public endpoint does not do (update, fetch, SERVICE)."""

    http_status = 403


class Busy(SparqlError):
    """Every query worker is taken."""

    http_status = 503
