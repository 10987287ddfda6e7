"""Keep the PWS rollups: recompute a posyandu's months from the facts, or every posyandu's.

Rollups are derived data, so these are maintenance services, not user actions (a departure
from ADR 6 stated here): they take no user and write no audit event (the facts they count were
audited by the services that wrote them), and they need no client uuid because they are
idempotent by construction: the key is (posyandu, month, indicator) and the same facts always
give the same rows. `rollup_refresh` and `rollup_rebuild` therefore agree row for row.

Each month is computed under the indicator rules in force on its last day; a month before
the first version of those rules has no rollup.

The region rollups (desa, kecamatan, kabupaten, province) are re-summed in the transaction that
writes a posyandu's rows: its desa from the desa's posyandu rows, each level above from the
level below (`levels.sum_levels`), so a region's page reads its own rows. On PostgreSQL a
transaction that writes region rows first takes the advisory lock of its province (the top of
the region chain, the first two digits of the code), so two refreshes in one province sum one
after the other and neither misses the other's rows, while the other provinces save freely.
The posyandu rows of the `--workers` rebuild take no lock: each process writes only its own
posyandu's rows, and the region rows are re-summed once at the end, under the locks.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Q
from django.db.models.functions import Substr
from django.utils import timezone

from posyandu.common.db import analyze
from posyandu.core.errors import RulesError
from posyandu.core.indicators import (
    Month,
    Tally,
    indicator_rules,
    indicators_for_month,
    rules_version,
)
from posyandu.pws import levels
from posyandu.pws import workers as workers_entry
from posyandu.pws.mappers import PosyanduFacts, posyandu_facts
from posyandu.pws.models import MonthlyRollup, RegionRollup, median_values
from posyandu.regions.models import Facility

logger = logging.getLogger(__name__)

# Months kept live by the signals: a fact refreshes its month up to the current one, but never
# further back than this; older months change only by `pws_rebuild`.
LIVE_MONTHS = 24
_UPDATED = ["numerator", "denominator", "values", "computed_at", "rules_version"]
# The first key of the pg_advisory_xact_lock(int, int) of a province's region rows ("PWS" in
# ASCII); the second is the province's code as a number.
_ROLLUP_LOCK = 0x505753
_LEVELS = [level for level, _length in levels.REGION_LEVELS]
_PROVINCE_LENGTH = dict(levels.REGION_LEVELS)["province"]


def rollup_refresh(*, posyandu: Facility, month: dt.date) -> int:
    """Recompute one posyandu-month from the facts; return the number of rows kept."""
    return rollup_refresh_months(posyandu=posyandu, months=[month])


def rollup_refresh_months(*, posyandu: Facility, months: Iterable[dt.date]) -> int:
    """Recompute several months of one posyandu, reading its facts once, and the sums of its
    regions for those months; return the posyandu rows kept."""
    return _refresh(posyandu, months, regions=True)


def _refresh(posyandu: Facility, months: Iterable[dt.date], *, regions: bool) -> int:
    firsts = sorted({Month.of(m).first for m in months})
    if not firsts:
        return 0
    facts = posyandu_facts(posyandu, with_rows=False)
    computed_at = timezone.now()
    rows = [row for m in firsts for row in _rows(posyandu, m, facts, computed_at)]
    code = posyandu.region.code
    with transaction.atomic():
        if regions:
            _lock_province(code)
        # Its own stored rows, and with the regions those of the other posyandu of its desa.
        place = Q(posyandu__region__code=code) if regions else Q(posyandu=posyandu)
        stored = (
            MonthlyRollup.objects.filter(place, month__in=firsts)
            .order_by()
            .values_list("posyandu_id", "pk", *_tally_columns(), "rules_version")
        )
        mine, others = [], []
        for row in stored:
            (mine if row[0] == posyandu.pk else others).append(row[1:])
        _store_rows(mine, rows)
        if regions:
            desa = [(code, *row[1:-1]) for row in others]
            desa += [
                (code, r.month, r.indicator, r.numerator, r.denominator, r.values) for r in rows
            ]
            _resum_chain(code, firsts, _as_rows(desa), computed_at)
    return len(rows)


def _store_rows(stored: list[tuple[object, ...]], rows: list[MonthlyRollup]) -> None:
    """Make a posyandu's `stored` rows (pk, month, indicator, numerator, denominator, values,
    rules version) equal to `rows`, writing only what changed (one weighing changes a few
    indicators of its month). An indicator back at zero has no row."""
    old = {
        (m, code): (pk, (num, den, values or [], version))
        for pk, m, code, num, den, values, version in stored
    }
    new = {(r.month, r.indicator): r for r in rows}
    _delete(MonthlyRollup, [pk for key, (pk, _) in old.items() if key not in new])
    changed = [
        row
        for key, row in new.items()
        if key not in old
        or old[key][1] != (row.numerator, row.denominator, row.values, row.rules_version)
    ]
    MonthlyRollup.objects.bulk_create(
        changed,
        update_conflicts=True,
        unique_fields=["posyandu", "month", "indicator"],
        update_fields=_UPDATED,
    )


def region_rollup_rebuild(*, months: Sequence[dt.date]) -> int:
    """Re-sum every region's rollups of `months` from the posyandu rollups; return rows kept.

    One transaction per month and province (a kabupaten month is ~100,000 posyandu rows),
    under that province's lock, so a save elsewhere does not wait for it. `pws_rebuild` runs
    it after the posyandu rows; alone (`pws_rebuild --regions-only`) it catches the regions up
    after a change no signal reports (a posyandu moved by `QuerySet.update()`).
    """
    total = 0
    # Where a posyandu row can be placed: the province of any facility's region.
    placed = set(
        Facility.objects.annotate(province=Substr("region__code", 1, _PROVINCE_LENGTH))
        .order_by()
        .values_list("province", flat=True)
        .distinct()
    )
    for month in sorted({Month.of(m).first for m in months}):
        # Those with stored rows of the month too: a province left without rows is emptied.
        stored_in = RegionRollup.objects.filter(level="province", month=month).order_by()
        for province in sorted(placed | set(stored_in.values_list("region_code", flat=True))):
            total += _resum_province(month, province)
    analyze([RegionRollup])  # a bulk write: fresh planner statistics
    return total


def regions_after_move(*, posyandu: Facility, left: str) -> None:
    """Re-sum the regions of the desa `left` and of the posyandu's region now, for every month
    it has rows: its rows moved with it (they are keyed by posyandu), the sums did not."""
    months = sorted(
        set(MonthlyRollup.objects.filter(posyandu=posyandu).values_list("month", flat=True))
    )
    joined = Facility.objects.filter(pk=posyandu.pk).values_list("region__code", flat=True).get()
    if not months or joined == left:
        return
    computed_at = timezone.now()
    with transaction.atomic():
        for province in sorted({left[:_PROVINCE_LENGTH], joined[:_PROVINCE_LENGTH]}):
            _lock_province(province)  # in code order, as a rebuild takes them
        for code in (left, joined):  # the second re-sum reads what the first wrote
            rows = (
                MonthlyRollup.objects.filter(posyandu__region__code=code, month__in=months)
                .order_by()
                .values_list("posyandu__region__code", *_tally_columns())
            )
            _resum_chain(code, months, _as_rows(rows), computed_at)


def _resum_province(month: dt.date, province: str) -> int:
    """Re-sum every region of `province` for `month`, in one transaction under its lock."""
    with transaction.atomic():
        _lock_province(province)
        rows = (
            MonthlyRollup.objects.filter(month=month, posyandu__region__code__startswith=province)
            .order_by()
            .values_list("posyandu__region__code", *_tally_columns())
        )
        sums = levels.sum_levels(_as_rows(rows))
        # Every level named, so the (level, month, code prefix) index serves it.
        stored = RegionRollup.objects.filter(
            level__in=_LEVELS, month=month, region_code__startswith=province
        ).values_list("pk", "level", "region_code", *_tally_columns())
        return _store_sums(stored.order_by(), sums, timezone.now())


def _resum_chain(
    code: str, months: list[dt.date], desa_rows: Iterable[levels.Row], computed_at: dt.datetime
) -> None:
    """Re-sum the regions a posyandu of region `code` counts in (four levels), for `months`.

    Its desa from `desa_rows` (every posyandu row of the desa, the refreshed ones new), each
    level above from the new row below it and the stored rows of the other regions of that
    level: one read, whatever the region sizes; only the rows that changed are written.
    """
    chain = levels.chain(code)
    own, others = Q(), Q()
    for level, key in chain:
        own |= Q(level=level, region_code=key)
    for (level, key), (_, parent), (_, length) in zip(
        chain, chain[1:], levels.REGION_LEVELS[1:], strict=False
    ):
        # Rows of `level` within `parent`, but not the one being re-summed.
        within = Q(region_code=parent)  # a code shorter than its level's has no region below
        if len(parent) == length:
            within = Q(region_code__startswith=parent)
        others |= Q(level=level) & within & ~Q(region_code=key)
    stored = RegionRollup.objects.filter(own | others, month__in=months).order_by()
    mine, siblings = [], defaultdict(list)
    for pk, level, region_code, *tally in stored.values_list(
        "pk", "level", "region_code", *_tally_columns()
    ):
        if (level, region_code) in chain:
            mine.append((pk, level, region_code, *tally))
        else:
            siblings[level].extend(_as_rows([(region_code, *tally)]))
    _store_sums(mine, levels.sum_levels(desa_rows, siblings), computed_at)


def _tally_columns() -> tuple[str | Case, ...]:
    """Return the columns of a stored tally: month, indicator, numerator, denominator, values
    (of the median indicators only)."""
    return ("month", "indicator", "numerator", "denominator", median_values())


def _as_rows(rows: Iterable[tuple[object, ...]]) -> Iterator[levels.Row]:
    """Return (code, month, indicator, tally) of rows read with `_tally_columns` after a code."""
    for code, month, indicator, numerator, denominator, values in rows:
        yield code, month, indicator, Tally(numerator, denominator, tuple(values or ()))


def _store_sums(
    stored: Iterable[tuple[object, ...]], sums: dict[levels.Key, Tally], computed_at: dt.datetime
) -> int:
    """Make the `stored` region rows (pk, level, code, month, indicator, numerator,
    denominator, values) equal to the non-zero `sums`, writing only what changed; return the
    rows kept."""
    new = {key: tally for key, tally in sums.items() if tally.numerator or tally.denominator}
    old = {
        (level, code, month, indicator): (pk, Tally(num, den, tuple(values or ())))
        for pk, level, code, month, indicator, num, den, values in stored
    }
    _delete(RegionRollup, [pk for key, (pk, _) in old.items() if key not in new])
    changed = [
        RegionRollup(
            level=level,
            region_code=code,
            month=month,
            indicator=indicator,
            numerator=tally.numerator,
            denominator=tally.denominator,
            values=list(tally.values),
            computed_at=computed_at,
        )
        for (level, code, month, indicator), tally in new.items()
        if old.get((level, code, month, indicator), (0, None))[1] != tally
    ]
    RegionRollup.objects.bulk_create(
        changed,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["level", "region_code", "month", "indicator"],
        update_fields=["numerator", "denominator", "values", "computed_at"],
    )
    return len(new)


def _delete(model: type[MonthlyRollup] | type[RegionRollup], pks: list[int]) -> None:
    if pks:
        model.objects.filter(pk__in=pks).delete()


def _lock_province(code: str) -> None:
    """Wait for any other transaction writing the region rows of the province of region `code`
    to end (PostgreSQL; SQLite has one writer at a time anyway). Held until this transaction
    ends, so each writer reads the rows it re-sums after the others committed theirs. A
    transaction of its own takes one province; a rebuild run inside a larger transaction takes
    its provinces in code order, so two writers do not deadlock."""
    if connection.vendor == "postgresql":
        # A region code starts with its province's two digits (a database constraint).
        province = int(code[:_PROVINCE_LENGTH])
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_ROLLUP_LOCK, province])


def rollup_rebuild(*, months: Sequence[dt.date], workers: int = 1) -> int:
    """Recompute `months` of every posyandu from the facts; return the number of rows kept.

    With `workers` > 1 on PostgreSQL (outside a transaction) the posyandu are shared among
    that many processes, each refreshing whole posyandu as `rollup_refresh_months` does: the
    same rows as one process, in a fraction of the time on a multi-core server. Elsewhere
    (SQLite, inside a transaction, whose rows other processes could not see) it runs in this
    process. The region rollups are re-summed once at the end.
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
    regions = region_rollup_rebuild(months=months)
    analyze([MonthlyRollup])
    logger.info(
        "pws: rebuilt %d months, %d rollup rows, %d region rows", len(set(months)), total, regions
    )
    return total


def rebuild_posyandu(ids: list[int], months: list[dt.date]) -> int:
    """Refresh the given posyandu (ids) for `months`; return the rows kept.

    The regions are left to `region_rollup_rebuild`, once at the end; each refresh here writes
    only its posyandu's rows, so it takes no province lock and holds back no save.
    """
    total = 0
    places = Facility.objects.select_related("region").in_bulk(ids)
    for pk in ids:
        total += _refresh(places[pk], months, regions=False)
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
