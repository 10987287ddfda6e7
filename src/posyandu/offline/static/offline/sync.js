// Outbox push and snapshot pull (ADR 8). An event leaves `saved` only on the server's answer
// for it; a request that dies half-way marks nothing, and resending is safe (idempotent by id).
import { all, del, get, meta, put, setMeta, tx } from "./db.js";

const BATCH = 200;
const STATE = { accepted: "sent", duplicate: "sent", waiting: "waiting", rejected: "rejected",
                conflict: "conflict" };

function csrf(boot) {
  const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return m ? decodeURIComponent(m[1]) : boot.csrf;
}

export async function device() {
  let id = await meta("device");
  if (!id) { id = crypto.randomUUID(); await setMeta("device", id); }
  return id;
}

export async function pending() {
  return (await all("outbox")).filter((e) => e.state === "saved" || e.state === "waiting")
    .sort((a, b) => a.seq - b.seq);
}

// The worklist costs the server a read of every person: an incremental download asks for it
// only when this phone sent facts (they may change it) or its copy is older than this.
const WORKLIST_MAX_AGE_MS = 10 * 60 * 1000;

export async function push(boot) {
  let sent = 0;
  const events = await pending();
  const dev = await device();
  for (let i = 0; i < events.length; i += BATCH) {
    const batch = events.slice(i, i + BATCH);
    const res = await fetch("/api/sync/events", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(boot) },
      body: JSON.stringify({ device: dev, events: batch.map(({ id, type, record, seq, at, data }) =>
        ({ id, type, record, seq, at, data })) }),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = await res.json();
    const aliases = await meta("aliases", {});
    const byId = new Map(batch.map((e) => [e.id, e]));
    for (const r of body.results || []) {
      const ev = byId.get(r.id);
      if (!ev) continue;
      ev.state = STATE[r.status] || "saved";
      if (r.status === "accepted") sent += 1;
      ev.reason = r.reason || "";
      ev.code = r.code || "";
      if (r.record && r.record !== ev.record) {
        aliases[ev.record] = r.record;
        await del("snapshot", ev.record);
      }
      await put("outbox", ev);
    }
    await setMeta("aliases", aliases);
  }
  return sent;
}

export async function pull(boot, wantWorklist = true) {
  const cursor = await meta("cursor");
  const q = new URLSearchParams({ posyandu: boot.posyandu });
  if (cursor) q.set("since", cursor);
  if (!wantWorklist) q.set("worklist", "false");
  const res = await fetch(`/api/sync/snapshot?${q}`, { credentials: "same-origin" });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const snap = await res.json();
  const kinds = { households: "household", persons: "person", service_days: "service_day",
                  visits: "visit" };
  await tx(["snapshot", "outbox", "meta"], (s, o, m) => {
    if (snap.full) {
      s.openCursor().onsuccess = (ev) => {
        const c = ev.target.result;
        if (!c) return write();
        if (!c.value.local) c.delete();
        c.continue();
      };
    } else write();
    function write() {
      for (const [key, kind] of Object.entries(kinds)) {
        for (const row of snap[key] || []) s.put({ ...row, kind });
      }
      for (const uuid of snap.removed || []) s.delete(uuid);
      // The worklist comes whole with every download (as of the server's day).
      if (snap.worklist) m.put({ key: "worklist", value: snap.worklist });
      // Facts sent before this download now carry the server's assessment.
      o.getAll().onsuccess = (ev) => {
        for (const e of ev.target.result) {
          if (e.state === "sent" && !e.checked) { e.checked = true; o.put(e); }
        }
      };
    }
  });
  if (snap.worklist) await setMeta("worklist_at", Date.now());
  await setMeta("cursor", snap.cursor);
  await setMeta("pulled_at", new Date().toISOString());
}

// What the outbox keeps: every event not yet sent or still waiting; a sent one until the day
// after the server's copy reflects it (its "Terkirim" mark stays for the posyandu day); a
// refused or conflicting one for 30 days (the kader reads the reason). Months of events would
// fill a cheap phone and slow every screen that reads the outbox.
// The phone's calendar day (YYYY-MM-DD) of an ISO time or epoch milliseconds.
export const localDay = (when) => new Date(when).toLocaleDateString("sv-SE");
const KEEP_REFUSED_MS = 30 * 24 * 60 * 60 * 1000;
export async function prune(now = Date.now()) {
  const today = localDay(now);
  await tx("outbox", (o) => {
    o.openCursor().onsuccess = (ev) => {
      const c = ev.target.result;
      if (!c) return;
      const e = c.value;
      const seen = e.state === "sent" && e.checked && localDay(e.at) < today;
      const refused = (e.state === "rejected" || e.state === "conflict")
        && now - Date.parse(e.at) > KEEP_REFUSED_MS;
      if (seen || refused) c.delete();
      c.continue();
    };
  });
}

let running = null;
export function sync(boot) {
  if (!running) {
    running = (async () => {
      const sent = await push(boot);
      const age = Date.now() - (await meta("worklist_at", 0));
      await pull(boot, sent > 0 || age > WORKLIST_MAX_AGE_MS);
      await prune();
    })()
      .finally(() => { running = null; });
  }
  return running;
}

export async function resolve(uuid) {
  const aliases = await meta("aliases", {});
  return aliases[uuid] || uuid;
}
export { get };
