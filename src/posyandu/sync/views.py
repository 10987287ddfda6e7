"""The bidan's review of what the offline app sent: conflicting edits and possible duplicates."""

from __future__ import annotations

import uuid as uuid_lib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from posyandu.accounts.scope import is_nakes
from posyandu.registry.errors import InvalidInputError
from posyandu.sync import selectors, services
from posyandu.sync.models import SyncReview


def _require_nakes(request: HttpRequest) -> None:
    if not is_nakes(request.user):
        raise PermissionDenied("only health workers review what the offline app sent")


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    """List the open conflicts and possible duplicates of the bidan's posyandu."""
    _require_nakes(request)
    reviews = list(selectors.reviews_open(user=request.user))
    return render(request, "sync/reviews.html", {"reviews": reviews})


@login_required
def review_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """Show one item side by side; POST `keep` (server/phone) or `dismiss` resolves it."""
    _require_nakes(request)
    try:
        review = selectors.review_get(user=request.user, uuid=uuid)
    except SyncReview.DoesNotExist:
        raise Http404 from None
    if request.method == "POST":
        try:
            if review.kind == SyncReview.Kind.CONFLICT:
                services.conflict_resolve(
                    user=request.user, review=review, keep=request.POST.get("keep", "")
                )
            else:
                services.duplicate_dismiss(user=request.user, review=review)
        except services.Refused as exc:
            messages.error(request, exc.reason)
            return redirect("sync:review", uuid=review.uuid)
        except InvalidInputError as exc:
            messages.error(request, exc.message)
            return redirect("sync:review", uuid=review.uuid)
        messages.success(request, _("Resolved."))
        return redirect("sync:reviews")
    return render(request, "sync/review.html", {"review": review})
