"""Every finding the core can raise, and every referral reason, has words and an icon."""

from __future__ import annotations

import datetime as dt

from posyandu.core.rulebook import family_versions, rule_in_force
from posyandu.web.labels import FINDINGS, reason_look


def _growth_findings() -> set[str]:
    codes = set()
    for version in family_versions("growth_classes"):
        for table in version.data.get("z_bands", []):
            codes.update(
                f"{table['indicator']}.{band['code']}"
                for band in table["bands"]
                if band["code"] != "normal"
            )
    return codes


def test_labels_cover_every_growth_class_finding():
    assert _growth_findings() - set(FINDINGS) == set()


def test_labels_cover_every_referral_rule_finding():
    for version in family_versions("referral"):
        listed = {*version.data["findings"], *version.data.get("pregnant_findings", [])}
        assert listed - set(FINDINGS) == set(), version.version


def test_labels_cover_adult_threshold_findings():
    table = rule_in_force("adult_thresholds", dt.date(2026, 11, 23))
    named = {
        rule["finding"]
        for section in table.data.values()
        if isinstance(section, dict)
        for rules in section.values()
        if isinstance(rules, list)
        for rule in rules
        if isinstance(rule, dict) and "finding" in rule
    }
    named |= {f"bmi.{b['class']}" for b in table.data["bmi"]["bands"] if b["class"] != "normal"}
    assert len(named) >= 10
    assert named - set(FINDINGS) == set()


def test_every_label_has_word_tone_and_icon():
    for code, look in FINDINGS.items():
        assert str(look.label), code
        assert look.icon, code
        assert look.tone in {"ok", "warn", "bad"}, code


def test_unknown_code_is_shown_as_itself():
    assert str(reason_look("xyz.new").label) == "xyz.new"
