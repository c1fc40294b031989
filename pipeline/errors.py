"""Errors a user can act on: the CLI shows them as one line, without a traceback."""


class PipelineError(Exception):
    """A problem with the input or the environment, explained in its message."""


class ItemFailed(Exception):
    """One request of a partition failed for good (bad body, 4xx): the rest carries on."""


class DatabaseUnreachable(PipelineError):
    """The database cannot be reached (down, gone away, refusing connections)."""
