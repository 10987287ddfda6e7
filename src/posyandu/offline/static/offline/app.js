// The offline kader app (ADR 8, ADR 9): screens drawn from IndexedDB, writes queued as events.
import { all, enqueue, get, meta, put } from "./db.js";
import { localDay, pending, resolve, sync } from "./sync.js";

const L = JSON.parse(document.getElementById("labels").textContent);
const BOOT = JSON.parse(document.getElementById("boot").textContent);
const view = document.getElementById("view");
const RANGES = { weight_kg: [0.5, 150], lenhei_cm: [35, 230], muac_cm: [5, 50], headc_cm: [20, 65] };
const MARK = { saved: "saved", sent: "sent", waiting: "waiting", rejected: "rejected",
               conflict: "conflict" };

function h(tag, attrs = {}, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v == null) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids.flat()) if (kid != null && kid !== false) el.append(kid);
  return el;
}
const fmt = (iso) => (iso ? iso.slice(0, 10).split("-").reverse().join("/") : "");
const today = () => localDay(Date.now());
const clock = (iso) => new Date(iso).toTimeString().slice(0, 5);
const fill = (s, ...a) => a.reduce((t, x) => t.replace("%s", x), s);
let back = "#/";  // the list a person was opened from
const show = (...kids) => view.replaceChildren(...kids.flat(2).filter((k) => k != null && k !== false));

function mark(ev) {
  if (!ev) return null;
  const state = MARK[ev.state] || "saved";
  const text = ev.state === "rejected" && ev.reason ? `${L.rejected}: ${ev.reason}` : L[state];
  return h("span", { class: `mark ${state}` }, text);
}

async function eventsBy() {
  const map = new Map();
  const aliases = await meta("aliases", {});
  for (const e of await all("outbox")) {
    map.set(e.record, e);
    if (aliases[e.record]) map.set(aliases[e.record], e);  // another phone's uuid for it
  }
  return map;
}

async function todayDay() {
  const days = await all("snapshot", "service_day");
  return days.find((d) => d.date === today() && d.status !== "closed") || null;
}

async function status() {
  const n = (await pending()).length;
  const pulled = await meta("pulled_at");
  document.getElementById("queue").textContent =
    `${L.outbox}: ${n} · ${L.last_sync}: ${pulled ? `${fmt(localDay(pulled))} ${clock(pulled)}` : L.never}`;
  const net = document.getElementById("net");
  net.textContent = navigator.onLine ? L.online : L.offline;
  net.className = `net ${navigator.onLine ? "on" : "off"}`;
}

// The two lists: every resident, and the server's home-visit worklist with its length.
function tabs(current, worklist) {
  const n = worklist ? ` (${worklist.items.length})` : "";
  return h("nav", { class: "tabs", "aria-label": `${L.people} / ${L.home_visits}` },
    h("a", { href: "#/", "aria-current": current === "people" && "page" }, L.people),
    h("a", { href: "#/kunjungan", id: "tab-worklist", "aria-current": current === "worklist" && "page" },
      `${L.home_visits}${n}`));
}

// Who has something recorded on this phone that the server has not judged yet.
async function unchecked() {
  const who = new Set();
  for (const e of await all("outbox")) {
    if (e.checked || e.state === "rejected") continue;
    who.add(e.person || (e.data && e.data.person) || e.record);
  }
  return who;
}

async function home() {
  const [persons, events, day] = [await all("snapshot", "person"), await eventsBy(), await todayDay()];
  const worklist = await meta("worklist");
  persons.sort((a, b) => a.name.localeCompare(b.name));
  const list = h("ul", { class: "list", id: "persons" });
  const search = h("input", { type: "search", placeholder: L.search, "aria-label": L.search,
                              id: "q", oninput: () => draw(search.value) });
  function draw(q) {
    const words = q.toLowerCase().trim();
    list.replaceChildren(...persons
      .filter((p) => !words || p.name.toLowerCase().includes(words) || (p.nik || "").includes(words))
      .slice(0, 60)
      .map((p) => h("li", { class: "row" },
        h("a", { href: `#/p/${p.uuid}` }, h("strong", {}, p.name),
          h("span", { class: "hint" }, ` ${p.sex === "F" ? "♀" : "♂"} ${fmt(p.birth_date)}`)),
        p.local ? mark(events.get(p.uuid)) : null)));
  }
  draw("");
  view.replaceChildren(
    h("section", { class: "day" }, h("h2", {}, L.today),
      day ? h("p", {}, fmt(day.date)) : h("p", { class: "hint" }, L.no_day)),
    h("a", { class: "button primary", href: "#/baru" }, `+ ${L.new_person}`),
    tabs("people", worklist),
    h("h1", {}, L.people, h("span", { class: "hint" }, ` (${persons.length} ${L.persons_count})`)),
    search,
    persons.length ? list : h("p", { class: "hint" }, L.no_data));
}

