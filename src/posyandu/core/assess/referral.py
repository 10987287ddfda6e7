"""Decide whether to refer and why (rujukan).

The rule (ASSESS.md, "Referral"; Juknis ILP KMK HK.01.07/MENKES/2015/2023 kartu bantu; Buku KIA
2023):

    refer: true, reasons = the findings that triggered it: wfa.severely_underweight,
    hfa.severely_stunted, wfh.severely_wasted, wfh.wasted, wfh.obese, bfa.obese,
    muac.severe_acute_malnutrition, child.oedema, hcfa.microcephaly, hcfa.macrocephaly,
    weight.not_increasing_twice, bp.high, glucose.high, glucose.low, hb.anaemia_severe,
    muac.chronic_energy_deficiency (pregnant), and any finding during pregnancy except
    weight.*.

The list is the `referral` rule family (data/rules/referral.toml).
"""

from __future__ import annotations

from collections.abc import Iterable

from posyandu.core.errors import RulesError
from posyandu.core.rulebook import RuleVersion

_Lists = tuple[frozenset[str], frozenset[str], tuple[str, ...] | None]


def referral_reasons(findings: Iterable[str], *, pregnant: bool, table: RuleVersion) -> list[str]:
    """Return the findings that call for a referral, sorted; refer when the list is not empty."""
    always, in_pregnancy, exempt_prefixes = table.parsed(_lists)
    if not findings:  # an empty collection (an iterator is never falsy, so it goes on)
        return []
    if not pregnant:  # outside pregnancy only the "always" list refers
        return sorted(always.intersection(findings))

    def refers(code: str) -> bool:
        if code in always:
            return True
        return code in in_pregnancy or (
            exempt_prefixes is not None and not code.startswith(exempt_prefixes)
        )

    return sorted({code for code in findings if refers(code)})


def _lists(table: RuleVersion) -> _Lists:
    """Return (always refer, refer in pregnancy, prefixes exempt in pregnancy or None)."""
    try:
        always = frozenset(map(str, table.data["findings"]))
        in_pregnancy = frozenset(map(str, table.data.get("pregnant_findings", [])))
        # Without the key a version has no "any finding in pregnancy" rule at all.
        exempt = table.data.get("pregnant_any_finding_except")
        exempt_prefixes = None if exempt is None else tuple(map(str, exempt))
    except (KeyError, TypeError) as exc:
        raise RulesError(f"rules {table.family} {table.version}: malformed list") from exc
    return always, in_pregnancy, exempt_prefixes
