"""The growth check page: one child's measurement, judged by the one `assess` of the core."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from posyandu.core.assess import assess, assessment_to_dict, parse_input
from posyandu.web.forms import GrowthCheckForm
from posyandu.web.labels import INDICATORS, class_look


def _assessment_input(data: dict[str, Any]) -> dict[str, Any]:
    def number(name: str) -> float | None:
        value = data.get(name)
        return None if value is None else float(value)

    return {
        "id": "growth-check",
        "as_of": data["measured_on"].isoformat(),
        "person": {"sex": data["sex"], "birth_date": data["birth_date"].isoformat()},
        "measurements": [
            {
                "date": data["measured_on"].isoformat(),
                "weight_kg": number("weight_kg"),
                "length_cm": number("lenhei_cm"),
                "measure": data.get("measure") or None,
                "headc_cm": number("headc_cm"),
                "muac_cm": number("muac_cm"),
                "oedema": bool(data.get("oedema")),
            }
        ],
    }


def _rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for indicator, label in INDICATORS.items():
        entry = result["growth"].get(indicator)
        if entry is None:
            continue
        look = class_look(entry.get("class"))
        rows.append(
            {"indicator": label, "z": entry.get("z"), "value": entry.get("value"), "look": look}
        )
    return rows


def growth_check(request: HttpRequest) -> HttpResponse:
    """Show the form; on submit, show each growth indicator's class with word, icon and z."""
    context: dict[str, Any] = {}
    if request.method == "POST":
        form = GrowthCheckForm(request.POST)
        if form.is_valid():
            result = assessment_to_dict(assess(parse_input(_assessment_input(form.cleaned_data))))
            context.update(result=result, rows=_rows(result))
    else:
        form = GrowthCheckForm(initial={"measured_on": timezone.localdate()})
    context["form"] = form
    template = "web/growth_result.html" if request.headers.get("HX-Request") else "web/growth.html"
    return render(request, template, context)
