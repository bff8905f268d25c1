// The correction page. Plain DOM, no framework. Only one paragraph is in the DOM at a time, so a
// key press costs the same with 10 tasks or 10,000 loaded.
"use strict";

const S = {
  mode: null, labels: [], total: 0, answered: 0,
  tasks: [], order: [], pos: 0, spans: [], sel: null, busy: false,
  conflicts: [], justSelected: false,
  latencies: [],  // [kind, milliseconds from key press to the frame after rendering]
};
window.__geoner = S;

const $ = (id) => document.getElementById(id);

async function api(path, body) {
  const init = body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  };
  const res = await fetch(path, init);
  let data = {};
  try { data = await res.json(); } catch (e) { /* an empty or non-JSON error body */ }
  if (!res.ok) throw new Error(data.error || `${res.status} ${res.statusText}`);
  return data;
}

function status(message, isError) {
  const el = $(S.mode === "conflicts" ? "conflict-status" : "status");
  el.textContent = message || "";
  el.className = "status" + (isError ? " error" : "");
}

// Time from a key press to the first frame drawn after the change.
function measured(kind, t0) {
  requestAnimationFrame(() => setTimeout(() => S.latencies.push([kind, performance.now() - t0]), 0));
}

// Paint a paragraph: tokens as <span class="tok">, spans as <mark class="ent LABEL"> around them.
function renderInto(el, text, tok, spans) {
  const frag = document.createDocumentFragment();
  const sorted = spans.slice().sort((a, b) => a[0] - b[0]);
  let k = 0, open = null, cursor = 0;
  for (let i = 0; i < tok.length / 2; i++) {
    const s = tok[2 * i], e = tok[2 * i + 1];
    if (s > cursor) (open || frag).appendChild(document.createTextNode(text.slice(cursor, s)));
    if (!open && k < sorted.length && sorted[k][0] === s) {
      open = document.createElement("mark");
      open.className = "ent " + sorted[k][2];
      open.dataset.start = String(sorted[k][0]);
      open.title = sorted[k][2] + " (click to remove)";
      frag.appendChild(open);
    }
    const t = document.createElement("span");
    t.className = "tok";
    t.dataset.i = String(i);
    t.textContent = text.slice(s, e);
    if (S.sel && i >= S.sel[0] && i <= S.sel[1]) t.classList.add("sel");
    (open || frag).appendChild(t);
    cursor = e;
    if (open && sorted[k][1] === e) {
      const tag = document.createElement("span");
      tag.className = "lbl";
      tag.textContent = sorted[k][2];
      open.appendChild(tag);
      open = null;
      k++;
    }
  }
  if (cursor < text.length) frag.appendChild(document.createTextNode(text.slice(cursor)));
  el.replaceChildren(frag);
}

function progress() {
  const what = S.mode === "conflicts" ? "conflicts settled" : "answered";
  $("progress").textContent = `${S.answered} of ${S.total} ${what}`;
}

// ---- tasks mode -------------------------------------------------------------------------------

function current() { return S.tasks[S.pos]; }

function showTask() {
  const t = current();
  progress();
  if (!t) {
    $("meta").textContent = "";
    $("text").textContent = S.total ? `All ${S.total} tasks are answered. Undo (u) reopens the last one.` : "No tasks.";
    return;
  }
  S.spans = t.spans.map((s) => s.slice());
  S.sel = null;
  $("meta").textContent = `task ${S.pos + 1} of ${S.total}` + (t.answer ? ` · your answer: ${t.answer}` : "");
  renderInto($("text"), t.text, t.tok, S.spans);
}

function redraw() {
  const t = current();
  if (t) renderInto($("text"), t.text, t.tok, S.spans);
}

// The tokens a mouse selection touches, widened to whole tokens; a range that merely touches a
// token's first or last character boundary does not take it in.
function selectedTokens() {
  const sel = window.getSelection();
  if (!sel.rangeCount || sel.isCollapsed) return null;
  const r = sel.getRangeAt(0);
  let a = -1, b = -1;
  for (const el of $("text").querySelectorAll(".tok")) {
    if (!r.intersectsNode(el)) continue;
    const touchesEndOnly = el.contains(r.endContainer) && r.endOffset === 0 && !el.contains(r.startContainer);
    const touchesStartOnly = el.contains(r.startContainer) && r.startContainer.nodeType === Node.TEXT_NODE
      && r.startOffset === r.startContainer.length && !el.contains(r.endContainer);
    if (touchesEndOnly || touchesStartOnly) continue;
    const i = Number(el.dataset.i);
    if (a < 0) a = i;
    b = i;
  }
  return a < 0 ? null : [a, b];
}

