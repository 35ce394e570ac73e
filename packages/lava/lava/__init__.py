"""lava: an AWS job scheduler (the worker package)."""

from .version import __version__, __version_name__

__all__ = ['__version__', '__version_name__']
