"""The base of every record: a client-generated UUID as its public identity, and timestamps."""

from __future__ import annotations

import uuid

from django.db import models


class Entity(models.Model):
    """A record with a public UUID (made on the client, so offline records keep their identity).

    Database keys never leave the server: URLs, APIs and sync payloads use `uuid`.
    """

    uuid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
