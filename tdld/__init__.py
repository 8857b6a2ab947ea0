"""tdld: territorial diplomacy as linked data."""

from .core.safety import lock_down as _lock_down
from .core.version import VERSION as __version__  # noqa: F401 (the package's version)

_lock_down()
