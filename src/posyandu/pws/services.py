"""Keep the PWS rollups: recompute a posyandu's months from the facts, or every posyandu's.

Rollups are derived data, so these are maintenance services, not user actions (a departure
from ADR 6 stated here): they take no user and write no audit event (the facts they count were
audited by the services that wrote them), and they need no client uuid because they are
idempotent by construction: the key is (posyandu, month, indicator) and the same facts always
give the same rows. `rollup_refresh` and `rollup_rebuild` therefore agree row for row.

Each month is computed under the indicator rules in force on its last day; a month before
the first version of those rules has no rollup.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from posyandu.core.errors import RulesError
from posyandu.core.indicators import Month, indicator_rules, indicators_for_month, rules_version
from posyandu.pws import workers as workers_entry
from posyandu.pws.mappers import PosyanduFacts, posyandu_facts
from posyandu.pws.models import MonthlyRollup
from posyandu.regions.models import Facility

logger = logging.getLogger(__name__)

# Months kept live by the signals: a fact refreshes its month up to the current one, but never
# further back than this; older months change only by `pws_rebuild`.
LIVE_MONTHS = 24
_UPDATED = ["numerator", "denominator", "values", "computed_at", "rules_version"]


def rollup_refresh(*, posyandu: Facility, month: dt.date) -> int:
    """Recompute one posyandu-month from the facts; return the number of rows kept."""
    return rollup_refresh_months(posyandu=posyandu, months=[month])


def rollup_refresh_months(*, posyandu: Facility, months: Iterable[dt.date]) -> int:
    """Recompute several months of one posyandu, reading its facts once; return rows kept."""
    firsts = sorted({Month.of(m).first for m in months})
    if not firsts:
        return 0
    facts = posyandu_facts(posyandu)
    computed_at = timezone.now()
    by_month = {m: _rows(posyandu, m, facts, computed_at) for m in firsts}
    with transaction.atomic():
        for month, rows in by_month.items():
            # An indicator that went back to zero has no row any more.
            MonthlyRollup.objects.filter(posyandu=posyandu, month=month).exclude(
                indicator__in=[row.indicator for row in rows]
            ).delete()
        kept = [row for rows in by_month.values() for row in rows]
        MonthlyRollup.objects.bulk_create(
            kept,
            update_conflicts=True,
            unique_fields=["posyandu", "month", "indicator"],
            update_fields=_UPDATED,
        )
    return len(kept)


def rollup_rebuild(*, months: Sequence[dt.date], workers: int = 1) -> int:
    """Recompute `months` of every posyandu from the facts; return the number of rows kept.

    With `workers` > 1 on PostgreSQL (outside a transaction) the posyandu are shared among
    that many processes, each refreshing whole posyandu with `rollup_refresh_months`: the same
    rows as one process, in a fraction of the time on a multi-core server. Elsewhere (SQLite,
    inside a transaction, whose rows other processes could not see) it runs in this process.
    """
    ids = list(
        Facility.objects.filter(kind=Facility.Kind.POSYANDU)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    months = list(months)
    parallel = (
        workers > 1
        and len(ids) > 1
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
    )
    if parallel:
        # Fresh interpreters ("spawn"), not forks: a forked child would share the parent's
        # open database sockets (those of other threads too) and lose sync with the server.
        chunks = [(ids[i::workers], months) for i in range(min(workers, len(ids)))]
        with ProcessPoolExecutor(
            len(chunks),
            mp_context=multiprocessing.get_context("spawn"),
            initializer=workers_entry.start,
            initargs=(settings.DATABASES,),
        ) as pool:
            total = sum(pool.map(workers_entry.rebuild, chunks))
    else:
        total = rebuild_posyandu(ids, months)
    logger.info("pws: rebuilt %d months, %d rollup rows", len(set(months)), total)
    return total


def rebuild_posyandu(ids: list[int], months: list[dt.date]) -> int:
    """Refresh the given posyandu (ids) for `months`; return the rows kept."""
    total = 0
    places = Facility.objects.select_related("region").in_bulk(ids)
    for pk in ids:
        total += rollup_refresh_months(posyandu=places[pk], months=months)
    return total


def recent_months(today: dt.date, count: int = LIVE_MONTHS) -> list[dt.date]:
    """Return the first days of the `count` months ending with the month of `today`."""
    current = Month.of(today)
    return [current.shift(-back).first for back in range(count - 1, -1, -1)]


def months_since(since: dt.date, today: dt.date) -> list[dt.date]:
    """Return the live months a fact dated `since` can change: its month up to today's.

    A fact never changes an earlier month (every indicator is read on a month's last day);
    months older than LIVE_MONTHS before today are left to `pws_rebuild`.
    """
    first = max(Month.of(since), Month.of(today).shift(-(LIVE_MONTHS - 1)), key=lambda m: m.first)
    last = max(Month.of(today), Month.of(since), key=lambda m: m.first)
    months = []
    while first.first <= last.first:
        months.append(first.first)
        first = first.shift(1)
    return months


def _rows(
    posyandu: Facility, month: dt.date, facts: PosyanduFacts, computed_at: dt.datetime
) -> list[MonthlyRollup]:
    try:
        rules = indicator_rules(Month.of(month).last)
    except RulesError:
        logger.warning("pws: no indicator rules in force in %s; month skipped", month)
        return []
    tallies = indicators_for_month(facts.persons, month, rules, service_days=facts.service_days)
    version = rules_version(month, rules)
    return [
        MonthlyRollup(
            posyandu=posyandu,
            month=month,
            indicator=code,
            numerator=tally.numerator,
            denominator=tally.denominator,
            values=list(tally.values),
            computed_at=computed_at,
            rules_version=version,
        )
        for code, tally in tallies.items()
        if tally.numerator or tally.denominator
    ]
