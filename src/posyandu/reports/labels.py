"""Words of the monthly reports (English msgids, Indonesian in the catalogue)."""

from __future__ import annotations

import datetime as dt

from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from posyandu.pws import labels as pws_labels

SKDN_SHORT = {
    "s": "S",
    "k": "K",
    "d": "D",
    "n": "N",
    "t": "T",
    "o": "O",
    "b": "B",
    "2t": "2T",
    "bgm": "BGM",
    "d_s": "D/S",
    "n_d": "N/D",
    "k_s": "K/S",
    "d_k": "D/K",
    "n_s": "N/S",
}


def month_short(month_number: int) -> str:
    """Return the short name of a month (Jan, Feb, ...)."""
    return dateformat.format(dt.date(2000, month_number, 1), "M")


def band_label(low: int, high: int) -> str:
    return _("%(low)s–%(high)s months") % {"low": low, "high": high}


def sex_short(sex: str) -> str:
    """Return L or P as on the paper forms (laki-laki / perempuan)."""
    return pgettext("sex, one letter", "M") if sex == "M" else pgettext("sex, one letter", "F")


def indicator(code: str) -> str:
    return str(pws_labels.indicator_label(code))


def group(code: str) -> str:
    return str(pws_labels.GROUPS[code])


def short(code: str) -> str:
    """Return the column head of a code: its SKDN letter or its full name."""
    return SKDN_SHORT.get(code) or indicator(code)


def vaccine_short(code: str) -> str:
    """Return a dose code as printed in the register: dpt_hb_hib3 → DPT-HB-Hib3."""
    text = code.upper().replace("_", "-")
    return text.replace("HIB", "Hib")


def unit(kind: str) -> str:
    return "%" if kind == "ratio" else (_("days") if kind == "median" else "")
