"""School-age and adolescent indicators (anaemia screening, TTD rematri) and the SPM block."""

import datetime as dt
from types import MappingProxyType

import pytest

from posyandu.core.assess import MeasurementRecord
from posyandu.core.errors import RulesError
from posyandu.core.indicators import (
    indicator_members,
    indicators_for_month,
    spm_coverage,
    spm_rules,
)
from posyandu.core.indicators import spm as spm_module
from posyandu.core.rulebook import RuleVersion, rule_in_force
from tests.core.indicators.build import OCT, RULES, D, ServiceFact, person

LAST = D(2026, 10, 31)  # the day October is read on


def _born_years_before(years, days_more=0):
    """Return a birth date making the person `years` completed years old on 31 October 2026,
    `days_more` days older."""
    return LAST.replace(year=LAST.year - years) - dt.timedelta(days=days_more)


def _hb(day, g_dl):
    return MeasurementRecord(date=day, hb_g_dl=g_dl)


def test_remaja_band_starts_at_ten_completed_years_and_ends_after_eighteen():
    people = [
        person("9y364d", _born_years_before(10) + dt.timedelta(days=1)),
        person("10y", _born_years_before(10)),
        person("18y364d", _born_years_before(19) + dt.timedelta(days=1)),
        person("19y", _born_years_before(19)),
    ]
    members = indicator_members(people, OCT, RULES)
    assert [m.id for m in members["remaja_10_18"]] == ["10y", "18y364d"]


def test_hb_this_year_screens_and_the_anaemia_rule_cut_offs_judge_it():
    # 13-year-old girl: cut-off 12.0 (12-14 y); 16-year-old boy: 13.0 (men >= 15 y).
    girl_low = person("girl", _born_years_before(13), measurements=(_hb(D(2026, 3, 5), 11.9),))
    girl_ok = person("girl_ok", _born_years_before(13), measurements=(_hb(D(2026, 3, 5), 12.0),))
    boy_low = person(
        "boy", _born_years_before(16), sex="M", measurements=(_hb(D(2026, 9, 1), 12.9),)
    )
    last_year = person(
        "last_year", _born_years_before(13), measurements=(_hb(D(2025, 12, 31), 9.0),)
    )
    got = indicators_for_month([girl_low, girl_ok, boy_low, last_year], OCT, RULES)
    assert got["remaja_10_18"].numerator == 4
    assert got["cov_hb_remaja"][:2] == (3, 4)
    assert got["prev_anaemia_remaja"][:2] == (2, 3)
    members = indicator_members([girl_low, girl_ok, boy_low, last_year], OCT, RULES)
    assert sorted(m.id for m in members["remaja_anaemia"]) == ["boy", "girl"]


def test_the_latest_hb_of_the_year_decides_anaemia():
    recovered = person(
        "r",
        _born_years_before(14),
        measurements=(_hb(D(2026, 2, 1), 10.0), _hb(D(2026, 8, 1), 12.5)),
    )
    got = indicators_for_month([recovered], OCT, RULES)
    assert (got["remaja_hb"].numerator, got["remaja_anaemia"].numerator) == (1, 0)


def test_ttd_rematri_counts_girls_12_to_18_given_the_service_this_year():
    given = (ServiceFact("ttd_rematri", D(2026, 4, 2), 4),)
    people = [
        person("girl12", _born_years_before(12), services=given),
        person("girl11", _born_years_before(12) + dt.timedelta(days=1), services=given),
        person("boy14", _born_years_before(14), sex="M", services=given),
        person("girl15_none", _born_years_before(15)),
        person(
            "girl16_last_year",
            _born_years_before(16),
            services=(ServiceFact("ttd_rematri", D(2025, 11, 2), 4),),
        ),
        person(
            "girl17_later",
            _born_years_before(17),
            services=(ServiceFact("ttd_rematri", D(2026, 11, 2), 4),),
        ),
    ]
    got = indicators_for_month(people, OCT, RULES)
    assert got["cov_ttd_rematri"][:2] == (1, 4)  # girl12 of girl12, 15, 16, 17


