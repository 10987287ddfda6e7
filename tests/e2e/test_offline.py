"""The offline kader app (issue "Offline-first for the kader", ADR 8): on a phone-sized chromium
with network emulation, against a server process the test can kill (tests/e2e/offline_server.py,
its own SQLite file, checked here with sqlite3).

1. Offline: register a resident, check her in, weigh her; reload offline (still there, "saved on
   this phone"); online: "sent", and the rows are in the database once.
2. The server is killed while it holds the phone's batch (applied, answer not sent): nothing is
   marked sent; after the restart the phone sends again: every record exactly once.
3. Two kader of one posyandu work offline at the same time, check the same child in, then sync:
   both phones show both registrations; the child has one visit with the measurement on it.
4. Offline, the kader opens her home-visit worklist (the server's, "per" its date), opens a
   child from it, checks her in (the row is marked "will be checked"); online, the server's
   new list no longer calls her absent.
5. The outbox forgets what the server has long had: after a sync round, a sent event the
   server's copy reflects goes the next day, a refusal after 30 days; the rest stays.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import PHONE, screenshot
from tests.personas import PASSWORD

pytestmark = [pytest.mark.e2e]

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
JAKARTA = ZoneInfo("Asia/Jakarta")  # the server's TIME_ZONE: its today is the phone's
SYNCED = 20_000  # ms to wait for a sync round


class Server:
    """The killable server: one process on a free port over one SQLite file."""

    def __init__(self, db: Path, flag: Path) -> None:
        self.db, self.flag = db, flag
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, "OFFLINE_SLOW_FLAG": str(self.flag), "POSYANDU_DEBUG": "1"}
        env.pop("DATABASE_URL", None)
        self.process = subprocess.Popen(
            [PYTHON, "-m", "tests.e2e.offline_server", "serve", str(self.db), str(self.port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=1)  # noqa: S310
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the offline test server did not start")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
        self.process = None

    def count(self, sql: str, *args: object) -> int:
        with sqlite3.connect(self.db) as db:
            return int(db.execute(sql, args).fetchone()[0])


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("offline") / "seed.sqlite3"
    env = {**os.environ, "POSYANDU_DEBUG": "1"}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [PYTHON, "-m", "tests.e2e.offline_server", "seed", str(db)], cwd=ROOT, env=env, check=True
    )
    return db


@pytest.fixture
def server(seeded: Path, tmp_path: Path) -> Iterator[Server]:
    db = tmp_path / "db.sqlite3"
    db.write_bytes(seeded.read_bytes())
    server = Server(db, tmp_path / "slow")
    server.start()
    yield server
    server.kill()


def _phone(browser: Browser, server: Server, username: str) -> Page:
    """A phone logged in as `username` with the offline app loaded (data and shell cached)."""
    context = browser.new_context(
        viewport=PHONE, locale="id-ID", device_scale_factor=2, timezone_id="Asia/Jakarta"
    )
    page = context.new_page()
    page.goto(f"{server.url}/masuk/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(lambda url: "/masuk/" not in url)
    page.goto(f"{server.url}/luring/")
    expect(page.locator("#persons")).to_contain_text("Siti Aminah", timeout=SYNCED)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    return page


def _offline(page: Page, offline: bool) -> None:
    page.context.set_offline(offline)
    expect(page.locator("#net")).to_have_class("net off" if offline else "net on")


def _register(page: Page, name: str, days_old: int, sex: str = "F") -> None:
    page.goto(page.url.split("#")[0] + "#/baru")
    page.locator("#f_name").fill(name)
    page.locator(f"input[name=sex][value={sex}]").check()
    born = dt.datetime.now(JAKARTA).date() - dt.timedelta(days=days_old)
    page.locator("#f_birth_date").fill(born.isoformat())
    page.locator("form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def _open(page: Page, name: str) -> None:
    page.goto(page.url.split("#")[0] + "#/")
    page.locator("#q").fill(name)
    page.locator("#persons a", has_text=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def _check_in_and_measure(page: Page, weight: str, length: str) -> None:
    page.locator("#checkin").click()
    expect(page.locator("p.checked")).to_be_visible()
    page.locator("#f_weight_kg").fill(weight)
    page.locator("#f_lenhei_cm").fill(length)
    page.locator("input[name=measure][value=l]").check()
    page.locator("#measure button[type=submit]").click()
    expect(page.locator("#history li.new")).to_have_count(1)


PERSON = "SELECT COUNT(*) FROM registry_person WHERE name = ?"
VISITS = (
    "SELECT COUNT(*) FROM visits_visit v JOIN registry_person p ON p.id = v.person_id"
    " WHERE p.name = ?"
)
MEASURED = (
    "SELECT COUNT(*) FROM visits_measurement m JOIN registry_person p ON p.id = m.person_id"
    " WHERE p.name = ? AND m.weight_kg = ?"
)


def test_offline_registration_visit_and_reload_then_sync(browser: Browser, server: Server):
    page = _phone(browser, server, "kader_sari")
    _offline(page, True)
    _register(page, "Putri Lestari", 200)
    expect(page.locator("main .mark.saved").first).to_be_visible()
    _check_in_and_measure(page, "7,4", "65")
    expect(page.locator("#history li.new .mark.saved")).to_be_visible()
    expect(page.locator("#history li.new .mark.check")).to_be_visible()
    assert server.count(PERSON, "Putri Lestari") == 0

    page.reload()  # offline: the service worker serves the shell, IndexedDB the data
    expect(page.get_by_role("heading", level=1)).to_have_text("Putri Lestari")
    expect(page.locator("#history li.new .mark.saved")).to_be_visible()
    expect(page.locator("p.checked .mark.saved")).to_be_visible()
    screenshot(page, "offline-person")
    page.goto(page.url.split("#")[0] + "#/baru")
    screenshot(page, "offline-register")
    page.goto(page.url.split("#")[0] + "#/")
    expect(
        page.locator("#persons li", has_text="Putri Lestari").locator(".mark.saved")
    ).to_be_visible()
    screenshot(page, "offline-list")

    _offline(page, False)  # the `online` event sends the outbox and downloads the changes
    _open(page, "Putri Lestari")
    expect(page.locator("#history li.new .mark.sent")).to_be_visible(timeout=SYNCED)
    expect(page.locator("p.checked .mark.sent")).to_be_visible()
    expect(page.locator("#queue")).to_contain_text(": 0")
    # The round ends with the download that brings the server's assessment of the weighing.
    expect(page.locator("#send")).to_have_text("Kirim sekarang", timeout=SYNCED)
    expect(page.locator(".assess .mark.check")).to_have_count(0)
    screenshot(page, "offline-sent")
    assert server.count(PERSON, "Putri Lestari") == 1
    assert server.count(VISITS, "Putri Lestari") == 1
    assert server.count(MEASURED, "Putri Lestari", 7.4) == 1


def test_server_killed_mid_sync_loses_and_duplicates_nothing(browser: Browser, server: Server):
    page = _phone(browser, server, "kader_sari")
    _offline(page, True)
    _register(page, "Rahma Wati", 300)
    _check_in_and_measure(page, "8,2", "68,5")
    _register(page, "Joko Susilo", 500, sex="M")
    _open(page, "Siti Aminah")
    _check_in_and_measure(page, "9,1", "75")

    server.flag.touch()  # the next batch is applied but its answer never leaves
    _offline(page, False)
    applied = Path(f"{server.flag}.applied")
    deadline = time.monotonic() + 20
    while not applied.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert applied.exists(), "the phone did not send its outbox"
    server.kill()
    expect(page.locator("#queue")).not_to_contain_text(": 0")
    assert page.locator("main .mark.sent").count() == 0  # no answer, nothing marked sent
    page.reload()
    expect(page.locator("#history li.new .mark.saved")).to_be_visible()

    server.flag.unlink()
    server.start()
    page.locator("#send").click()
    expect(page.locator("#history li.new .mark.sent")).to_be_visible(timeout=SYNCED)
    expect(page.locator("#queue")).to_contain_text(": 0")
    for name in ("Rahma Wati", "Joko Susilo"):
        assert server.count(PERSON, name) == 1, name
    assert server.count(VISITS, "Rahma Wati") == 1
    assert server.count(MEASURED, "Rahma Wati", 8.2) == 1
    assert server.count(VISITS, "Siti Aminah") == 1
    assert server.count(MEASURED, "Siti Aminah", 9.1) == 1


def test_two_kader_offline_at_one_posyandu_converge(browser: Browser, server: Server):
    sari = _phone(browser, server, "kader_sari")
    dewi = _phone(browser, server, "kader_dewi")
    for page in (sari, dewi):
        _offline(page, True)
    _register(sari, "Anak Sari", 100)
    _open(sari, "Siti Aminah")
    sari.locator("#checkin").click()
    _register(dewi, "Anak Dewi", 120, sex="M")
    _open(dewi, "Siti Aminah")
    _check_in_and_measure(dewi, "9,3", "76")

    _offline(sari, False)
    expect(sari.locator("p.checked .mark.sent")).to_be_visible(timeout=SYNCED)
    _offline(dewi, False)
    expect(dewi.locator("#history li.new .mark.sent")).to_be_visible(timeout=SYNCED)
    # Dewi's check-in now names the visit Sari's phone made (the server's alias), still "sent".
    expect(dewi.locator("p.checked .mark.sent")).to_be_visible()
    sari.locator("#send").click()  # a later round brings Dewi's work to Sari's phone
    for page in (sari, dewi):
        page.goto(page.url.split("#")[0] + "#/")
        for name in ("Anak Sari", "Anak Dewi"):
            expect(page.locator("#persons")).to_contain_text(name, timeout=SYNCED)
    assert server.count(VISITS, "Siti Aminah") == 1  # two check-ins, one visit
    assert server.count(MEASURED, "Siti Aminah", 9.3) == 1
    assert server.count(PERSON, "Anak Sari") == server.count(PERSON, "Anak Dewi") == 1


ABSENT = "Tidak datang pada hari buka posyandu terakhir"


def test_offline_worklist_lists_whom_to_visit_and_why(browser: Browser, server: Server):
    page = _phone(browser, server, "kader_sari")
    _offline(page, True)
    page.reload()  # offline: shell from the service worker, worklist from IndexedDB
    page.locator("#tab-worklist").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kunjungan rumah")
    today = dt.datetime.now(JAKARTA).date().strftime("%d/%m/%Y")
    expect(page.locator("#worklist-asof")).to_contain_text(f"per {today}")
    rows = page.locator(".worklist li")
    siti = rows.filter(has_text="Siti Aminah")
    expect(siti).to_contain_text(ABSENT)
    expect(siti).to_contain_text("belum dikunjungi")
    expect(rows.filter(has_text="Budi Santoso")).to_contain_text("Kunjungan rumah terakhir")
    expect(rows.filter(has_text="Nur Aini")).to_contain_text("RT 02 RW 01 Dusun II")
    for name in ("Bayi Kadek", "Made Harjo"):
        expect(rows.filter(has_text=name)).to_have_count(1)
    expect(page.locator("main")).not_to_contain_text("Anak Mawar Kurus")  # not her posyandu
    expect(page.locator("#tab-worklist")).to_contain_text(f"({rows.count()})")

    siti.locator("a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Siti Aminah")
    expect(page.locator("#visit-reasons")).to_contain_text(ABSENT)
    _check_in_and_measure(page, "9,0", "74")
    page.get_by_role("link", name="Kembali").click()  # back to the worklist it came from
    expect(siti.locator(".mark.check")).to_have_text("Akan diperiksa saat online")
    screenshot(page, "offline-worklist")

    _offline(page, False)  # sent, then the server's list of today comes down
    expect(page.locator("#queue")).to_contain_text(": 0", timeout=SYNCED)
    expect(siti).not_to_contain_text(ABSENT, timeout=SYNCED)
    expect(siti.locator(".mark.check")).to_have_count(0)
    expect(rows.filter(has_text="Budi Santoso")).to_contain_text(ABSENT)


OUTBOX = """(events) => new Promise((done, fail) => {
  const open = indexedDB.open("posyandu", 1);
  open.onerror = () => fail(open.error);
  open.onsuccess = () => {
    const t = open.result.transaction("outbox", "readwrite");
    const outbox = t.objectStore("outbox");
    for (const e of events) outbox.put(e);
    const all = outbox.getAll();
    t.oncomplete = () => done(all.result.map((e) => e.id).sort());
  };
})"""


def _event(name: str, days_ago: int, state: str, checked: bool) -> dict[str, object]:
    at = dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago)
    return {
        "id": name,
        "type": "visit.register",
        "record": name,
        "seq": 9000 + days_ago,
        "at": at.isoformat(),
        "data": {},
        "state": state,
        "checked": checked,
    }


def test_sync_prunes_the_outbox_of_what_the_server_has_long_had(browser: Browser, server: Server):
    page = _phone(browser, server, "kader_sari")
    _offline(page, True)
    _open(page, "Siti Aminah")
    _check_in_and_measure(page, "9,0", "74")
    _offline(page, False)
    expect(page.locator("#history li.new .mark.sent")).to_be_visible(timeout=SYNCED)
    expect(page.locator("#send")).to_have_text("Kirim sekarang", timeout=SYNCED)
    expect(page.locator(".assess .mark.check")).to_have_count(0)  # the download came
    today = page.evaluate(OUTBOX, [])  # the check-in and the weighing: sent, checked, today's
    assert len(today) == 2
    old = [
        _event("seen-yesterday", 1, "sent", checked=True),
        # sent, its copy not downloaded yet: this round's download reflects it, so it goes too
        _event("sent-unchecked", 3, "sent", checked=False),
        _event("refused-2-days", 2, "rejected", checked=False),
        _event("refused-40-days", 40, "rejected", checked=False),
        _event("conflict-31-days", 31, "conflict", checked=False),
    ]
    assert page.evaluate(OUTBOX, old) == sorted([*today, *(e["id"] for e in old)])

    page.locator("#send").click()
    deadline = time.monotonic() + SYNCED / 1000
    while "seen-yesterday" in (ids := page.evaluate(OUTBOX, [])) and time.monotonic() < deadline:
        time.sleep(0.2)
    kept = sorted([*today, "refused-2-days"])
    assert ids == kept
    expect(page.locator("#history li.new .mark.sent")).to_be_visible()  # today's marks stay
