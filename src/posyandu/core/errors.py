"""Typed errors of the core."""


class CoreError(ValueError):
    """Base class of the core's errors."""


class InputError(CoreError):
    """An input value is missing, malformed or impossible; the message names the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.detail = message


class RulesError(CoreError):
    """A rules table is missing, malformed, or has no version for the requested date."""
