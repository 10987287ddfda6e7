"""Deterministic synthetic village population as `posyandu assess` input dicts (ASSESS.md).

`persons(n, as_of=..., seed=...)` returns n people of one Indonesian village-like population,
each as the JSON object `assess` reads, with a plausible history of measurements and (for
children under six) immunisations. It is meant for benchmarks and smoke tests of the happy
path: every value is valid (no zero weights, no dates before birth, only known vaccine codes).

Same `n`, `as_of` and `seed` give the same list: the only source of chance is one
`random.Random(seed)`; nothing reads the clock.

The population, roughly (Indonesian census age pyramid, Riskesdas 2018 / SSGI 2022 rates):

- ages from a 5-year-band pyramid with about 10 % under-fives; sexes 50/50;
- under-fives: 6-24 monthly posyandu weighings (fewer when younger), with gaps; length or
  height at most visits (measured lying under 2 y, with a few exceptions either way), head
  circumference under 2 y, MUAC from 6 months, rare bilateral oedema; height-for-age z about
  N(-1.1, 1.1) (about 20 % stunted), weight-for-height z an AR(1) around a personal mean
  (about 7 % wasted); immunisation histories with coverage falling along each series, delays,
  drop-outs and an occasional unrecorded middle dose;
- school-age children and adolescents: yearly weight and height, some haemoglobin;
- adults and the elderly: 1-4 posbindu visits with weight, height, waist, blood pressure
  (about 30 % hypertensive among 19-59 y), random or fasting glucose and some haemoglobin;
- women 15-49: about 2 % of the population pregnant (LiLA, BP, Hb, weight at ANC visits),
  some in the 42-day puerperium (`delivery_date`), others delivered earlier in the year;
- BPS province codes weighted by population, with 51 (Bali, JE-endemic) well represented.

So that even a small sample reaches every branch, the first persons (up to 12) are one
archetype per life-cycle stage of ASSESS.md; the rest are drawn from the proportions above.
Growth values come from compact approximations of the WHO medians, not from the WHO tables,
so the generator does not depend on the growth engine it helps to measure.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import math
import random
from collections.abc import Callable, Sequence
from typing import Any

from posyandu.core.assess.packages import STAGE_CODES

Record = dict[str, Any]

# --- population structure ------------------------------------------------------------------

# (first year, last year inclusive, share in %): Indonesian pyramid, under-fives ~10 %.
_AGE_BANDS: tuple[tuple[int, int, float], ...] = (
    (0, 4, 10.0),
    (5, 9, 8.6),
    (10, 14, 8.4),
    (15, 19, 8.1),
    (20, 24, 8.0),
    (25, 29, 7.8),
    (30, 34, 7.7),
    (35, 39, 7.6),
    (40, 44, 7.3),
    (45, 49, 6.7),
    (50, 54, 5.9),
    (55, 59, 5.0),
    (60, 64, 4.1),
    (65, 69, 3.0),
    (70, 74, 1.9),
    (75, 79, 1.1),
    (80, 89, 0.9),
)

# Age-specific fertility rates per woman-year (SDKI-like); pregnancy prevalence is ASFR x 1.25
# (posyandu registers are fuller than census rates: ~2 % of everybody pregnant).
_ASFR: tuple[tuple[int, int, float], ...] = (
    (15, 19, 0.026),
    (20, 24, 0.100),
    (25, 29, 0.120),
    (30, 34, 0.100),
    (35, 39, 0.060),
    (40, 44, 0.020),
    (45, 49, 0.005),
)
_PREGNANT_FACTOR = 1.25

# BPS province codes with rough weights; 51 Bali is boosted so the JE branch is well covered.
_PROVINCES: tuple[tuple[str | None, float], ...] = (
    ("11", 2.0),  # Aceh
    ("12", 5.5),  # Sumatera Utara
    ("16", 3.0),  # Sumatera Selatan
    ("31", 4.0),  # DKI Jakarta
    ("32", 18.0),  # Jawa Barat
    ("33", 13.5),  # Jawa Tengah
    ("35", 15.0),  # Jawa Timur
    ("36", 4.5),  # Banten
    ("51", 12.0),  # Bali
    ("52", 2.0),  # NTB
    ("53", 2.0),  # NTT
    ("61", 2.0),  # Kalimantan Barat
    ("73", 3.5),  # Sulawesi Selatan
    ("94", 1.5),  # Papua
    (None, 3.0),  # not recorded
)

# Programme immunisations: (code, series or None, number, scheduled month, coverage).
_VACCINES: tuple[tuple[str, str | None, int, int, float], ...] = (
    ("hb0", None, 0, 0, 0.85),
    ("bcg", None, 0, 1, 0.90),
    ("opv1", "opv", 1, 1, 0.92),
    ("opv2", "opv", 2, 2, 0.94),
    ("opv3", "opv", 3, 3, 0.93),
    ("opv4", "opv", 4, 4, 0.92),
    ("dpt_hb_hib1", "dpt", 1, 2, 0.90),
    ("dpt_hb_hib2", "dpt", 2, 3, 0.94),
    ("dpt_hb_hib3", "dpt", 3, 4, 0.93),
    ("dpt_hb_hib4", "dpt", 4, 18, 0.70),
    ("pcv1", "pcv", 1, 2, 0.75),
    ("pcv2", "pcv", 2, 3, 0.90),
    ("pcv3", "pcv", 3, 12, 0.80),
    ("rv1", "rv", 1, 2, 0.65),
    ("rv2", "rv", 2, 3, 0.90),
    ("rv3", "rv", 3, 4, 0.88),
    ("ipv1", "ipv", 1, 4, 0.80),
    ("ipv2", "ipv", 2, 9, 0.75),
    ("mr1", "mr", 1, 9, 0.85),
    ("mr2", "mr", 2, 18, 0.75),
    ("je", None, 0, 10, 0.70),
)

# --- compact WHO approximations -------------------------------------------------------------

# Length (under 24 months) / height (from 24 months) medians by age in months: (month, boys, girls).
_LEN_MEDIAN: tuple[tuple[float, float, float], ...] = (
    (0, 49.9, 49.1),
    (1, 54.7, 53.7),
    (2, 58.4, 57.1),
    (3, 61.4, 59.8),
    (4, 63.9, 62.1),
    (5, 65.9, 64.0),
    (6, 67.6, 65.7),
    (9, 72.0, 70.1),
    (12, 75.7, 74.0),
    (18, 82.3, 80.7),
    (24, 87.1, 85.7),
    (36, 96.1, 95.1),
    (48, 103.3, 102.7),
    (60, 110.0, 109.4),
    (72, 116.0, 115.1),
    (84, 121.7, 120.8),
    (96, 127.3, 126.6),
    (108, 132.6, 132.5),
    (120, 137.8, 138.6),
    (132, 143.1, 144.9),
    (144, 149.1, 151.2),
    (156, 156.0, 156.4),
    (168, 163.2, 159.8),
    (180, 169.0, 161.7),
    (192, 172.9, 162.5),
    (204, 175.2, 162.9),
    (216, 176.1, 163.1),
    (240, 176.5, 163.2),
)
# Height SD by age in months (both sexes, approximate).
_LEN_SD: tuple[tuple[float, float, float], ...] = (
    (0, 1.9, 1.9),
    (6, 2.2, 2.3),
    (12, 2.5, 2.6),
    (24, 3.1, 3.2),
    (60, 4.7, 4.7),
    (120, 6.0, 6.3),
    (144, 7.0, 7.0),
    (180, 7.5, 6.4),
    (240, 7.3, 6.4),
)
# Weight-for-length/height medians (kg) by length (cm): (cm, boys, girls).
_WFL_MEDIAN: tuple[tuple[float, float, float], ...] = (
    (45, 2.44, 2.46),
    (50, 3.35, 3.40),
    (55, 4.51, 4.50),
    (60, 5.88, 5.72),
    (65, 7.20, 7.01),
    (70, 8.40, 8.15),
    (75, 9.50, 9.22),
    (80, 10.42, 10.26),
    (85, 11.49, 11.37),
    (90, 12.91, 12.71),
    (95, 14.00, 13.78),
    (100, 15.35, 15.16),
    (105, 16.84, 16.64),
    (110, 18.46, 18.30),
    (115, 20.27, 20.15),
    (120, 22.23, 22.13),
)
# Head circumference medians (cm) and SD by age in months: (month, boys, girls).
_HC_MEDIAN: tuple[tuple[float, float, float], ...] = (
    (0, 34.5, 33.9),
    (1, 37.3, 36.5),
    (2, 39.1, 38.3),
    (3, 40.5, 39.5),
    (6, 43.3, 42.2),
    (9, 45.0, 43.8),
    (12, 46.1, 45.0),
    (18, 47.4, 46.2),
    (24, 48.3, 47.2),
    (36, 49.5, 48.5),
    (48, 50.2, 49.3),
    (60, 50.7, 49.9),
)
_HC_SD = 1.3
# WHO 2007 BMI-for-age medians by age in years: (year, boys, girls).
_BMI_MEDIAN: tuple[tuple[float, float, float], ...] = (
    (5, 15.3, 15.2),
    (6, 15.3, 15.3),
    (7, 15.5, 15.4),
    (8, 15.7, 15.7),
    (9, 16.0, 16.1),
    (10, 16.4, 16.6),
    (11, 16.9, 17.2),
    (12, 17.5, 18.0),
    (13, 18.2, 18.8),
    (14, 19.0, 19.6),
    (15, 19.8, 20.2),
    (16, 20.5, 20.7),
    (17, 21.1, 21.0),
    (18, 21.7, 21.3),
    (19, 22.2, 21.4),
)

_STAGE_ARCHETYPES = STAGE_CODES


def _interp(table: Sequence[tuple[float, float, float]], x: float, female: bool) -> float:
    """Linear interpolation in a (x, boys, girls) table, flat beyond its ends."""
    col = 2 if female else 1
    xs = [row[0] for row in table]
    if x <= xs[0]:
        return table[0][col]
    if x >= xs[-1]:
        return table[-1][col]
    i = bisect.bisect_right(xs, x)
    x0, x1 = xs[i - 1], xs[i]
    y0, y1 = table[i - 1][col], table[i][col]
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0)


# --- calendar helpers (local, so the generator does not lean on the code it measures) ---------


def _add_months(start: dt.date, months: int) -> dt.date:
    index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(start.day, last))


def _months_between(birth: dt.date, on: dt.date) -> int:
    months = (on.year - birth.year) * 12 + (on.month - birth.month)
    if _add_months(birth, months) > on:
        months -= 1
    return months


def _r1(x: float) -> float:
    return round(x, 1)


def _clamp(x: float, low: float, high: float) -> float:
    return low if x < low else high if x > high else x


# --- the generator --------------------------------------------------------------------------


class _Village:
    """Draws persons; holds the seeded random source and `as_of`."""

    def __init__(self, as_of: dt.date, seed: int) -> None:
        self.rng = random.Random(seed)
        self.as_of = as_of
        self._band_cum = _cumulative([w for _, _, w in _AGE_BANDS])
        self._prov_cum = _cumulative([w for _, w in _PROVINCES])

    # person-level ------------------------------------------------------------------------

    def person(self, index: int, archetype: str | None = None) -> Record:
        rng = self.rng
        female = rng.random() < 0.5
        pregnant = False
        delivered_days: int | None = None
        if archetype is None:
            age_days = self._draw_age_days()
            years = age_days // 365
            if female and 15 <= years <= 49:
                asfr = _asfr(years)
                u = rng.random()
                if u < asfr * _PREGNANT_FACTOR:
                    pregnant = True
                elif u < asfr * (_PREGNANT_FACTOR + 43 / 365):
                    delivered_days = rng.randint(0, 42)
                elif u < asfr * (_PREGNANT_FACTOR + 1.0):
                    delivered_days = rng.randint(43, 365)
        else:
            age_days, female, pregnant, delivered_days = self._archetype(archetype)
        birth = self.as_of - dt.timedelta(days=age_days)
        months = _months_between(birth, self.as_of)
        years = months // 12

        person: Record = {"sex": "F" if female else "M", "birth_date": birth.isoformat()}
        if female and 10 <= years <= 54:
            person["pregnant"] = pregnant
        if pregnant:
            person["gestational_weeks"] = rng.randint(6, 40)
        if delivered_days is not None:
            person["delivery_date"] = (self.as_of - dt.timedelta(days=delivered_days)).isoformat()
        if years >= 10:
            p_smoke = (0.62 if years >= 19 else 0.20) if not female else 0.03
            person["smoker"] = rng.random() < p_smoke
        province = self._draw_province()
        if province is not None:
            person["province_code"] = province

        record: Record = {"id": f"p{index:06d}", "as_of": self.as_of.isoformat(), "person": person}
        if months < 60:
            record["measurements"] = self._child_history(birth, female, months)
        elif pregnant:
            record["measurements"] = self._anc_history(person["gestational_weeks"])
        elif years < 19 and delivered_days is None:
            record["measurements"] = self._school_history(birth, female, years)
        else:
            record["measurements"] = self._adult_history(female, years, delivered_days)
        if months < 72:
            record["immunizations"] = self._immunisations(birth, province)
        record["symptoms"] = []
        return record

    def _archetype(self, stage: str) -> tuple[int, bool, bool, int | None]:
        """Return (age in days, female, pregnant, days since delivery) for one stage."""
        rng = self.rng
        female = rng.random() < 0.5
        match stage:
            case "bayi_baru_lahir":
                return rng.randint(1, 28), female, False, None
            case "bayi":
                return rng.randint(60, 330), female, False, None
            case "baduta":
                return rng.randint(400, 700), female, False, None
            case "balita":
                return rng.randint(800, 1780), female, False, None
            case "anak_prasekolah":
                return rng.randint(1840, 2150), female, False, None
            case "usia_sekolah":
                return rng.randint(2300, 3550), female, False, None
            case "remaja":
                return rng.randint(3700, 6500), female, False, None
            case "usia_dewasa":
                return rng.randint(20 * 365, 58 * 365), False, False, None
            case "lansia":
                return rng.randint(61 * 365, 80 * 365), female, False, None
            case "wus":
                return rng.randint(20 * 365, 45 * 365), True, False, None
            case "ibu_hamil":
                return rng.randint(20 * 365, 38 * 365), True, True, None
            case "ibu_nifas":
                return rng.randint(20 * 365, 38 * 365), True, False, rng.randint(0, 42)
        raise ValueError(stage)

    def _draw_age_days(self) -> int:
        rng = self.rng
        lo, hi, _ = _AGE_BANDS[bisect.bisect_right(self._band_cum, rng.random())]
        return rng.randint(lo * 365 + (lo // 4), (hi + 1) * 365 + ((hi + 1) // 4) - 1)

    def _draw_province(self) -> str | None:
        return _PROVINCES[bisect.bisect_right(self._prov_cum, self.rng.random())][0]

    # under-fives -------------------------------------------------------------------------

    def _visit_months(self, birth: dt.date, wanted: int, p_attend: float) -> list[dt.date]:
        """Monthly posyandu days on or before as_of (a rare one after), newest last, with gaps."""
        rng = self.rng
        as_of = self.as_of
        day0 = rng.randint(1, 28)  # the posyandu's usual day of the month
        visits: list[dt.date] = []
        if rng.random() < 0.01:  # a record dated after as_of: must be ignored
            future = as_of + dt.timedelta(days=rng.randint(1, 40))
            visits.append(future)
        offset = 0
        while len(visits) < wanted:
            first = _add_months(dt.date(as_of.year, as_of.month, 1), -offset)
            offset += 1
            if first < dt.date(birth.year, birth.month, 1):
                break
            last = calendar.monthrange(first.year, first.month)[1]
            day = min(max(1, day0 + rng.randint(-3, 3)), last)
            when = first.replace(day=day)
            if when > as_of:  # this month's posyandu day is still to come
                if offset > 1 or rng.random() >= 0.3:
                    continue
                when = as_of  # ... or the child came today
            if when < birth:
                continue
            if offset > 1 and rng.random() > p_attend:
                continue  # missed this month
            visits.append(when)
            if rng.random() < 0.02:  # a second weighing that month (home visit)
                extra = when - dt.timedelta(days=rng.randint(5, 12))
                if extra >= birth and extra.month == when.month:
                    visits.append(extra)
        visits.sort()
        return visits

    def _child_history(self, birth: dt.date, female: bool, months: int) -> list[Record]:
        rng = self.rng
        wanted = rng.randint(6, 24)
        visits = self._visit_months(birth, wanted, p_attend=rng.choice((0.95, 0.85, 0.7)))
        if not any(when <= self.as_of for when in visits):
            visits = sorted([*visits, self.as_of])
        z_len_end = rng.gauss(-1.1, 1.1)
        z_len_slope = rng.gauss(0.03, 0.02)  # z falls with age: earlier visits a bit higher
        z_wfh_mean = rng.gauss(-0.45, 0.9)
        z_hc = rng.gauss(-0.2, 0.95)
        z_wfh = z_wfh_mean + rng.gauss(0, 0.46)
        oedema_child = rng.random() < 0.003
        standing_under_2 = rng.random() < 0.06
        lying_over_2 = rng.random() < 0.04
        other_key = rng.random() < 0.05
        n = len(visits)
        # The last visit on or before as_of carries the full set (a later one is ignored).
        last_valid = max(i for i, when in enumerate(visits) if when <= self.as_of)
        records: list[Record] = []
        last_len = 0.0
        for i, when in enumerate(visits):
            latest = i == last_valid
            age_m = (when - birth).days / 30.4375
            months_before_end = (visits[-1] - when).days / 30.4375
            z_len = z_len_end + z_len_slope * months_before_end + rng.gauss(0, 0.08)
            length = _interp(_LEN_MEDIAN, age_m, female) + z_len * _interp(_LEN_SD, age_m, female)
            length = max(length, last_len, 42.0)
            last_len = length
            z_wfh = z_wfh_mean + 0.9 * (z_wfh - z_wfh_mean) + rng.gauss(0, 0.2)
            weight = _interp(_WFL_MEDIAN, length, female) * math.exp(0.085 * z_wfh)
            if length < 45:
                weight *= (length / 45) ** 3
            weight = max(weight, 1.5)
            rec: Record = {"date": when.isoformat(), "weight_kg": _r1(weight)}
            if latest or rng.random() < 0.6:
                under_2 = age_m < 24
                lying = (under_2 and not standing_under_2) or (not under_2 and lying_over_2)
                shown = length if under_2 == lying else length + (-0.7 if lying is False else 0.7)
                key = "length_cm" if lying != other_key else "height_cm"
                rec[key] = _r1(shown)
                rec["measure"] = "l" if lying else "h"
            if age_m < 24 and (latest or rng.random() < 0.5):
                hc = _interp(_HC_MEDIAN, age_m, female) + z_hc * _HC_SD + rng.gauss(0, 0.2)
                rec["headc_cm"] = _r1(hc)
            if age_m >= 6 and (latest or rng.random() < 0.4):
                muac = 15.2 + 0.3 * age_m / 12 + 1.1 * z_wfh + rng.gauss(0, 0.4)
                rec["muac_cm"] = _r1(_clamp(muac, 9.5, 20.0))
            if oedema_child and i >= n - 2:
                rec["oedema"] = True
            elif rng.random() < 0.5:
                rec["oedema"] = False
            if age_m >= 6 and latest and rng.random() < 0.15:
                rec["hb_g_dl"] = _r1(_clamp(rng.gauss(11.5, 1.1), 5.5, 15.5))
            records.append(rec)
        if months < 1 and rng.random() < 0.5:
            records[-1].setdefault("oedema", False)
        return records

    def _immunisations(self, birth: dt.date, province: str | None) -> list[Record]:
        rng = self.rng
        as_of = self.as_of
        diligence = rng.random()  # families differ: some stay on time, some drop out
        delay_scale = 5 + 40 * diligence**2
        last_in_series: dict[str, dt.date] = {}
        dropped: set[str] = set()
        doses: list[Record] = []
        for code, series, number, month, coverage in _VACCINES:
            if code == "je" and province != "51":
                continue
            if series is not None and series in dropped:
                continue
            if rng.random() > coverage + 0.08 - 0.16 * diligence:
                if series is not None:
                    dropped.add(series)
                continue
            if code == "hb0":
                given = birth + dt.timedelta(days=0 if rng.random() < 0.8 else rng.randint(1, 10))
            else:
                scheduled = _add_months(birth, month)
                given = scheduled + dt.timedelta(
                    days=int(rng.expovariate(1 / delay_scale)) - rng.randint(0, 3)
                )
                if series is not None and series in last_in_series:
                    given = max(given, last_in_series[series] + dt.timedelta(days=28))
            given = max(given, birth)
            if given > as_of:
                continue
            if series is not None:
                last_in_series[series] = given
                if number > 1 and rng.random() < 0.03:
                    continue  # given, but the card was not copied: an unrecorded middle dose
            doses.append({"vaccine": code, "date": given.isoformat()})
        rng.shuffle(doses)
        return doses

    # school age and adolescents ------------------------------------------------------------

    def _school_history(self, birth: dt.date, female: bool, years: int) -> list[Record]:
        rng = self.rng
        z_h = rng.gauss(-0.9, 1.05)
        z_b = _clamp(rng.gauss(-0.25, 1.15), -4.0, 3.5)
        count = rng.choice((1, 1, 2, 2, 3))
        records: list[Record] = []
        for k in range(count):
            when = self.as_of - dt.timedelta(days=365 * (count - 1 - k) + rng.randint(0, 60))
            if when < birth:
                continue
            age_m = (when - birth).days / 30.4375
            height = _interp(_LEN_MEDIAN, age_m, female) + z_h * _interp(_LEN_SD, age_m, female)
            bmi_med = _interp(_BMI_MEDIAN, age_m / 12, female)
            bmi = bmi_med / (1 - 0.13 * (z_b + rng.gauss(0, 0.15)))
            weight = bmi * (height / 100) ** 2
            rec: Record = {
                "date": when.isoformat(),
                "weight_kg": _r1(weight),
                "height_cm": _r1(height),
                "measure": "h",
            }
            latest = k == count - 1
            p_hb = 0.6 if female and years >= 12 else 0.25
            if latest and rng.random() < p_hb:
                mean = 12.4 if years < 12 else (12.5 if female else 13.6)
                rec["hb_g_dl"] = _r1(_clamp(rng.gauss(mean, 1.1), 6.0, 17.0))
            if latest and years >= 15:
                if rng.random() < 0.5:
                    _set_bp(rec, rng.gauss(112, 11), rng.gauss(72, 8))
                if rng.random() < 0.3:
                    rec["waist_cm"] = _r1(2.5 * bmi + 20 + rng.gauss(0, 4))
            records.append(rec)
        return records

    # adults, elderly, mothers ------------------------------------------------------------

    def _adult_history(self, female: bool, years: int, delivered_days: int | None) -> list[Record]:
        rng = self.rng
        height = rng.gauss(151.5, 5.5) if female else rng.gauss(163.5, 6.5)
        if years >= 60:
            height -= 0.15 * (years - 60)
        log_bmi = rng.gauss(math.log(23.3 if female else 22.6), 0.17 if female else 0.15)
        if years >= 70:
            log_bmi -= 0.05
        bmi_base = _clamp(math.exp(log_bmi), 14.0, 45.0)
        sbp_dev = rng.gauss(0, 17)
        # Years that raise blood pressure (Riskesdas 2018: ~13 % at 18-24 y, ~55 % at 55-64 y).
        age_bp = min(years, 62) - 19 + 0.4 * max(0, years - 62)
        diabetic = rng.random() < _clamp(0.01 + 0.004 * (years - 19), 0.01, 0.20)
        hb_mean = (12.7 if female else 14.6) - (0.6 if years >= 60 else 0.0)
        count = rng.choice((1, 1, 2, 2, 3, 4))
        gaps = sorted(rng.randint(0, 720) for _ in range(count - 1))
        days_back = [*reversed(gaps), 0] if count > 1 else [0]
        if delivered_days is not None:  # postpartum visits follow the delivery
            days_back = sorted({min(d, delivered_days) for d in days_back}, reverse=True)
        days_back = [d + rng.randint(0, 20) if delivered_days is None else d for d in days_back]
        records: list[Record] = []
        height_on = len(days_back) - 1 if rng.random() < 0.85 else 0
        for k, back in enumerate(days_back):
            when = self.as_of - dt.timedelta(days=back)
            bmi = bmi_base * (1 + rng.gauss(0, 0.02))
            rec: Record = {"date": when.isoformat(), "weight_kg": _r1(bmi * (height / 100) ** 2)}
            if k == height_on and rng.random() < 0.95:
                rec["height_cm"] = _r1(height)
            if rng.random() < 0.7:
                if female:
                    waist = 2.6 * bmi + 18 + 0.15 * (years - 30) + rng.gauss(0, 5)
                else:
                    waist = 2.7 * bmi + 20 + 0.10 * (years - 30) + rng.gauss(0, 5)
                rec["waist_cm"] = _r1(_clamp(waist, 50, 150))
            if rng.random() < 0.9:
                sbp = 114 + 0.7 * age_bp + 1.1 * (bmi - 23) + sbp_dev + rng.gauss(0, 6)
                dbp = 74 + 0.22 * age_bp + 0.5 * (bmi - 23) + 0.35 * sbp_dev
                dbp += rng.gauss(0, 6)
                _set_bp(rec, sbp, dbp)
                if rng.random() < 0.02:  # only one of the two recorded
                    del rec["dbp_mmhg" if rng.random() < 0.5 else "sbp_mmhg"]
            if rng.random() < 0.4:
                kind = "fasting" if rng.random() < 0.3 else "random"
                if diabetic:
                    g = rng.gauss(165, 40) if kind == "fasting" else rng.gauss(235, 60)
                else:
                    g = rng.gauss(92, 10) if kind == "fasting" else rng.gauss(110, 20)
                rec["glucose_mg_dl"] = round(_clamp(g, 55, 500))
                if rng.random() < 0.9:
                    rec["glucose_kind"] = kind
            if rng.random() < (0.35 if female else 0.12):
                rec["hb_g_dl"] = _r1(_clamp(rng.gauss(hb_mean, 1.2), 6.0, 18.0))
            records.append(rec)
        return records

    def _anc_history(self, weeks: int) -> list[Record]:
        rng = self.rng
        height = rng.gauss(151.5, 5.5)
        pre_weight = (
            _clamp(math.exp(rng.gauss(math.log(22.5), 0.16)), 15.5, 40) * (height / 100) ** 2
        )
        lila = _clamp(rng.gauss(25.5, 2.6), 18.0, 38.0)
        sbp_base = rng.gauss(110, 10) + (25 if rng.random() < 0.05 else 0)
        hb_mean = rng.gauss(11.4, 0.8)
        visits = max(1, min(6, weeks // 5))
        records: list[Record] = []
        for k in range(visits):
            week_at = weeks - 4 * (visits - 1 - k)
            if week_at < 4:
                continue
            when = self.as_of - dt.timedelta(weeks=weeks - week_at, days=rng.randint(0, 3))
            gain = max(0.0, week_at - 12) * 0.42 + rng.gauss(0, 0.4)
            rec: Record = {"date": when.isoformat(), "weight_kg": _r1(pre_weight + gain)}
            if k == 0:
                rec["height_cm"] = _r1(height)
            if k == 0 or k == visits - 1 or rng.random() < 0.3:
                rec["muac_cm"] = _r1(lila + rng.gauss(0, 0.2))
            _set_bp(rec, sbp_base + rng.gauss(0, 6), 0.6 * sbp_base + 4 + rng.gauss(0, 5))
            if k == visits - 1 or rng.random() < 0.3:
                rec["hb_g_dl"] = _r1(_clamp(hb_mean + rng.gauss(0, 0.5), 6.0, 16.0))
            if rng.random() < 0.1:
                rec["glucose_mg_dl"] = round(_clamp(rng.gauss(100, 25), 60, 400))
                rec["glucose_kind"] = "random"
            records.append(rec)
        if not records:
            records.append({"date": self.as_of.isoformat(), "weight_kg": _r1(pre_weight)})
        return records


def _set_bp(rec: Record, sbp: float, dbp: float) -> None:
    """Store a blood pressure: systolic 78-230, diastolic 45-140 and 15 or more below it."""
    systolic = round(_clamp(sbp, 78, 230))
    rec["sbp_mmhg"] = systolic
    rec["dbp_mmhg"] = round(_clamp(dbp, 45, min(140, systolic - 15)))


def _cumulative(weights: Sequence[float]) -> list[float]:
    total = sum(weights)
    out: list[float] = []
    acc = 0.0
    for w in weights:
        acc += w / total
        out.append(acc)
    out[-1] = 1.0 + 1e-12  # bisect_right on a draw in [0, 1) always lands inside
    return out


def _asfr(years: int) -> float:
    for lo, hi, rate in _ASFR:
        if lo <= years <= hi:
            return rate
    return 0.0


def persons(n: int, *, as_of: dt.date, seed: int = 1) -> list[dict[str, Any]]:
    """Return n synthetic persons as ASSESS.md input dicts, all assessed on `as_of`.

    Deterministic in (n, as_of, seed). The first min(n, 12) persons are one archetype per
    life-cycle stage (newborn ... ibu nifas); the others follow the village proportions.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    village = _Village(as_of, seed)
    make: Callable[[int, str | None], Record] = village.person
    out = [make(i, _STAGE_ARCHETYPES[i]) for i in range(min(n, len(_STAGE_ARCHETYPES)))]
    out.extend(make(i, None) for i in range(len(out), n))
    return out