function onMouseUp() {
  const picked = selectedTokens();
  if (!picked) return;
  S.justSelected = true;
  S.sel = picked;
  window.getSelection().removeAllRanges();
  redraw();
  status(`selected “${selectionText()}”: press 1–${S.labels.length} for a label`);
}

function selectionText() {
  const t = current();
  return t.text.slice(t.tok[2 * S.sel[0]], t.tok[2 * S.sel[1] + 1]);
}

function onTextClick(ev) {
  if (S.justSelected) { S.justSelected = false; return; }
  const mark = ev.target.closest(".ent");
  if (!mark) return;
  const start = Number(mark.dataset.start);
  const removed = S.spans.find((s) => s[0] === start);
  S.spans = S.spans.filter((s) => s[0] !== start);
  redraw();
  if (removed) status(`removed ${removed[2]} “${current().text.slice(removed[0], removed[1])}”`);
}

function setLabel(n, t0) {
  const label = S.labels[n];
  if (!label || !current()) return;
  if (!S.sel) { status(`select words first, then press ${n + 1} for ${label}`); return; }
  const t = current();
  const start = t.tok[2 * S.sel[0]], end = t.tok[2 * S.sel[1] + 1];
  // A new span replaces the spans it overlaps: that is how a boundary is corrected.
  const replaced = S.spans.filter((s) => s[0] < end && start < s[1]);
  S.spans = S.spans.filter((s) => !(s[0] < end && start < s[1]));
  S.spans.push([start, end, label]);
  const text = selectionText();
  S.sel = null;
  redraw();
  status(`${label} “${text}”` + (replaced.length ? ` (replaced ${replaced.map((s) => "“" + t.text.slice(s[0], s[1]) + "”").join(", ")})` : ""));
  measured("label", t0);
}

function nextOpen(from) {
  for (let k = 1; k <= S.tasks.length; k++) {
    const i = (from + k) % S.tasks.length;
    if (!S.tasks[i].answer) return i;
  }
  return S.tasks.length;  // all answered
}

async function answer(kind, t0) {
  const t = current();
  if (!t || S.busy) return;
  S.busy = true;
  try {
    const res = await api("/api/answer", {
      input_hash: t.h, answer: kind, spans: S.spans.map(([start, end, label]) => ({ start, end, label })),
    });
    t.spans = S.spans.map((s) => s.slice());
    t.answer = kind;
    S.order = S.order.filter((i) => i !== S.pos);
    S.order.push(S.pos);
    S.answered = res.answered;
    S.pos = nextOpen(S.pos);
    showTask();
    status(`saved: ${kind}`);
    measured(kind, t0);
  } catch (err) {
    status(err.message, true);
  } finally {
    S.busy = false;
  }
}

async function undo(t0) {
  if (S.busy) return;
  if (!S.order.length) { status("nothing to undo"); return; }
  S.busy = true;
  const i = S.order[S.order.length - 1];
  try {
    const res = await api("/api/undo", { input_hash: S.tasks[i].h });
    S.order.pop();
    S.tasks[i].answer = null;
    S.tasks[i].spans = res.spans;
    S.answered = res.answered;
    S.pos = i;
    showTask();
    status("undone: the task is open again");
    measured("undo", t0);
  } catch (err) {
    status(err.message, true);
  } finally {
    S.busy = false;
  }
}

// ---- conflicts mode ---------------------------------------------------------------------------

function showConflict() {
  progress();
  const c = S.conflicts[S.pos];
  if (!c) { $("columns").textContent = "No open conflicts."; $("conflict-reason").textContent = ""; return; }
  $("conflict-reason").textContent = `conflict ${S.pos + 1} of ${S.total}: ${c.reason}` +
    (c.chosen !== null && c.chosen !== undefined ? " · settled" : "");
  const cols = document.createDocumentFragment();
  c.columns.forEach((col, n) => {
    const box = document.createElement("div");
    box.className = "column" + (c.chosen === n ? " chosen" : "");
    const h = document.createElement("h3");
    h.textContent = `${n + 1}. ${col.title}`;
    const body = document.createElement("div");
    body.className = "text";
    renderInto(body, c.text, c.tok, col.spans);
    const choose = document.createElement("button");
    choose.textContent = `Choose ${n + 1}`;
    choose.addEventListener("click", () => resolve(n, performance.now()));
    box.append(h, body, choose);
    cols.appendChild(box);
  });
  $("columns").replaceChildren(cols);
}

