"""Pages of the web app: thin views that parse, authorise, call the core or a selector, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from posyandu.accounts.demo import DEMO_LOGINS, DEMO_PASSWORD


def home(request: HttpRequest) -> HttpResponse:
    """Show the start page."""
    return render(request, "web/home.html")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer whether the app and its database are up (for load balancers and monitoring)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


class LoginView(auth_views.LoginView):
    """The login page; on a demo installation it lists the demo logins."""

    template_name = "web/login.html"

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        context["demo_logins"] = DEMO_LOGINS if settings.DEMO_MODE else ()
        context["demo_password"] = DEMO_PASSWORD
        return context
