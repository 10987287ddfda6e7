"""The demo kabupaten's regions (Kemendagri codes) and facilities: Puskesmas → Pustu → Posyandu.

One province, one kabupaten, its kecamatan (a Puskesmas each), their desa and kelurahan (a
Pustu each) and 2-4 posyandu per desa, each serving a dusun. The first kecamatan and desa are
Sukamaju with Posyandu Melati and Mawar, as in the test personas, so the demo logins match.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator

from posyandu.demo import names
from posyandu.demo.context import Jejaring, Site
from posyandu.demo.identity import new_uuid
from posyandu.demo.scale import Scale
from posyandu.demo.writer import BulkWriter
from posyandu.regions.models import Facility, Region

# (kecamatan, desa, posyandu) positions whose names the demo logins rely on.
PINNED_POSYANDU = {
    (0, 0, 0): "Melati",
    (0, 0, 1): "Mawar",
    (0, 1, 0): "Anggrek",
    (1, 0, 0): "Kenanga",
}
PINNED_DESA = {(0, 0): "Sukamaju", (0, 1): "Sukasari"}
# The kecamatan of the kabupaten seat: its villages are kelurahan (codes 1001...).
SEAT_KECAMATAN = 1
SEAT_KELURAHAN = 2


def _regions(scale: Scale, writer: BulkWriter) -> tuple[Region, Region, list[Region], list[Region]]:
    # The province may already hold other data (--force); the kabupaten never does.
    province = Region.objects.filter(code=names.PROVINCE[0]).first()
    if province is None:
        province = Region(code=names.PROVINCE[0], name=names.PROVINCE[1], level="province")
        writer.save([province])
    kab_code, kab_name = names.KABUPATEN
    kabupaten = Region(code=kab_code, name=kab_name, level=Region.Level.KABUPATEN, parent=province)
    writer.save([kabupaten])
    kecamatan = [
        Region(
            code=f"{kab_code}.{k + 1:02d}",
            name=_numbered(names.KECAMATAN, k),
            level="kecamatan",
            parent=kabupaten,
        )
        for k in range(scale.kecamatan)
    ]
    writer.save(kecamatan)
    pool = _endless([name for name in names.DESA if name not in PINNED_DESA.values()])
    desa = []
    for k, kec in enumerate(kecamatan):
        for d in range(scale.desa_per_kecamatan):
            kelurahan = k == SEAT_KECAMATAN and d < SEAT_KELURAHAN
            number = (
                1001 + d if kelurahan else 2001 + d - (SEAT_KELURAHAN if k == SEAT_KECAMATAN else 0)
            )
            name = PINNED_DESA.get((k, d)) or next(pool)
            desa.append(Region(code=f"{kec.code}.{number}", name=name, level="desa", parent=kec))
    writer.save(desa)
    return province, kabupaten, kecamatan, desa


def _numbered(pool: list[str] | tuple[str, ...], index: int) -> str:
    """Return the index-th name of `pool`, numbered past its end ('Cibeber 2')."""
    lap, at = divmod(index, len(pool))
    return pool[at] if lap == 0 else f"{pool[at]} {lap + 1}"


def _endless(pool: list[str]) -> Iterator[str]:
    """Yield the names of `pool`, then numbered again from 7 on (a kabupaten-scale build).

    Numbers start at 7 so that no name meets a Roman-numbered one ('Melati VI' → 'melati6').
    """
    yield from pool
    for lap in itertools.count(7):
        for name in pool:
            yield f"{name} {lap}"


def _posyandu_names() -> list[str]:
    pinned = set(PINNED_POSYANDU.values())
    return [
        f"{flower}{roman}"
        for roman in names.ROMAN
        for flower in names.POSYANDU
        if roman or flower not in pinned
    ]


def build_jejaring(scale: Scale, rng: random.Random, writer: BulkWriter) -> Jejaring:
    """Create the regions and facilities of the kabupaten; return them, a Site per posyandu."""
    province, kabupaten, kecamatan, desa = _regions(scale, writer)
    puskesmas = [
        Facility(uuid=new_uuid(rng), kind="puskesmas", name=kec.name, region=kec)
        for kec in kecamatan
    ]
    writer.save(puskesmas)
    by_kecamatan = {kec.pk: pkm for kec, pkm in zip(kecamatan, puskesmas, strict=True)}
    pustu = [
        Facility(
            uuid=new_uuid(rng),
            kind="pustu",
            name=d.name,
            region=d,
            parent=by_kecamatan[d.parent_id],
        )
        for d in desa
    ]
    writer.save(pustu)
    sites = _posyandu_sites(scale, rng, kecamatan, desa, pustu)
    writer.save([site.posyandu for site in sites])
    return Jejaring(province, kabupaten, kecamatan, desa, puskesmas, pustu, sites)


def _posyandu_sites(
    scale: Scale,
    rng: random.Random,
    kecamatan: list[Region],
    desa: list[Region],
    pustu: list[Facility],
) -> list[Site]:
    pool = _endless(_posyandu_names())
    kec_by_pk = {kec.pk: (k, kec) for k, kec in enumerate(kecamatan)}
    sites: list[Site] = []
    for d_index, (village, post) in enumerate(zip(desa, pustu, strict=True)):
        k, kec = kec_by_pk[village.parent_id]
        d = d_index - k * scale.desa_per_kecamatan
        count = rng.randint(*scale.posyandu_per_desa)
        if (k, d) == (0, 0):
            count = max(count, 2)
        dusun = rng.sample(names.DUSUN, min(count, len(names.DUSUN)))
        dusun += [f"{d} {n}" for n in range(2, 9) for d in names.DUSUN][: count - len(dusun)]
        for p in range(count):
            name = PINNED_POSYANDU.get((k, d, p)) or next(pool)
            facility = Facility(
                uuid=new_uuid(rng), kind="posyandu", name=name, region=village, parent=post,
                dusun=f"Dusun {dusun[p]} (RW {p + 1:02d})",
            )  # fmt: skip
            sites.append(Site(len(sites), facility, post, post.parent, village, kec))
    return sites