async function resolve(n, t0) {
  const c = S.conflicts[S.pos];
  if (!c || S.busy || n >= c.columns.length) return;
  S.busy = true;
  try {
    const res = await api("/api/resolve", { conflict: c.id, choice: n });
    c.chosen = n;
    S.answered = res.answered;
    status(`chose ${c.columns[n].title}` + (res.counts ? ` (added ${res.counts.added}, updated ${res.counts.updated})` : ""));
    const next = S.conflicts.findIndex((x, i) => i > S.pos && (x.chosen === null || x.chosen === undefined));
    if (next >= 0) S.pos = next;
    showConflict();
    measured("resolve", t0);
  } catch (err) {
    status(err.message, true);
  } finally {
    S.busy = false;
  }
}

function step(d) {
  S.pos = Math.min(Math.max(S.pos + d, 0), Math.max(S.conflicts.length - 1, 0));
  status("");
  showConflict();
}

// ---- keys and start-up --------------------------------------------------------------------------

function onKey(ev) {
  if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.repeat) return;
  const t0 = performance.now();
  const k = ev.key;
  if (S.mode === "conflicts") {
    if (/^[1-9]$/.test(k)) resolve(Number(k) - 1, t0);
    else if (k === "n" || k === "ArrowRight") step(1);
    else if (k === "p" || k === "ArrowLeft") step(-1);
    else return;
  } else if (S.busy) {
    ev.preventDefault();  // one answer at a time: a key pressed while saving is not applied late
    return;
  } else if (/^[1-9]$/.test(k) && Number(k) <= S.labels.length) setLabel(Number(k) - 1, t0);
  else if (k === "a" || k === "Enter") answer("accept", t0);
  else if (k === "x") answer("reject", t0);
  else if (k === "i" || k === " ") answer("ignore", t0);
  else if (k === "u" || k === "Backspace") undo(t0);
  else if (k === "Escape") { S.sel = null; redraw(); status(""); }
  else return;
  ev.preventDefault();
}

async function start() {
  const state = await api("/api/state");
  Object.assign(S, { mode: state.mode, labels: state.labels, total: state.total, answered: state.answered });
  $("who").textContent = `${state.annotator} → ${state.file}`;
  document.addEventListener("keydown", onKey);
  if (state.mode === "conflicts") {
    $("mode-name").textContent = "conflicts";
    $("keys-tasks").hidden = true;
    $("keys-conflicts").hidden = false;
    S.conflicts = (await api("/api/conflicts")).conflicts;
    S.pos = Math.min(state.first_open, Math.max(S.conflicts.length - 1, 0));
    $("conflict-view").hidden = false;
    $("prev").addEventListener("click", () => step(-1));
    $("next").addEventListener("click", () => step(1));
    showConflict();
  } else {
    const data = await api("/api/tasks");
    S.tasks = data.tasks;
    S.order = data.order;
    S.pos = state.first_open;
    const bar = $("labels");
    S.labels.forEach((label, n) => {
      const b = document.createElement("button");
      b.className = "label " + label;
      const key = document.createElement("kbd");
      key.textContent = String(n + 1);
      b.append(label + " ", key);
      b.addEventListener("mousedown", (ev) => ev.preventDefault());  // keep the text selection
      b.addEventListener("click", () => { S.sel = S.sel || selectedTokens(); setLabel(n, performance.now()); });
      bar.appendChild(b);
    });
    $("accept").addEventListener("click", () => answer("accept", performance.now()));
    $("reject").addEventListener("click", () => answer("reject", performance.now()));
    $("ignore").addEventListener("click", () => answer("ignore", performance.now()));
    $("undo").addEventListener("click", () => undo(performance.now()));
    document.addEventListener("mouseup", onMouseUp);  // a drag may end outside the paragraph
    $("text").addEventListener("click", onTextClick);
    $("task-view").hidden = false;
    showTask();
  }
  document.body.dataset.ready = "1";
}

start().catch((err) => { $("progress").textContent = "error: " + err.message; });
