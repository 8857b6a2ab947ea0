"""tdld: territorial diplomacy as linked data."""

__version__ = "0.1.0"

from .core.safety import lock_down as _lock_down

_lock_down()
