"""The JSON API (django-ninja); OpenAPI documentation at /api/docs."""

from ninja import NinjaAPI, Schema

import posyandu
from posyandu.sync.api import router as sync_router

api = NinjaAPI(
    title="Posyandu ILP API",
    version=posyandu.__version__,
    description="JSON API of the Posyandu ILP system. Public identifiers are UUIDs.",
)
api.add_router("/sync", sync_router)  # the offline kader app's sync (docs/adr/0008)


class VersionOut(Schema):
    name: str
    version: str


@api.get("/version", response=VersionOut, tags=["system"])
def version(request: object) -> VersionOut:
    """Return the running version of the system."""
    return VersionOut(name="posyandu", version=posyandu.__version__)
