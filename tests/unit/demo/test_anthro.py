"""The demo turns z-scores into measurements that the growth engine reads back as the same z."""

from __future__ import annotations

import pytest

from posyandu.core.growth import ChildMeasurement, child_zscores_2006, child_zscores_2007
from posyandu.demo.anthro import head_cm, length_cm, muac_cm, teen_height_weight, weight_kg


@pytest.mark.parametrize("z", [-3.6, -2.4, -1.0, 0.0, 1.7])
@pytest.mark.parametrize(
    ("sex", "code", "age_days"), [("M", 1, 200), ("F", 2, 500), ("F", 2, 1400)]
)
def test_anthro_child_measurements_give_back_their_z(sex, code, age_days, z):
    length = round(length_cm(sex, age_days, z), 1)
    weight = weight_kg(sex, age_days, length, z, 0.0)
    measure = "l" if age_days < 731 else "h"
    scored = child_zscores_2006(
        ChildMeasurement(
            sex=code,
            age_days=age_days,
            weight_kg=weight,
            lenhei_cm=length,
            measure=measure,
            headc_cm=head_cm(sex, age_days, z),
            armc_cm=muac_cm(sex, age_days, z),
        )
    )
    assert scored.hfa == pytest.approx(z, abs=0.05)  # the length was rounded to 0.1 cm
    assert scored.wfh == pytest.approx(z, abs=0.01)
    assert scored.hcfa == pytest.approx(z, abs=0.01)
    assert scored.acfa == pytest.approx(z, abs=0.01)


def test_anthro_teenager_height_and_weight_give_back_their_z():
    height, weight = teen_height_weight("F", 150, -2.5, 0.5)
    scored = child_zscores_2007(
        ChildMeasurement(sex=2, age_days=round(150.2 * 30.4375), weight_kg=weight, lenhei_cm=height)
    )
    assert scored.hfa == pytest.approx(-2.5, abs=0.02)
    assert scored.bfa == pytest.approx(0.5, abs=0.02)


def test_anthro_off_the_table_falls_back_to_weight_for_age():
    # 44 cm is below the weight-for-length table (45-110 cm): weight-for-age is used instead.
    assert weight_kg("M", 0, 44.0, 0.0, 0.0) == pytest.approx(3.3464, abs=0.001)