function field(name, label, attrs = {}) {
  return [h("label", { for: `f_${name}` }, label), h("input", { id: `f_${name}`, name, ...attrs })];
}

async function register() {
  const households = await all("snapshot", "household");
  const err = h("p", { class: "error", role: "alert" });
  const form = h("form", { class: "form", onsubmit: async (e) => {
    e.preventDefault();
    const d = Object.fromEntries(new FormData(form));
    const missing = ["name", "sex", "birth_date"].filter((k) => !d[k]);
    if (missing.length) return (err.textContent = fill(L.required, missing.map((k) => L[k]).join(", ")));
    if (d.nik && !/^\d{16}$/.test(d.nik)) return (err.textContent = fill(L.bad_nik, d.nik));
    if (d.birth_date > today()) return (err.textContent = fill(L.future, fmt(d.birth_date)));
    const uuid = crypto.randomUUID();
    const data = { posyandu: BOOT.posyandu, household: d.household || null, mother: null,
                   name: d.name.trim(), sex: d.sex, birth_date: d.birth_date, nik: d.nik || null,
                   phone: "", has_buku_kia: null };
    await enqueue("person.register", uuid, data);
    await put("snapshot", { ...data, uuid, kind: "person", local: true, history: null, assessment: null });
    location.hash = `#/p/${uuid}`;
    kick();
  } },
    ...field("name", L.name, { required: true, autocomplete: "off", maxlength: 120 }),
    h("fieldset", {}, h("legend", {}, L.sex),
      h("label", { class: "choice" }, h("input", { type: "radio", name: "sex", value: "F" }), L.female),
      h("label", { class: "choice" }, h("input", { type: "radio", name: "sex", value: "M" }), L.male)),
    ...field("birth_date", L.birth_date, { type: "date", required: true, max: today() }),
    ...field("nik", L.nik, { inputmode: "numeric", maxlength: 16 }),
    h("label", { for: "f_household" }, L.household),
    h("select", { id: "f_household", name: "household" }, h("option", { value: "" }, L.none),
      households.sort((a, b) => a.head_name.localeCompare(b.head_name))
        .map((x) => h("option", { value: x.uuid }, `${x.head_name} ${x.dusun || ""}`))),
    err, h("button", { class: "primary", type: "submit" }, L.save));
  view.replaceChildren(h("a", { href: "#/" }, `← ${L.back}`), h("h1", {}, L.new_person), form);
}

function measureForm(visit, person) {
  const err = h("p", { class: "error", role: "alert" });
  const form = h("form", { class: "form", id: "measure", onsubmit: async (e) => {
    e.preventDefault();
    const d = Object.fromEntries(new FormData(form));
    const values = {};
    for (const [k, [lo, hi]] of Object.entries(RANGES)) {
      if (!d[k]) continue;
      const v = Number(String(d[k]).replace(",", "."));
      if (!(v >= lo && v <= hi)) return (err.textContent = fill(L.implausible, L[k], d[k], lo, hi));
      values[k] = v;
    }
    if (!Object.keys(values).length) return (err.textContent = fill(L.required, L.weight_kg));
    if (values.lenhei_cm) values.measure = d.measure || "h";
    await enqueue("measurement.record", crypto.randomUUID(), { visit, values }, { person });
    kick();
    route();
  } },
    h("h2", {}, L.measure),
    ...field("weight_kg", L.weight_kg, { inputmode: "decimal", autocomplete: "off" }),
    ...field("lenhei_cm", L.lenhei_cm, { inputmode: "decimal", autocomplete: "off" }),
    h("fieldset", {},
      h("label", { class: "choice" }, h("input", { type: "radio", name: "measure", value: "l" }), L.lying),
      h("label", { class: "choice" }, h("input", { type: "radio", name: "measure", value: "h" }), L.standing)),
    ...field("muac_cm", L.muac_cm, { inputmode: "decimal", autocomplete: "off" }),
    ...field("headc_cm", L.headc_cm, { inputmode: "decimal", autocomplete: "off" }),
    err, h("button", { class: "primary", type: "submit" }, L.save));
  return form;
}

