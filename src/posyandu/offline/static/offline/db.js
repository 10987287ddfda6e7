// IndexedDB of the offline app (ADR 8): stores `snapshot` (rows by uuid, with `kind`),
// `meta` (cursor, device, seq, aliases, and `worklist`: the server's home-visit worklist as of
// its day, replaced whole by each download in the same transaction as the rows) and `outbox`
// (events by id).
let dbp = null;

export function open() {
  if (!dbp) {
    dbp = new Promise((resolve, reject) => {
      const req = indexedDB.open("posyandu", 1);
      req.onupgradeneeded = () => {
        const db = req.result;
        db.createObjectStore("snapshot", { keyPath: "uuid" }).createIndex("kind", "kind");
        db.createObjectStore("meta", { keyPath: "key" });
        db.createObjectStore("outbox", { keyPath: "id" }).createIndex("seq", "seq");
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  return dbp;
}

function done(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export async function tx(stores, fn) {
  const db = await open();
  const t = db.transaction(stores, "readwrite");
  const result = fn(...[].concat(stores).map((s) => t.objectStore(s)));
  await new Promise((resolve, reject) => {
    t.oncomplete = resolve;
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error);
  });
  return result;
}

export async function get(store, key) {
  const db = await open();
  return done(db.transaction(store).objectStore(store).get(key));
}

export async function all(store, kind) {
  const db = await open();
  const s = db.transaction(store).objectStore(store);
  return done(kind ? s.index("kind").getAll(kind) : s.getAll());
}

export const put = (store, value) => tx(store, (s) => s.put(value));
export const del = (store, key) => tx(store, (s) => s.delete(key));

export async function meta(key, fallback = null) {
  const row = await get("meta", key);
  return row ? row.value : fallback;
}
export const setMeta = (key, value) => put("meta", { key, value });

// Queue one event: the next seq of this device, a client uuid, the phone's clock.
export async function enqueue(type, record, data, local = {}) {
  let event;
  await tx(["meta", "outbox"], (m, o) => {
    const r = m.get("seq");
    r.onsuccess = () => {
      const seq = (r.result ? r.result.value : 0) + 1;
      m.put({ key: "seq", value: seq });
      event = { id: crypto.randomUUID(), type, record, seq, at: new Date().toISOString(),
                data, state: "saved", ...local };
      o.put(event);
    };
  });
  return event;
}
