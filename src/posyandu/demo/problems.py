"""What the engine finds in the generated measurements, and what the kader did about it.

Children's z-scores come from the growth engine in one vectorised pass per posyandu and are
classified by the core's rules; the KMS trend (N, T, 2T) comes from the core's trend rule; the
findings that call for a referral come from the core's referral table. Pregnant women and
adults with a suspicious value are assessed one by one with `posyandu.core.assess`. Children
with a feeding problem get PMT pemulihan, and a share of those the rules would refer are
referred (posyandu.demo.referrals writes the referral and its answer).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

import numpy as np

from posyandu.core.assess import AssessmentInput, MeasurementRecord, assess, rules_for
from posyandu.core.assess import Person as CorePerson
from posyandu.core.assess.referral import referral_reasons
from posyandu.core.assess.trend import trend_findings, weight_trend
from posyandu.core.dates import completed_months
from posyandu.core.growth import (
    classify_muac_array,
    classify_z_array,
    measure_codes,
    who2006_zscores,
)
from posyandu.core.rulebook import rule_in_force
from posyandu.demo.families import DAYS_PER_YEAR, Resident
from posyandu.registry.models import Pregnancy
from posyandu.visits.models import Measurement

# Indicator → key of the engine's z column.
_Z_KEYS = {"wfa": "zwei", "hfa": "zlen", "wfh": "zwfl", "hcfa": "zhc"}


@dataclass(frozen=True)
class Finding:
    """One measured visit with what the rules found and which findings call for a referral."""

    resident: Resident
    measurement: Measurement
    findings: tuple[str, ...]
    refer: tuple[str, ...]
    pregnant: bool = False


def _number(value: object) -> float:
    return float(cast(float, value)) if value is not None else np.nan


def _child_classes(rows: list[tuple[Resident, Measurement]], as_of: dt.date) -> list[list[str]]:
    """Return each child measurement's non-normal growth findings (engine z, core classes)."""
    dates = [m.date for _, m in rows]
    z = who2006_zscores(
        sex=np.array([1 if r.sex == "M" else 2 for r, _ in rows]),
        age_days=np.array([float(r.age_days(d)) for (r, _), d in zip(rows, dates, strict=True)]),
        weight_kg=np.array([_number(m.weight_kg) for _, m in rows]),
        lenhei_cm=np.array([_number(m.lenhei_cm) for _, m in rows]),
        measure=measure_codes([m.measure or None for _, m in rows]),
        headc_cm=np.array([_number(m.headc_cm) for _, m in rows]),
    )
    found: list[list[str]] = [[] for _ in rows]
    for indicator, key in _Z_KEYS.items():
        classes = classify_z_array(indicator, z[key], "0-59m", as_of)
        for i, cls in enumerate(classes):
            if cls is not None and cls != "normal":
                found[i].append(f"{indicator}.{cls}")
    months = np.array([completed_months(r.birth, d) for (r, _), d in zip(rows, dates, strict=True)])
    muac = classify_muac_array(np.array([_number(m.muac_cm) for _, m in rows]), months, as_of)
    for i, cls in enumerate(muac):
        if cls is not None and cls != "normal":
            found[i].append(f"muac.{cls}")
    return found


def _trends(rows: list[tuple[Resident, Measurement]], as_of: dt.date) -> Iterator[list[str]]:
    """Yield each child measurement's trend findings (T, 2T) from her weighings so far."""
    kbm = rule_in_force("kbm", as_of)
    history: dict[int, list[tuple[dt.date, float]]] = {}
    for resident, m in rows:
        weighings = history.setdefault(id(resident), [])
        weighings.append((m.date, float(cast(float, m.weight_kg))))
        trend = weight_trend(birth_date=resident.birth, weighings=weighings, as_of=m.date, kbm=kbm)
        yield trend_findings(trend)


def child_findings(rows: list[tuple[Resident, Measurement]], as_of: dt.date) -> list[Finding]:
    """Return the findings of every child measurement (rows in date order per child)."""
    if not rows:
        return []
    table = rules_for(as_of).family("referral")
    result = []
    for (resident, m), growth, trend in zip(
        rows, _child_classes(rows, as_of), _trends(rows, as_of), strict=True
    ):
        findings = tuple(sorted(growth + trend))
        refer = tuple(referral_reasons(findings, pregnant=False, table=table))
        result.append(Finding(resident, m, findings, refer))
    return result


def _suspicious(m: Measurement) -> bool:
    """Return True when a value could raise an adult finding (so the rest skip `assess`)."""
    return (
        (m.sbp_mmhg or 0) >= 135
        or (m.dbp_mmhg or 0) >= 85
        or (m.sbp_mmhg is not None and m.sbp_mmhg < 95)
        or (m.glucose_mg_dl is not None and not 75 <= m.glucose_mg_dl < 120)
    )


def _record(m: Measurement) -> MeasurementRecord:
    return MeasurementRecord(
        date=m.date,
        weight_kg=_optional(m.weight_kg),
        height_cm=_optional(m.lenhei_cm),
        measure="h" if m.lenhei_cm is not None else None,
        muac_cm=_optional(m.muac_cm),
        waist_cm=_optional(m.waist_cm),
        sbp_mmhg=_optional(m.sbp_mmhg),
        dbp_mmhg=_optional(m.dbp_mmhg),
        glucose_mg_dl=_optional(m.glucose_mg_dl),
        glucose_kind=m.glucose_kind or None,
        hb_g_dl=_optional(m.hb_g_dl),
    )


def _optional(value: object) -> float | None:
    return None if value is None else float(cast(float, value))


def adult_findings(
    rows: list[tuple[Resident, Measurement, Pregnancy | None]],
) -> list[Finding]:
    """Return the findings of pregnant women's visits and of suspicious adult screenings."""
    result = []
    for resident, m, pregnancy in rows:
        if pregnancy is None and (
            not _suspicious(m) or resident.age_days(m.date) < 15 * DAYS_PER_YEAR
        ):
            continue
        lmp = pregnancy.last_menstrual_period if pregnancy is not None else None
        person = CorePerson(
            sex=resident.sex,
            birth_date=resident.birth,
            pregnant=pregnancy is not None,
            gestational_weeks=None if lmp is None else (m.date - lmp).days // 7,
            smoker=resident.person.smoker,
        )
        a = assess(AssessmentInput(as_of=m.date, person=person, measurements=(_record(m),)))
        findings = tuple(f for f in a.findings if not f.startswith("immunization."))
        result.append(Finding(resident, m, findings, a.referral_reasons, pregnancy is not None))
    return result


def referred_now(rng: random.Random, last: dt.date | None, on: dt.date, share: float) -> bool:
    """Return True when the kader refers now: not within 90 days of the last referral."""
    return (last is None or (on - last).days > 90) and rng.random() < share
