"""Judge a child's monthly weight trend on the KMS: N, T, 2T, O or B.

The rule (ASSESS.md, "Weight trend (KMS, Buku KIA)"; Buku KIA 2023, Kemenkes RI, KMS page and
its table of KBM, *Kenaikan Berat Badan Minimal*):

    Children 0-59 months only (otherwise null): take the latest weighing of each calendar
    month. Compare the latest weighing on or before as_of (month M) with the latest weighing
    of month M-1. KBM is looked up by the child's age in completed months at the later
    weighing; at 0 months there is no trend: B. N gain >= KBM (compare in whole grams);
    T gain < KBM; 2T this T and the previous month's comparison (M-1 vs M-2) was also T;
    O there is no weighing in month M-1 but there is one in an earlier month; B there is no
    weighing in any earlier calendar month; null no weighing at all. "0-59 months" is the
    age on as_of. Findings: weight.not_increasing for T, weight.not_increasing_twice for 2T
    (alone: 2T implies the first).

The KBM bands and the age limit are the `kbm` rule family (data/rules/kbm.toml).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Literal

from posyandu.core.assess.model import MeasurementRecord
from posyandu.core.dates import Age, completed_months
from posyandu.core.errors import InputError, RulesError
from posyandu.core.rulebook import RuleVersion

Trend = Literal["N", "T", "2T", "O", "B"]

_FINDINGS: dict[str, list[str]] = {
    "T": ["weight.not_increasing"],
    # 2T is reported alone: it implies the single T finding.
    "2T": ["weight.not_increasing_twice"],
}

# Weights in (0, this) pass `_to_grams` whatever they are: finite, positive, no overflow.
_CLEARLY_FINE_KG = 1e300

# (date, weight in kg) of the weighing that stands for its calendar month.
_Weighing = tuple[dt.date, float]


def weight_trend(
    *,
    birth_date: dt.date,
    weighings: Sequence[tuple[dt.date, float]],
    as_of: dt.date,
    kbm: RuleVersion,
) -> Trend | None:
    """Return the KMS trend on `as_of` from (date, weight_kg) weighings, or None if none applies.

    Raises InputError for a weighing dated before birth or a weight that is not a positive
    number; its field names the position in `weighings` (`weighings[2].weight_kg`).
    """
    if not 0 <= completed_months(birth_date, as_of) < kbm.parsed(_age_limit):
        _check(birth_date, weighings)  # no trend, but bad weighings are still an error
        return None
    return _child_trend(birth_date, weighings, as_of, kbm)


def _child_trend(
    birth_date: dt.date,
    weighings: Sequence[tuple[dt.date, float]],
    as_of: dt.date,
    kbm: RuleVersion,
) -> Trend | None:
    """Return `weight_trend` of a child already known to be in the trend's age range."""
    monthly = _latest_per_month(birth_date, weighings, as_of)
    if not monthly:
        return None
    month = max(monthly)
    if month - 1 not in monthly:
        # `month` is the latest, so any other month on record is an earlier one.
        return "O" if len(monthly) > 1 else "B"
    current = _compare(birth_date, monthly[month], monthly[month - 1], kbm)
    if current is None:
        return "B"
    if current == "N":
        return "N"
    before = monthly.get(month - 2)
    # No weighing in M-2, or an M-1 weighing in the first month of life, means there was no
    # previous comparison, so it cannot have been T.
    if before is not None and _compare(birth_date, monthly[month - 1], before, kbm) == "T":
        return "2T"
    return "T"


def record_weight_trend(
    birth_date: dt.date,
    records: Sequence[MeasurementRecord],
    as_of: dt.date,
    kbm: RuleVersion,
    age: Age | None = None,
) -> Trend | None:
    """Return `weight_trend` of the weighings in measurement records (those with a weight,
    in order: `weighings[i]` in an error is the i-th of them). Adults skip the listing.

    `age`, when the caller has it, is the age on as_of.
    """
    months = completed_months(birth_date, as_of) if age is None else age.months
    if not 0 <= months < kbm.parsed(_age_limit):
        index = 0
        for record in records:
            weight_kg = record.weight_kg
            if weight_kg is not None:
                # Only an odd value needs the full check (a clear range cannot fail it).
                if not 0.0 < weight_kg < _CLEARLY_FINE_KG or record.date < birth_date:
                    _check_one(birth_date, index, record.date, weight_kg)
                index += 1
        return None
    weighings = [(r.date, r.weight_kg) for r in records if r.weight_kg is not None]
    return _child_trend(birth_date, weighings, as_of, kbm)


