"""The one exception family the command line turns into a single clear line on stderr.

It lives on the lowest floor so that storage, too, can say what was wrong with a
database (not SQLite, from a newer dgwatch, locked by a running crawl) in one line.
"""


class DgwatchError(Exception):
    """A problem with the user's input or environment, stated in one line naming what was wrong."""