const items = (rows, text, cls = "chips") => (rows && rows.length
  ? h("ul", { class: cls }, rows.map((r) => h("li", {}, text(r))))
  : h("p", { class: "hint" }, L.nothing));

async function person(uuid) {
  const p = await get("snapshot", uuid);
  if (!p) return view.replaceChildren(h("a", { href: back }, `← ${L.back}`), h("p", {}, L.not_found));
  const worklist = await meta("worklist");
  const todo = worklist && worklist.items.find((i) => i.person === uuid);
  const events = await eventsBy();
  const day = await todayDay();
  const visits = (await all("snapshot", "visit")).filter((v) => v.person === uuid);
  const visit = day && visits.find((v) => v.service_day === day.uuid);
  const local = (await all("outbox"))
    .filter((e) => e.type === "measurement.record" && e.person === uuid)
    .sort((a, b) => b.seq - a.seq);
  const a = p.assessment;
  // A measurement made on this phone is listed once: with its mark, not again from the server.
  const key = (date, m) => `${date}|${Number(m.weight_kg) || ""}|${Number(m.lenhei_cm) || ""}`;
  const mine = new Set(local.map((e) => key(localDay(e.at), e.data.values)));
  const hist = ((p.history && p.history.measurements) || []).filter((m) => !mine.has(key(m.date, m)));
  const sec = [];
  if (day) {
    sec.push(visit
      ? h("p", { class: "checked" }, `✓ ${L.checked_in} `, mark(events.get(visit.uuid)))
      : h("button", { class: "primary", id: "checkin", onclick: async () => {
          const v = crypto.randomUUID();
          await enqueue("visit.register", v, { service_day: day.uuid, person: uuid });
          await put("snapshot", { uuid: v, kind: "visit", service_day: day.uuid, person: uuid, local: true });
          kick();
          route();
        } }, L.check_in));
    if (visit) sec.push(measureForm(await resolve(visit.uuid), uuid));
  }
  const newRows = local.map((e) => h("li", { class: "new" },
    `${fmt(localDay(e.at))} · ${summary(e.data.values)} `, mark(e),
    e.checked ? null : h("span", { class: "mark check" }, L.pending_check)));
  show(
    h("a", { href: back }, `← ${L.back}`),
    h("h1", {}, p.name),
    h("p", { class: "hint" }, `${p.sex === "F" ? L.female : L.male} · ${fmt(p.birth_date)}`,
      p.nik ? ` · NIK ${p.nik}` : "", " ", p.local ? mark(events.get(uuid)) : null),
    todo ? h("section", { class: `visit-box ${todo.reasons[0].tone}`, id: "visit-reasons" },
      h("h2", {}, L.home_visits, h("span", { class: "hint" }, ` ${L.as_of} ${fmt(worklist.as_of)}`)),
      reasonList(todo)) : null,
    ...sec,
    h("section", { class: "assess" }, h("h2", {}, L.assessment, a ? h("span", { class: "hint" }, ` ${L.as_of} ${fmt(a.as_of)}`) : null),
      local.some((e) => !e.checked) || !a ? h("p", { class: "mark check" }, L.pending_check) : null,
      a ? [h("h3", {}, L.findings), items(a.findings, (f) => f.label, "items"),
           h("h3", {}, L.imm_due), items(a.immunisations_due, (i) => `${i.label}`),
           h("h3", {}, L.services), items(a.services, (s) => s.label),
           a.refer ? h("p", { class: "error" }, L.refer) : null] : null),
    h("section", {}, h("h2", {}, L.history),
      h("ul", { class: "items", id: "history" }, newRows,
        hist.slice().reverse().map((m) => h("li", {}, `${fmt(m.date)} · ${summary(m)}`))),
      !hist.length && !newRows.length ? h("p", { class: "hint" }, L.nothing) : null));
}

// --- the home-visit worklist (computed by the server, ADR 8) -----------------------------------

const OVERDUE = "immunization.overdue";  // its doses are listed beside it

function reasonList(item) {
  return h("ul", { class: "items" },
    item.reasons.map((r) => h("li", {}, `${r.icon} ${r.label}`)),
    item.overdue.map((d) => h("li", { class: "hint" }, `${d.label} · ${L.due_on} ${fmt(d.due_date)}`)));
}

