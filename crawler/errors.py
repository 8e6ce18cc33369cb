"""The one exception family the command line turns into a single clear line on stderr.

Defined in storage.errors (storage raises it too); imported from here by the crawler and the monitor.
"""
from storage.errors import DgwatchError

__all__ = ["DgwatchError"]
