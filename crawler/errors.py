"""The one exception family the command line turns into a single clear line on stderr."""


class DgwatchError(Exception):
    """A problem with the user's input or environment, stated in one line naming what was wrong."""
