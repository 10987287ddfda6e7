"""The target-estimates page refuses bad input in words instead of failing or guessing."""

import pytest
from django.utils import timezone

from posyandu.regions.models import ESTIMATE_SOURCE_MAX_CHARS, TargetEstimate
from posyandu.regions.services import target_estimate_set

pytestmark = pytest.mark.django_db
URL = "/pws/sasaran/"


def _year():
    return timezone.localdate().year


@pytest.fixture
def dinkes(client, jejaring):
    """The dinkes analyst, logged in, with a saved estimate of usia lanjut for this year."""
    user = jejaring.user("dinkes_analyst")
    target_estimate_set(user=user, year=_year(), service="usia_lanjut", number=50, source="BPS")
    client.force_login(user)
    return client


def _saved():
    return dict(TargetEstimate.objects.values_list("service", "number"))


def _errors_of(text, code):
    """Return the error lines of one service's fieldset."""
    fieldset = text.split(f'id="n_{code}"')[0].rsplit("<fieldset>", 1)[1]
    return [line for line in fieldset.splitlines() if 'role="alert"' in line]


@pytest.mark.parametrize(
    ("typed", "number"),
    [("1200", 1200), ("1.200", 1200), ("10.000.000", 10_000_000), (" 75 ", 75)],
)
def test_a_number_with_or_without_thousands_dots_is_saved(dinkes, typed, number):
    response = dinkes.post(URL, {"tahun": _year(), "n_balita": typed, "s_balita": "BPS"})
    assert response.status_code == 302
    assert _saved()["balita"] == number


@pytest.mark.parametrize(
    "typed",
    ["1.5", "12.00", "1.2000", ".200", "1..200", "1,200", "1 200", "-5", "1e3", "²", "٣", "abc"],
)
def test_a_number_that_is_not_whole_persons_is_refused_naming_it(dinkes, typed):
    response = dinkes.post(URL, {"tahun": _year(), "n_balita": typed, "s_balita": "BPS"})
    text = response.content.decode()
    assert response.status_code == 200
    (error,) = _errors_of(text, "balita")
    assert f"“{typed}”" in error
    assert _saved() == {"usia_lanjut": 50}  # "1.5" is not saved as 15
    # The form comes back as sent; a service it did not send shows what is saved.
    assert f'name="n_balita" inputmode="numeric" value="{typed}"' in text
    assert 'name="n_usia_lanjut" inputmode="numeric" value="50"' in text


def test_a_number_thousands_of_digits_long_is_refused_without_failing(dinkes):
    typed = "9" * 5000
    response = dinkes.post(URL, {"tahun": _year(), "n_balita": typed, "s_balita": "BPS"})
    assert response.status_code == 200
    (error,) = _errors_of(response.content.decode(), "balita")
    assert "9" * 30 + "…" in error  # the value named, cut short
    assert "9" * 31 not in error
    assert _saved() == {"usia_lanjut": 50}


def test_a_source_longer_than_the_database_keeps_is_refused_naming_it(dinkes):
    source = "x" * (ESTIMATE_SOURCE_MAX_CHARS + 1)
    response = dinkes.post(URL, {"tahun": _year(), "n_balita": "40", "s_balita": source})
    assert response.status_code == 200
    (error,) = _errors_of(response.content.decode(), "balita")
    assert f"{ESTIMATE_SOURCE_MAX_CHARS}" in error
    assert f"{ESTIMATE_SOURCE_MAX_CHARS + 1}" in error
    assert _saved() == {"usia_lanjut": 50}


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("asked", ["abc", "2001", "99999", "²⁰²⁶", "1" * 500])
def test_an_unknown_year_is_a_bad_request_naming_it(dinkes, method, asked):
    response = getattr(dinkes, method)(URL, {"tahun": asked, "n_balita": "40", "s_balita": "BPS"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "tahun" in text
    assert asked[:30] in text
    assert _saved() == {"usia_lanjut": 50}  # nothing saved for another year


def test_a_year_outside_the_offered_ones_names_them(dinkes):
    response = dinkes.get(URL, {"tahun": _year() - 2})
    text = response.content.decode()
    assert response.status_code == 400
    assert f"{_year() - 2}" in text
    assert f"{_year() - 1}" in text
    assert f"{_year() + 1}" in text


def test_a_form_without_its_year_is_not_saved_to_this_year(dinkes):
    response = dinkes.post(URL, {"n_balita": "40", "s_balita": "BPS"})
    assert response.status_code == 400
    assert _saved() == {"usia_lanjut": 50}


def test_the_page_without_a_year_shows_this_year(dinkes):
    response = dinkes.get(URL)
    assert response.status_code == 200
    assert 'id="n_usia_lanjut" name="n_usia_lanjut" inputmode="numeric" value="50"' in (
        response.content.decode()
    )


def test_an_estimate_is_removed_only_when_its_field_is_sent_empty(dinkes):
    kept = dinkes.post(URL, {"tahun": _year(), "n_balita": "40", "s_balita": "BPS"})
    assert kept.status_code == 302
    assert _saved() == {"balita": 40, "usia_lanjut": 50}  # usia lanjut not on the form: kept
    emptied = dinkes.post(URL, {"tahun": _year(), "n_usia_lanjut": "", "s_usia_lanjut": "BPS"})
    assert emptied.status_code == 302
    assert _saved() == {"balita": 40}
