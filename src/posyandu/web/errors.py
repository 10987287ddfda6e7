"""A request parameter that cannot be read, and the 400 page that says so in words."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise


class BadParameterError(Exception):
    """A parameter of the request that cannot be read; the message names it and its value."""


def bad_request(
    request: HttpRequest, error: Exception, back: str, back_label: str | Promise
) -> HttpResponse:
    """Answer 400 with the error in words and a way back to the page `back` (a URL name)."""
    context = {"error": str(error), "back_url": reverse(back), "back_label": back_label}
    return render(request, "web/bad_request.html", context, status=400)
