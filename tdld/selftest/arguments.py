"""The selftest's command-line values, checked here so that a mistake is one line, not a usage dump."""

import math
from urllib.parse import urlsplit

from .fetch import BadArgument, check_target

FORMATS = ("text", "json")


def checked(url: str | None, fmt: str, base: str | None, timeout: str) -> tuple[str, str, str | None, float]:
    """(root URL, format, IRI base, timeout in seconds), or BadArgument saying what is wrong."""
    if not url:
        raise BadArgument("selftest: give the URL of a deployment, e.g. 'tdld selftest http://127.0.0.1:8000/'")
    root = check_target(url)
    if fmt not in FORMATS:
        raise BadArgument(f"selftest: --format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if base is not None:
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise BadArgument(f"selftest: --base {base!r} is not an http(s) IRI base such as "
                              "'https://w3id.org/territorial-diplomacy/'")
    try:
        seconds = float(timeout)
    except ValueError:
        raise BadArgument(f"selftest: --timeout must be a number of seconds, not {timeout!r}") from None
    if not math.isfinite(seconds) or seconds <= 0:
        raise BadArgument(f"selftest: --timeout must be more than 0 seconds, not {timeout!r}")
    return root, fmt, base, seconds
