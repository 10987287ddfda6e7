"""Pages of the PWS (a package: dashboard, indicator drill-down, CSV downloads)."""

from posyandu.pws.views.dashboard import dashboard, league_csv, summary_csv, trend_csv
from posyandu.pws.views.estimates import estimates
from posyandu.pws.views.indicator import indicator, indicator_csv, persons_csv

__all__ = [
    "dashboard",
    "estimates",
    "indicator",
    "indicator_csv",
    "league_csv",
    "persons_csv",
    "summary_csv",
    "trend_csv",
]
