"""The two pages the room server serves: the facilitator's (for a projector) and the
learners' (what the QR code opens).  Plain HTML with a little JavaScript, no build step.

The facilitator's page follows ``/api/stream`` (server-sent events) and redraws on every
message; when nothing arrives within 3 s (a proxy that buffers the stream, such as the
pure-Python configurable-http-proxy) it polls ``/api/figures`` every second instead.
Per decision it shows Marketing and IT side by side, one bar per option; a
hidden decision shows only how many answered, with "Reveal"; "Ask again" opens a revote,
and once it has answers the shift per role is shown (percentage points).  "My screen"
asks for the private figures (results before revealing, who is stuck): tick it only on
the facilitator's own screen, never on the projector.
"""

from __future__ import annotations

from html import escape

__all__ = ["FACILITATOR_PAGE", "learner_page"]


def learner_page(code: str, url: str) -> str:
    """The page a learner's phone opens from the QR code: the room's address and code."""
    return f"""<!doctype html><html lang="en"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Crosstalk room</title>
<body style="font-family:system-ui,sans-serif;max-width:32em;margin:2em auto;line-height:1.5">
<h1>Crosstalk room</h1>
<p>In the notebook <b>00-welcome</b>, find "Join the room" and type:</p>
<p>Room address: <code>{escape(url)}</code><br>
Join code: <b style="font-size:200%">{escape(code)}</b></p>
<p>What your notebook then sends: your role (Marketing or IT), the option you pick in each
decision (never text you type), whether each self-check passed, which module you reached,
and the "I'm stuck" button. You appear under a made-up name; your real name is sent only if
the facilitator turns names on and you type it.</p></body></html>"""


