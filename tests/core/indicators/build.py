"""Small builders of per-person facts for the indicator tests (no database)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from posyandu.core.assess import Dose, MeasurementRecord
from posyandu.core.indicators import (
    PersonFacts,
    PregnancyFacts,
    ReferralFacts,
    ServiceFact,
    indicator_rules,
)

D = dt.date
OCT = D(2026, 10, 1)
RULES = indicator_rules(OCT)


def weighing(day: dt.date, kg: float, **more: Any) -> MeasurementRecord:
    return MeasurementRecord(date=day, weight_kg=kg, **more)


def person(
    pid: str,
    birth: dt.date,
    *,
    sex: str = "F",
    known: dt.date | None = None,
    measurements: tuple[MeasurementRecord, ...] = (),
    doses: tuple[Dose, ...] = (),
    services: tuple[ServiceFact, ...] = (),
    pregnancies: tuple[PregnancyFacts, ...] = (),
    referrals: tuple[ReferralFacts, ...] = (),
    visits: tuple[dt.date, ...] = (),
    buku_kia: bool | None = None,
) -> PersonFacts:
    """Return a person registered on `known` (default: her birth day)."""
    return PersonFacts(
        id=pid,
        sex=sex,  # type: ignore[arg-type]
        birth_date=birth,
        registered_on=known or birth,
        has_buku_kia=buku_kia,
        measurements=measurements,
        immunizations=doses,
        services=services,
        pregnancies=pregnancies,
        referrals=referrals,
        visit_dates=visits,
    )


def doses(*pairs: tuple[str, dt.date]) -> tuple[Dose, ...]:
    return tuple(Dose(vaccine, day) for vaccine, day in pairs)


__all__ = ["OCT", "RULES", "D", "PregnancyFacts", "ReferralFacts", "ServiceFact"]