def test_pupils_7_to_15_screened_by_weight_and_height_this_year():
    both = (MeasurementRecord(date=D(2026, 6, 1), weight_kg=30.0, height_cm=135.0),)
    weight_only = (MeasurementRecord(date=D(2026, 6, 1), weight_kg=30.0),)
    people = [
        person("7y", _born_years_before(7), measurements=both),
        person("6y364d", _born_years_before(7) + dt.timedelta(days=1), measurements=both),
        person("15y", _born_years_before(15), measurements=weight_only),
        person("16y", _born_years_before(16), measurements=both),
    ]
    got = indicators_for_month(people, OCT, RULES)
    assert got["cov_screen_7_15"][:2] == (1, 2)


def test_balita_weighed_in_eight_distinct_months_of_the_year():
    def weighings(months):
        return tuple(MeasurementRecord(date=D(2026, m, 5), weight_kg=10.0) for m in months)

    eight = person("eight", D(2024, 1, 1), measurements=weighings(range(3, 11)))
    seven_twice_in_one = person(
        "seven",
        D(2024, 1, 1),
        measurements=(
            *weighings(range(4, 11)),
            MeasurementRecord(date=D(2026, 10, 20), weight_kg=10.1),
        ),
    )
    got = indicators_for_month([eight, seven_twice_in_one], OCT, RULES)
    assert got["balita_weighed_year"].numerator == 1


def test_spm_services_read_counts_the_indicator_rules_define():
    spm = spm_rules(OCT)
    counts = {d.code for d in RULES.definitions if d.kind == "count"}
    assert set(spm.counts) <= counts
    assert spm.codes == (
        "ibu_hamil",
        "balita",
        "usia_pendidikan_dasar",
        "usia_produktif",
        "usia_lanjut",
    )
    assert all(s.basis and s.contribution for s in spm.services)


def test_spm_coverage_uses_the_estimate_over_the_registered_persons():
    service = spm_rules(OCT).services[3]  # usia produktif, prorated: Oct target 83.3 %
    registered = spm_coverage(service, 90, 100, OCT)
    assert (registered.tally[:2], registered.source, registered.status) == (
        (90, 100),
        "registered",
        "met",
    )
    estimated = spm_coverage(service, 90, 100, OCT, estimate=200)
    assert (estimated.tally[:2], estimated.source, estimated.value) == ((90, 200), "estimate", 45.0)
    assert estimated.status == "not_met"
    assert estimated.registered == 100


def test_spm_status_band_edges_in_december():
    service = spm_rules(OCT).services[3]
    dec = D(2026, 12, 1)
    assert spm_coverage(service, 100, 100, dec).status == "met"
    assert spm_coverage(service, 90, 100, dec).status == "near"  # within 10 points
    assert spm_coverage(service, 89, 100, dec).status == "not_met"
    assert spm_coverage(service, 0, 0, dec).status is None  # no target population: no value


def test_spm_coverage_rejects_a_non_positive_estimate():
    service = spm_rules(OCT).services[0]
    with pytest.raises(ValueError, match="estimate 0"):
        spm_coverage(service, 1, 1, OCT, estimate=0)


def test_spm_rules_naming_an_unknown_count_fail_when_read(monkeypatch):
    real = rule_in_force("spm", OCT)
    services = [dict(item) for item in real.data["service"]]
    services[0]["numerator"] = "nope"
    data = MappingProxyType({**real.data, "service": services})
    broken = RuleVersion("spm", "broken", real.valid_from, real.basis, data)
    monkeypatch.setattr(spm_module, "rule_in_force", lambda family, on, version=None: broken)
    with pytest.raises(RulesError, match=r"rules spm broken: counts \['nope'\] are not counts"):
        spm_rules(OCT, "broken")


def test_the_balita_service_is_judged_against_the_whole_year_not_pro_rated():
    # Eight weighings in the year cannot be reached before August: a pro-rated target would
    # call every area short from January to July.
    balita = next(s for s in spm_rules(OCT).services if s.code == "balita")
    assert balita.numerator == "balita_weighed_year"
    assert balita.prorate is False