FACILITATOR_PAGE = """<!doctype html><html lang="en"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Crosstalk room · facilitator</title>
<style>
 body{font-family:system-ui,sans-serif;margin:1em 2em;font-size:20px;color:#111;background:#fff}
 h1{font-size:32px;margin:.2em 0} h2{font-size:26px;margin:1em 0 .3em}
 .top{display:flex;gap:2em;align-items:baseline;flex-wrap:wrap}
 .code{font-size:40px;font-weight:700;letter-spacing:.1em}
 .card{border:2px solid #ccc;border-radius:8px;padding:.5em 1em;margin:.5em 0}
 .sides{display:grid;grid-template-columns:1fr 1fr;gap:2em}
 .side h3{margin:.2em 0;font-size:22px}
 .row{display:grid;grid-template-columns:8em 1fr 4.5em;gap:.5em;align-items:center;margin:.15em 0}
 .bar{height:1.1em;border-radius:3px}
 .marketing .bar{background:#c2185b} .it .bar{background:#1565c0}
 .unknown .bar{background:#777}
 button{font-size:18px;padding:.2em .8em;margin-right:.5em}
 table{border-collapse:collapse}
 td,th{padding:.15em .8em;border-bottom:1px solid #ddd;text-align:left}
 tr.now{background:#fff3c4;font-weight:700}
 .muted{color:#555} .shift-up{color:#1b5e20} .shift-down{color:#b71c1c}
 #status{font-size:16px}
</style>
<body>
<div class="top"><h1>Crosstalk room</h1><span>join code <span class="code" id="code">…</span></span>
<span id="who" class="muted"></span>
<label style="font-size:16px"><input type="checkbox" id="private"> my screen (results before
revealing, names of the stuck: never on the projector)</label>
<button id="names"></button><span id="status" class="muted">connecting…</span></div>
<h2>Decisions: where do we disagree?</h2><div id="decisions"></div>
<h2>Progress against the schedule</h2><div id="progress"></div>
<h2>Stuck</h2><div id="stuck"></div>
<h2>Self-checks</h2><div id="checks"></div>
<script>
"use strict";
const token = new URLSearchParams(location.search).get("token") || "";
const xsrf = "__XSRF__";  // on a hub: JupyterHub's check for cookie-authenticated requests
const auth = () => `token=${encodeURIComponent(token)}&_xsrf=${encodeURIComponent(xsrf)}`;
const LABEL = {marketing: "Marketing", it: "IT", unknown: "no role yet"};
let source = null, current = null;
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value; else if (key.startsWith("on")) node[key] = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : String(child));
  return node;
}
async function control(action, decision) {
  const priv = document.getElementById("private").checked ? "1" : "";
  const answer = await fetch(`api/control?${auth()}&private=${priv}`,
    {method: "POST", body: JSON.stringify({action, decision}), headers: {"X-XSRFToken": xsrf}});
  if (answer.ok) draw(await answer.json());
}
function side(role, entry) {
  const box = el("div", {class: "side " + role, "data-role": role},
    el("h3", {}, `${LABEL[role]} (${entry.voters[role]} answered)`));
  for (const option of Object.keys(entry.options || {})) {
    const pct = entry.percent[option][role], n = entry.options[option][role];
    box.append(el("div", {class: "row", "data-option": option}, el("span", {}, option),
      el("div", {}, el("div", {class: "bar", style: `width:${pct}%`})),
      el("span", {class: "pct"}, `${pct}% (${n})`)));
  }
  return box;
}
function decision(d) {
  const last = d.rounds[d.rounds.length - 1];
  const card = el("div", {class: "card", "data-decision": d.decision},
    el("b", {}, d.decision), ` · ${d.round === 1 ? "first vote" : "vote " + d.round}`,
    el("span", {class: "muted"}, ` · ${last.answered} answered`), " ");
  card.append(el("button", {onclick: () => control(d.revealed ? "hide" : "reveal", d.decision)},
    d.revealed ? "Hide" : "Reveal"));
  card.append(el("button", {onclick: () => control("ask_again", d.decision)}, "Ask again"));
  if (d.hidden) {
    card.append(el("p", {class: "muted"}, "Hidden until you reveal it."));
    return card;
  }
  const sides = el("div", {class: "sides"}, side("marketing", last), side("it", last));
  card.append(sides);
  if (last.voters.unknown) card.append(side("unknown", last));
  if (d.shift) {
    const [a, b] = d.shift_between;
    const table = el("table", {class: "shift"}, el("tr", {},
      el("th", {}, `shift, vote ${a} → ${b}`), el("th", {}, "Marketing"), el("th", {}, "IT")));
    for (const option of Object.keys(d.shift.marketing)) {
      const cell = (v) => el("td", {class: v > 0 ? "shift-up" : v < 0 ? "shift-down" : ""},
        `${v > 0 ? "+" : ""}${v} pts`);
      table.append(el("tr", {"data-option": option}, el("td", {}, option),
        cell(d.shift.marketing[option]), cell(d.shift.it[option])));
    }
    card.append(table, el("p", {class: "muted"},
      `changed their answer: Marketing ${d.changed.marketing}, IT ${d.changed.it}`));
  }
  return card;
}
function draw(f) {
  current = f;
  document.getElementById("code").textContent = f.room;
  document.getElementById("who").textContent =
    `${f.learners} joined · Marketing ${f.roles.marketing} · IT ${f.roles.it}`;
  document.getElementById("names").textContent =
    f.names_on ? "Names are on: turn off" : "Names are off: turn on";
  document.getElementById("names").onclick = () => control(f.names_on ? "names_off" : "names_on");
  const decisions = document.getElementById("decisions");
  decisions.replaceChildren(...(f.decisions.length ? f.decisions.map(decision)
    : [el("p", {class: "muted"}, "No decision answered yet.")]));
  const p = f.progress, table = el("table", {}, el("tr", {}, el("th", {}, "module"),
    el("th", {}, "Marketing"), el("th", {}, "IT"), el("th", {}, "no role")));
  for (const m of p.modules) table.append(el("tr", {class: m.scheduled ? "now" : ""},
    el("td", {}, `${m.module} ${m.title}${m.scheduled ? " ← the schedule is here" : ""}`),
    el("td", {}, m.at.marketing), el("td", {}, m.at.it), el("td", {}, m.at.unknown)));
  const block = p.block ? `${p.block.start}–${p.block.end}: ${p.block.kind} ${p.block.module || ""}`
    : "outside the day's schedule";
  document.getElementById("progress").replaceChildren(
    el("p", {}, `${p.clock || ""} · ${block} · behind the schedule: ${p.behind}`), table);
  const s = f.stuck;
  const stuck = el("p", {}, el("b", {style: "font-size:32px"}, s.count),
    ` stuck (Marketing ${s.by_role.marketing}, IT ${s.by_role.it})`);
  const who = s.who ? [el("p", {class: "who"}, s.who.join(", "))] : [];
  document.getElementById("stuck").replaceChildren(stuck, ...who);
  const checks = el("table", {}, el("tr", {}, el("th", {}, "check"), el("th", {}, "passed"),
    el("th", {}, "Marketing"), el("th", {}, "IT")));
  for (const c of f.checks) checks.append(el("tr", {}, el("td", {}, c.check),
    el("td", {}, `${c.passed} of ${c.tried} (${c.percent}%)`),
    el("td", {}, `${c.passed_by_role.marketing}/${c.tried_by_role.marketing}`),
    el("td", {}, `${c.passed_by_role.it}/${c.tried_by_role.it}`)));
  document.getElementById("checks").replaceChildren(checks);
}
let poller = null;
async function poll() {
  const priv = document.getElementById("private").checked ? "1" : "";
  const answer = await fetch(`api/figures?${auth()}&private=${priv}`);
  if (answer.ok) {
    draw(await answer.json());
    document.getElementById("status").textContent = "live (polling)";
  }
}
function connect() {
  // server-sent events; a proxy that holds the stream back (some do) falls back to polling
  if (source) source.close();
  if (poller) { clearInterval(poller); poller = null; }
  const priv = document.getElementById("private").checked ? "1" : "";
  let heard = false;
  source = new EventSource(`api/stream?${auth()}&private=${priv}`);
  source.onmessage = (message) => {
    heard = true;
    draw(JSON.parse(message.data));
    document.getElementById("status").textContent = "live";
  };
  source.onerror = () => { document.getElementById("status").textContent = "reconnecting…"; };
  setTimeout(() => {
    if (heard) return;
    source.close();
    poll();
    poller = setInterval(poll, 1000);
  }, 3000);
}
document.getElementById("private").onchange = connect;
connect();
</script></body></html>"""
