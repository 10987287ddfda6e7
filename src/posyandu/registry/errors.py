"""Typed errors of the registry services; each names the field and carries a readable message.

The message is a lazy translation with its parameters filled in, so a page shows it in the
user's language (Indonesian) while logs and tests can still read `field` and `code`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from posyandu.registry.models import Person


class RegistryError(ValueError):
    """Base class of the registry's errors."""


class InvalidInputError(RegistryError):
    """A value cannot be saved; `field` names it, `code` says why, `message` says it in words."""

    def __init__(self, field: str, code: str, message: Promise | str, **params: Any) -> None:
        self.field = field
        self.code = code
        self.params = params
        self._message = message
        super().__init__(f"{field}: {code} {params}")

    @property
    def message(self) -> str:
        """Return the message in the active language, with its parameters filled in."""
        return str(self._message) % self.params if self.params else str(self._message)


class DuplicateSuspected(RegistryError):  # noqa: N818 - the name the issue gives it
    """The person looks already registered; `candidates` are the persons she may be."""

    def __init__(self, candidates: Sequence[Person]) -> None:
        self.candidates = list(candidates)
        super().__init__(f"possible duplicate of {[str(p.uuid) for p in self.candidates]}")

    @property
    def message(self) -> str:
        """Return the message in the active language."""
        return str(_("This person may already be registered."))