function visitRow(item, p, home, pending) {
  const last = item.last_home_visit
    ? `✔ ${L.last_visit} ${fmt(item.last_home_visit)}` : `○ ${L.not_visited}`;
  return h("li", { class: `row ${item.reasons[0].tone}` },
    h("a", { href: `#/p/${p.uuid}` },
      h("strong", {}, p.name),
      h("span", { class: "hint" }, ` ${p.sex === "F" ? "♀" : "♂"} ${fmt(p.birth_date)}`),
      item.reasons.map((r) => h("span", { class: "line reason" }, `${r.icon} ${r.label}`,
        r.code === OVERDUE && item.overdue.length
          ? h("span", { class: "hint" }, `: ${item.overdue.map((d) => d.label).join(", ")}`) : null)),
      h("span", { class: "line hint" }, last, home && home.address ? ` · ${home.address}` : "")),
    pending ? h("span", { class: "mark check" }, L.pending_check) : null);
}

async function worklistScreen() {
  const worklist = await meta("worklist");
  const head = [tabs("worklist", worklist), h("h1", {}, L.home_visits)];
  if (!worklist) return show(head, h("p", { class: "hint" }, L.no_data));
  const persons = new Map((await all("snapshot", "person")).map((p) => [p.uuid, p]));
  const homes = new Map((await all("snapshot", "household")).map((x) => [x.uuid, x]));
  const pending = await unchecked();
  const groups = new Map();  // by the most pressing reason, in the server's order
  for (const item of worklist.items) {
    const p = persons.get(item.person);
    if (!p) continue;
    const code = item.reasons[0].code;
    if (!groups.has(code)) groups.set(code, { reason: item.reasons[0], rows: [] });
    groups.get(code).rows.push(visitRow(item, p, homes.get(p.household), pending.has(p.uuid)));
  }
  const stale = worklist.as_of !== today();
  show(head,
    h("p", { id: "worklist-asof", class: `mark ${stale ? "saved" : "asof"}` },
      `${L.by_server} ${L.as_of} ${fmt(worklist.as_of)}`),
    stale ? h("p", { class: "hint" }, L.worklist_old) : null,
    h("p", { class: "hint" }, `${worklist.items.length} ${L.to_visit}`),
    groups.size ? [...groups.values()].map((g) => h("section", { class: "group" },
      h("h2", {}, `${g.reason.icon} ${g.reason.label} (${g.rows.length})`),
      h("ul", { class: "list worklist" }, g.rows)))
      : h("p", { class: "checked" }, `✔ ${L.nobody}`));
}

function summary(m) {
  const parts = [];
  if (m.weight_kg) parts.push(`${m.weight_kg} kg`);
  if (m.lenhei_cm) parts.push(`${m.lenhei_cm} cm${m.measure ? ` (${m.measure === "l" ? L.lying : L.standing})` : ""}`);
  if (m.muac_cm) parts.push(`LiLA ${m.muac_cm} cm`);
  if (m.headc_cm) parts.push(`LK ${m.headc_cm} cm`);
  return parts.join(", ");
}

async function route() {
  const path = location.hash.slice(1) || "/";
  if (path.startsWith("/p/")) await person(path.slice(3));
  else if (path === "/baru") await register();
  else if (path === "/kunjungan") await worklistScreen();
  else await home();
  if (path === "/" || path === "/kunjungan") back = `#${path}`;
  await status();
}

const send = document.getElementById("send");
async function kick() {
  await status();
  if (!navigator.onLine) return;
  send.disabled = true;
  send.textContent = L.sending;
  try {
    await sync(BOOT);
  } catch (e) {
    document.getElementById("queue").textContent = L.sync_failed;
    send.disabled = false;
    send.textContent = L.send_now;
    return;
  }
  send.disabled = false;
  send.textContent = L.send_now;
  const focus = document.activeElement && document.activeElement.id;
  if (!focus || !["q", "f_name"].includes(focus) && !focus.startsWith("f_")) await route();
  else await status();
}

send.addEventListener("click", kick);
addEventListener("hashchange", route);
addEventListener("online", kick);
addEventListener("offline", status);
if ("serviceWorker" in navigator) navigator.serviceWorker.register("/luring/sw.js", { scope: "/luring/" });
(async () => {
  if ((await meta("posyandu")) !== BOOT.posyandu) {
    await put("meta", { key: "posyandu", value: BOOT.posyandu });
    await put("meta", { key: "cursor", value: null });
    await put("meta", { key: "worklist", value: null });
  }
  await route();
  kick();
})();
