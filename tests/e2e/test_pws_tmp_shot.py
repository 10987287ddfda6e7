import pytest
from posyandu.pws.services import recent_months, rollup_rebuild
from tests.unit.pws.facts import child, weigh, months_ago, this_month

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

def test_shot(live_server, page):
    from tests.personas import build_jejaring
    j = build_jejaring()
    for i, (p, w0, w1) in enumerate([(j.melati, "9.0", "9.4"), (j.melati, "9.0", "9.0"), (j.mawar, "9.1", "9.5")]):
        a = child(p, f"Anak {i}"); weigh(a, months_ago(2), "8.7"); weigh(a, months_ago(1), w0); weigh(a, this_month(), w1, lenhei_cm=72, measure="l")
    child(j.mawar, "Caca")
    rollup_rebuild(months=recent_months(this_month(), 12))
    page.goto(live_server.url + "/masuk/")
    page.fill("input[name=username]", "bidan_rina"); page.fill("input[name=password]", "posyandu-test")
    page.click("button[type=submit]")
    page.goto(live_server.url + "/pws/")
    h = page.evaluate("document.body.scrollHeight")
    for n, y in enumerate(range(0, min(h, 4000), 1100)):
        page.screenshot(path=f"/tmp/pws_dash_{n}.png", full_page=True, clip={"x":0,"y":y,"width":390,"height":1100})
    page.goto(live_server.url + f"/pws/indikator/prev_stunting/?posyandu={j.melati.uuid}")
    h = page.evaluate("document.body.scrollHeight")
    for n, y in enumerate(range(0, min(h, 3000), 1100)):
        page.screenshot(path=f"/tmp/pws_ind_{n}.png", full_page=True, clip={"x":0,"y":y,"width":390,"height":1100})
