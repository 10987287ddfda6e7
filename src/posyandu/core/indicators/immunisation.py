"""Count a child into the immunisation coverage, IDL and drop-out indicators of one month.

Coverage is measured in birth cohorts by the age in completed months on the month's last day
(`cohorts` parameter): a child of the cohort counts in the numerator of a dose given on or
before that day. As assess reads the schedule (docs/adr/0005), a later dose of a series counts
the earlier doses as given but unrecorded, on the later dose's date.

IDL, *Imunisasi Dasar Lengkap* (pre-2023 definition, unverified in the domain reference):

    a child aged 0-11 months who has received HB0 x1, BCG x1, DPT-HB-Hib x3, polio (OPV) x4,
    IPV x1 and MR/measles x1

so a child of the 12-23-month cohort is IDL when every `idl_vaccines` dose was given before
`idl_before_months` (her first birthday). Drop-out: children of a cohort with the first dose
of a pair and without the last (DPT-HB-Hib 1 to 3, MR1 to MR2).

The series (which doses follow which) are read from every version of the immunisation
schedule, the same data assess uses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache

from posyandu.core.assess import Dose
from posyandu.core.dates import add_months
from posyandu.core.errors import RulesError
from posyandu.core.indicators.params import Params
from posyandu.core.indicators.person import PersonMonth
from posyandu.core.rulebook import family_versions

Counts = dict[str, int]


def produces(params: Params) -> frozenset[str]:
    """Return the count codes this module can produce under `params`."""
    codes = {f"cohort_{c}" for c in params.cohorts} | {"idl"}
    codes |= {f"imm_{c.vaccine}" for c in params.coverage}
    for drop in params.dropouts:
        codes |= {f"{drop.code}_started", f"{drop.code}_dropped"}
    return frozenset(codes)


def immunisation_counts(pm: PersonMonth, params: Params) -> Counts:
    """Return the cohort, coverage, IDL and drop-out counts of one child for the month."""
    months = pm.age.months
    cohorts = {code for code, (low, high) in params.cohorts.items() if low <= months <= high}
    if not cohorts:
        return {}
    out: Counts = {f"cohort_{code}": 1 for code in cohorts}
    given = doses_given(pm.facts.immunizations, pm.month.last)
    for cov in params.coverage:
        if cov.cohort in cohorts and cov.vaccine in given:
            out[f"imm_{cov.vaccine}"] = 1
    for drop in params.dropouts:
        if drop.cohort in cohorts and drop.first in given:
            out[f"{drop.code}_started"] = 1
            if drop.last not in given:
                out[f"{drop.code}_dropped"] = 1
    if params.idl_cohort in cohorts:
        birthday = add_months(pm.facts.birth_date, params.idl_before_months)
        if all(v in given and given[v] < birthday for v in params.idl_vaccines):
            out["idl"] = 1
    return out


def doses_given(doses: tuple[Dose, ...], as_of: dt.date) -> dict[str, dt.date]:
    """Return the date each vaccine counts as given by `as_of`, series implied backwards."""
    given: dict[str, dt.date] = {}
    for dose in doses:
        if dose.date <= as_of and (dose.vaccine not in given or dose.date < given[dose.vaccine]):
            given[dose.vaccine] = dose.date
    for members in schedule_series().values():
        later: dt.date | None = None
        for vaccine in reversed(members):
            own = given.get(vaccine)
            if later is not None and (own is None or later < own):
                given[vaccine] = later
            later = given.get(vaccine)
    return given


@cache
def schedule_series() -> Mapping[str, tuple[str, ...]]:
    """Return each series' vaccine codes in dose order, over every schedule version."""
    numbered: dict[str, dict[int, str]] = {}
    for version in family_versions("immunisation_schedule"):
        for dose in version.data.get("doses", []):
            series, number = dose.get("series"), dose.get("number")
            if series is None or number is None:
                continue
            known = numbered.setdefault(str(series), {})
            if known.get(int(number), dose["vaccine"]) != dose["vaccine"]:
                raise RulesError(f"immunisation_schedule: {series} dose {number} differs")
            known[int(number)] = str(dose["vaccine"])
    return {series: tuple(d[n] for n in sorted(d)) for series, d in numbered.items()}
