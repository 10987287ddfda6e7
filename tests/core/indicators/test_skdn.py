"""SKDN on small hand-built posyandu where the right numbers are known."""

from posyandu.core.indicators import indicator_members, indicators_for_month
from tests.core.indicators.build import OCT, RULES, D, person, weighing

BORN = D(2025, 1, 15)  # 20 completed months in October 2026: KBM 200 g
SEP, AUG = D(2026, 9, 10), D(2026, 8, 10)
OCT_DAY = D(2026, 10, 12)


def _five_children():
    """4 weighed in October (2 up, 1 not up, 1 new), 1 weighed only in September."""
    return [
        person("up1", BORN, measurements=(weighing(SEP, 9.0), weighing(OCT_DAY, 9.3))),
        person("up2", BORN, measurements=(weighing(SEP, 9.5), weighing(OCT_DAY, 9.7))),
        person("flat", BORN, measurements=(weighing(SEP, 10.0), weighing(OCT_DAY, 10.1))),
        person("new", BORN, known=D(2026, 10, 1), measurements=(weighing(OCT_DAY, 9.8),)),
        person("absent", BORN, measurements=(weighing(SEP, 9.9),)),
    ]


def test_skdn_five_children_gives_known_counts():
    got = indicators_for_month(_five_children(), OCT, RULES)
    counts = {code: got[code].numerator for code in ("s", "d", "n", "t", "o", "b", "2t")}
    assert counts == {"s": 5, "d": 4, "n": 2, "t": 1, "o": 0, "b": 1, "2t": 0}


def test_skdn_ratios_use_the_counts():
    got = indicators_for_month(_five_children(), OCT, RULES)
    assert got["d_s"][:2] == (4, 5)
    assert got["n_d"][:2] == (2, 4)
    # N/(D-O-B): the new child has no N/T judgement, so she leaves the denominator.
    assert got["n_d_valid"][:2] == (2, 3)


def test_skdn_identity_d_equals_n_t_o_b():
    kids = [
        *_five_children(),
        person("gap", BORN, measurements=(weighing(AUG, 9.0), weighing(OCT_DAY, 9.6))),
    ]
    got = indicators_for_month(kids, OCT, RULES)
    assert got["o"].numerator == 1
    parts = sum(got[c].numerator for c in ("n", "t", "o", "b"))
    assert got["d"].numerator == parts == 5


def test_skdn_two_t_in_a_row_is_counted_in_t_and_2t():
    kid = person(
        "falter",
        BORN,
        measurements=(weighing(AUG, 10.0), weighing(SEP, 10.0), weighing(OCT_DAY, 10.1)),
    )
    got = indicators_for_month([kid], OCT, RULES)
    assert (got["t"].numerator, got["2t"].numerator, got["n"].numerator) == (1, 1, 0)


def test_skdn_k_counts_children_with_buku_kia():
    kids = [person("a", BORN, buku_kia=True), person("b", BORN, buku_kia=False), person("c", BORN)]
    got = indicators_for_month(kids, OCT, RULES)
    assert (got["k"].numerator, got["k_s"][:2]) == (1, (1, 3))


def test_s_leaves_out_the_over_fives_the_unborn_and_the_not_yet_known():
    kids = [
        person("five", D(2021, 10, 1)),  # 60 months on 31 October: not a balita
        person("fiftynine", D(2021, 11, 1)),  # 59 months: a balita
        person("unborn", D(2026, 11, 2)),
        person("later", BORN, known=D(2026, 11, 5)),
    ]
    got = indicators_for_month(kids, OCT, RULES)
    assert got["s"].numerator == 1


def test_a_weighing_entered_from_the_kms_places_the_child_in_its_month():
    kid = person("kms", BORN, known=D(2026, 11, 5), measurements=(weighing(SEP, 9.0),))
    assert indicators_for_month([kid], D(2026, 9, 1), RULES)["s"].numerator == 1
    assert indicators_for_month([kid], AUG, RULES)["s"].numerator == 0


def test_bgm_is_weight_for_age_below_minus_three():
    kids = [
        person("bgm", BORN, measurements=(weighing(OCT_DAY, 7.2),)),  # z -3.44
        person("thin", BORN, measurements=(weighing(OCT_DAY, 8.0),)),  # z -2.6: underweight only
    ]
    got = indicators_for_month(kids, OCT, RULES)
    assert got["bgm"].numerator == 1
    assert got["bgm_d"][:2] == (1, 2)
    assert got["underweight"].numerator == 2


def test_members_of_n_are_the_children_who_gained():
    members = indicator_members(_five_children(), OCT, RULES)
    assert [m.id for m in members["n"]] == ["up1", "up2"]
    in_d_s = {m.id: (m.numerator, m.denominator) for m in members["d_s"]}
    assert in_d_s["absent"] == (0, 1)
    assert in_d_s["new"] == (1, 1)