def _age_limit(kbm: RuleVersion) -> int:
    return int(kbm.data["age_limit_months"])


def trend_findings(trend: str | None) -> list[str]:
    """Return the findings a trend raises: one for T, one for 2T, none otherwise."""
    if trend is None:
        return []
    return list(_FINDINGS.get(trend, []))


def _latest_per_month(
    birth_date: dt.date, weighings: Sequence[tuple[dt.date, float]], as_of: dt.date
) -> dict[int, _Weighing]:
    """Return the latest weighing on or before `as_of` of each calendar month, by month index.

    Every weighing is checked, as `_check` does; only the few compared become grams.
    """
    monthly: dict[int, _Weighing] = {}
    for index, weighing in enumerate(weighings):
        day, weight_kg = weighing
        if not 0.0 < weight_kg < _CLEARLY_FINE_KG:  # a clear range cannot fail the check
            _to_grams(index, weight_kg)
        if day < birth_date:
            raise InputError(f"weighings[{index}].date", f"{day.isoformat()} is before birth")
        if day > as_of:
            continue
        key = day.year * 12 + day.month - 1
        held = monthly.get(key)
        # On a tie the later entry wins: a second weighing the same day corrects the first.
        if held is None or day >= held[0]:
            monthly[key] = weighing
    return monthly


def _check(birth_date: dt.date, weighings: Sequence[tuple[dt.date, float]]) -> None:
    """Raise what `_latest_per_month` raises for a bad weighing, without grouping them."""
    for index, (day, weight_kg) in enumerate(weighings):
        _check_one(birth_date, index, day, weight_kg)


def _check_one(birth_date: dt.date, index: int, day: dt.date, weight_kg: float) -> None:
    _to_grams(index, weight_kg)
    if day < birth_date:
        raise InputError(f"weighings[{index}].date", f"{day.isoformat()} is before birth")


def _to_grams(index: int, weight_kg: float) -> int:
    """Return the weight in whole grams, so 8.1 kg - 7.3 kg is exactly 800 g, not 799.99..."""
    if not math.isfinite(weight_kg) or weight_kg <= 0:
        raise InputError(f"weighings[{index}].weight_kg", f"must be above 0, got {weight_kg!r}")
    return round(weight_kg * 1000)


def _compare(
    birth_date: dt.date, later: _Weighing, earlier: _Weighing, kbm: RuleVersion
) -> Literal["N", "T"] | None:
    """Return N or T for two consecutive months, or None when the age has no KBM (0 months)."""
    min_gain_g = _min_gain_g(kbm, completed_months(birth_date, later[0]))
    if min_gain_g is None:
        return None
    # In whole grams, as `_to_grams` gives them: 8.1 kg - 7.3 kg is exactly 800 g.
    gain_g = round(later[1] * 1000) - round(earlier[1] * 1000)
    return "N" if gain_g >= min_gain_g else "T"


def _min_gain_g(kbm: RuleVersion, age_months: int) -> int | None:
    """Return the KBM in grams for an age, or None below the first band (no trend yet)."""
    bands = kbm.parsed(_kbm_bands)
    if not bands or age_months < bands[0][0]:
        return None
    for from_month, to_month, min_gain_g in bands:
        if from_month <= age_months <= to_month:
            return min_gain_g
    # A gap in the table is a data error, never a silent "no trend".
    raise RulesError(f"rules {kbm.family} {kbm.version}: no KBM band for {age_months} months")


def _kbm_bands(kbm: RuleVersion) -> tuple[tuple[int, int, int], ...]:
    """Return the (from month, to month, minimum gain in g) bands of a KBM version, by age."""
    try:
        bands = (
            (int(band["from_month"]), int(band["to_month"]), int(band["min_gain_g"]))
            for band in kbm.data["bands"]
        )
        return tuple(sorted(bands, key=lambda band: band[0]))
    except (KeyError, TypeError, ValueError) as exc:
        raise RulesError(f"rules {kbm.family} {kbm.version}: malformed bands ({exc!r})") from exc
