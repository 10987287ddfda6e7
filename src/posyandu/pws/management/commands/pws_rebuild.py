"""`posyandu manage pws_rebuild`: recompute the PWS rollups of every posyandu from the facts,
then their sums per region (`--regions-only`: only the sums, from the posyandu rollups)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from posyandu.pws.services import (
    LIVE_MONTHS,
    recent_months,
    region_rollup_rebuild,
    rollup_rebuild,
)


class Command(BaseCommand):
    help = "Recompute the monthly PWS rollups of every posyandu (the same numbers every time)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--months",
            type=int,
            default=LIVE_MONTHS,
            help=f"how many months up to the last one (default {LIVE_MONTHS})",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="processes sharing the posyandu on PostgreSQL (default 1; e.g. the CPU count)",
        )
        parser.add_argument(
            "--until", default=None, help="last month as YYYY-MM (default: the current month)"
        )
        parser.add_argument(
            "--regions-only",
            action="store_true",
            help="only re-sum the region rollups from the posyandu rollups (after a bulk "
            "update of facilities or a renumbered region)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["months"] < 1:
            raise CommandError("--months must be at least 1")
        if options["workers"] < 1:
            raise CommandError(f"--workers must be at least 1, not {options['workers']}")
        until = timezone.localdate()
        if options["until"]:
            try:
                until = dt.date.fromisoformat(f"{options['until']}-01")
            except ValueError as exc:
                raise CommandError(f"--until must be YYYY-MM, not {options['until']!r}") from exc
        months = recent_months(until, options["months"])
        span = f"{len(months)} months ({months[0]:%Y-%m} to {months[-1]:%Y-%m})"
        if options["regions_only"]:
            rows = region_rollup_rebuild(months=months)
            self.stdout.write(f"PWS: {span}, {rows} region rows")
            return
        rows = rollup_rebuild(months=months, workers=options["workers"])
        self.stdout.write(f"PWS: {span}, {rows} rows")
