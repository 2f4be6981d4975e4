// Correlator's SRE page: a hash-routed view over the HTTP API. No build step; uPlot draws the charts.
"use strict";

const main = document.getElementById("main");
const esc = s => String(s ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
const when = t => t ? new Date(t).toISOString().replace("T", " ").replace(/:\d\d\.\d+Z$|:\d\dZ$/, "Z") : "–";
const num = n => Number(n).toLocaleString("en-US");
const conf = c => `<span class="conf"><span class="bar"><i style="width:${Math.round(c * 100)}%"></i></span>${Number(c).toFixed(2)}</span>`;
const status = s => `<span class="status ${esc(s)}">${esc(s)}</span>`;
const link = (kind, id, text) => `<a href="#/${kind}/${encodeURIComponent(id)}">${esc(text ?? id)}</a>`;
const minute = t => Math.floor(new Date(t).getTime() / 60000) * 60;

class ApiError extends Error { constructor(status, detail) { super(detail); this.status = status; } }

async function api(path, options = {}) {
  const headers = { "Accept": "application/json", ...(options.body ? { "Content-Type": "application/json" } : {}) };
  const key = localStorage.getItem("correlator.apiKey");
  if (key) headers["X-Api-Key"] = key;
  const response = await fetch(path, { ...options, headers });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, body?.detail ?? body?.title ?? response.statusText);
  return body;
}

function failed(e) {
  if (e.status === 401 || e.status === 403) {
    main.innerHTML = `<div class="card"><h1>API key needed</h1><p class="muted">${esc(e.message)}</p>
      <form id="key" class="actions"><input type="password" name="key" placeholder="API key" autocomplete="off"><button class="primary">Use key</button></form></div>`;
    document.getElementById("key").onsubmit = ev => { ev.preventDefault(); localStorage.setItem("correlator.apiKey", ev.target.key.value); route(); };
    return;
  }
  main.innerHTML = `<div class="card error"><h1>${e.status === 404 ? "Not found" : "Something went wrong"}</h1><p>${esc(e.message)}</p><p><a href="#/">All findings</a></p></div>`;
}

// ---- Findings list -------------------------------------------------------------------------------
const plural = (n, one, many) => `${num(n)} ${n === 1 ? one : many}`;
const impact = f => [f.crashes ? plural(f.crashes, "crash", "crashes") : "", f.hosts ? plural(f.hosts, "host", "hosts") : "",
  f.serviceRegions ? plural(f.serviceRegions, "service region", "service regions") : ""].filter(Boolean).map(x => `<div>${x}</div>`).join("");
async function findings(params) {
  const q = new URLSearchParams({ pageSize: "100" });
  for (const k of ["status", "asOf", "vendor"]) if (params.get(k)) q.set(k, params.get(k));
  const page = await api(`/api/findings?${q}`);
  const rows = page.items.map(f => `
    <tr data-finding="${esc(f.findingId)}">
      <td>${link("findings", f.findingId, `${f.vendor} ${f.product} ${f.version}`)}<div class="muted mono">${esc(f.updateId)}</div></td>
      <td>${status(f.status)}</td>
      <td>${conf(f.confidence)}</td>
      <td class="num impact">${impact(f)}</td>
      <td>${f.signatures.slice(0, 3).map(s => `<div><code>${esc(s.signature)}</code> <span class="muted">${num(s.crashes)} crashes, ${num(s.hosts)} hosts</span></div>`).join("")}
          ${f.services.slice(0, 4).map(s => `<div>${esc(s.service)} <span class="muted">${esc(s.region)} ${esc(s.status.replace("_", " "))}</span></div>`).join("")}
          ${f.services.length > 4 ? `<div class="muted">and ${f.services.length - 4} more service regions</div>` : ""}</td>
      <td class="mono">${when(f.detectedAt)}</td>
    </tr>`).join("");
  main.innerHTML = `
    <div id="overview"></div>
    <h1>Suspected updates</h1>
    <p class="muted">${page.total} finding(s)${params.get("asOf") ? ` as the engine saw them at ${esc(params.get("asOf"))}` : ""}, most confident first; at equal confidence, most crashes, hosts, then degraded service regions first.</p>
    <form class="filters" id="filters">
      <label>Status <select name="status"><option value="">any</option>${["suspected", "confirmed", "resolved", "dismissed"].map(s => `<option ${params.get("status") === s ? "selected" : ""}>${s}</option>`).join("")}</select></label>
      <label>As of (event time) <input name="asOf" placeholder="2024-07-19T05:00:00Z" value="${esc(params.get("asOf") ?? "")}"></label>
      <button>Apply</button>
    </form>
    <table id="findings"><thead><tr><th>Suspected update</th><th>Status</th><th>Confidence</th><th class="num">Impact</th><th>Failures it explains</th><th>Detected</th></tr></thead>
      <tbody>${rows || `<tr><td colspan="6" class="muted">No findings.</td></tr>`}</tbody></table>`;
  if (!params.get("asOf")) await overview(document.getElementById("overview"));
  document.getElementById("filters").onsubmit = ev => {
    ev.preventDefault();
    const p = new URLSearchParams([...new FormData(ev.target)].filter(([, v]) => v));
    location.hash = `#/?${p}`;
  };
}

// ---- Overview: every finding of the window as a lane, markers in the lanes, regions where two overlap ---------------
const svgNs = "http://www.w3.org/2000/svg";
const markerColors = { release: "#101828", recall: "#2e7d32", detection: "#b26a00", resolved: "#2f5fd0", dismissed: "#667085" };
const markerWords = { release: "released", recall: "recalled", detection: "detected", resolved: "resolved", dismissed: "dismissed" };
let measureCtx;
function textWidth(text, px = 11) {
  measureCtx ??= document.createElement("canvas").getContext("2d");
  measureCtx.font = `${px}px system-ui`;
  return measureCtx.measureText(text).width;
}

// Places labels left to right in rows: a label goes in the first row where it clears the one before it; when no row
// has room it is pushed right in the row that frees up first. Returns [{x, row}] in the input's order.
function placeLabels(items, rows, gap = 6) {
  const ends = new Array(rows).fill(-Infinity);
  return items.map(it => {
    let row = ends.findIndex(e => it.x >= e + gap);
    let x = it.x;
    if (row < 0) { row = ends.indexOf(Math.min(...ends)); x = ends[row] + gap; }
    ends[row] = x + it.width;
    return { x, row };
  });
}

function svg(tag, attrs, text) {
  const el = document.createElementNS(svgNs, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text != null) el.textContent = text;
  return el;
}

const degradedColors = { degraded: "#f2b84b", partial_outage: "#e07b00", major_outage: "#9c3d10" };

function overviewChart(el, o) {
  const width = Math.max(900, el.clientWidth), left = 250, right = 16, plotW = width - left - right;
  const t0 = new Date(o.from).getTime(), t1 = new Date(o.to).getTime();
  const x = t => left + (new Date(t).getTime() - t0) / (t1 - t0) * plotW;
  const labelRows = 3, rowH = 14, barsH = 44, head = 12 + labelRows * rowH;
  // A lane: marker labels, then crashes per minute, then one row per degraded service region, 7 px each up to 84 px
  // (the band takes the bars' place when the finding explains no crashes).
  const layout = o.lanes.map(lane => {
    const keys = [...new Set(lane.degradations.map(d => `${d.service}@${d.region}`))];
    const crashes = lane.perMinute.length > 0, bars = crashes || !keys.length ? barsH : 0;
    const band = keys.length ? Math.max(bars ? 0 : barsH, Math.min(keys.length * 7, 84)) : 0;
    return { keys, bars, band, height: head + bars + (bars && band ? 6 : 0) + band + 10 };
  });
  const tops = layout.reduce((acc, l, i) => [...acc, acc[i] + l.height], [0]);
  const root = svg("svg", { width, height: tops[o.lanes.length] + 28, role: "img", "aria-label": "Findings over time" });
  o.lanes.forEach((lane, i) => {
    const top = tops[i], { keys, bars, band, height: laneH } = layout[i];
    const g = svg("g", { class: "lane", "data-finding": lane.findingId, "data-degraded": lane.degradations.length });
    g.append(svg("rect", { x: 0, y: top, width, height: laneH, fill: i % 2 ? "#fff" : "#f9fafb" }));
    const name = svg("a", { href: `#/findings/${encodeURIComponent(lane.findingId)}` });
    name.append(svg("text", { x: 8, y: top + 20, class: "lane-name" }, lane.label.length > 34 ? lane.label.slice(0, 33) + "…" : lane.label));
    name.append(svg("title", {}, `${lane.label} (${lane.updateId})`));
    g.append(name);
    g.append(svg("text", { x: 8, y: top + 38, class: "lane-counts" },
      `${lane.status} · ${Number(lane.confidence).toFixed(2)} · ${num(lane.crashes)} crashes, ${num(lane.hosts)} hosts`));
    if (lane.serviceRegions) g.append(svg("text", { x: 8, y: top + 54, class: "lane-counts" }, `${plural(lane.serviceRegions, "service region", "service regions")} degraded`));
    const plotTop = top + head, bottom = top + laneH - 10;
    g.append(svg("rect", { x: x(lane.activeFrom), y: plotTop, width: Math.max(1, x(lane.activeTo) - x(lane.activeFrom)), height: bottom - plotTop, fill: "#c0362c10" }));
    if (bars) {
      const base = plotTop + bars, max = Math.max(1, ...lane.perMinute.map(p => p.count));
      const barW = Math.max(1, plotW / ((t1 - t0) / 60000));
      for (const p of lane.perMinute) {
        const h = Math.max(1, p.count / max * bars);
        g.append(svg("rect", { x: x(p.at), y: base - h, width: barW, height: h, fill: "#c0362c", class: "crashes" }));
      }
      g.append(svg("text", { x: width - right, y: plotTop + 10, "text-anchor": "end", class: "lane-counts" }, lane.perMinute.length ? `peak ${num(max)} crashes/min` : "no crashes in the window"));
    }
    if (band) {
      // One row per service region, the first to degrade on top: a rollout shows as a staircase.
      const row = Math.min(8, band / keys.length), bandTop = bottom - band;
      for (const d of lane.degradations) {
        const k = keys.indexOf(`${d.service}@${d.region}`);
        const rect = svg("rect", { x: x(d.from), y: bandTop + k * row, width: Math.max(1, x(d.to) - x(d.from)), height: Math.max(1, row - (row > 3 ? 1 : 0)),
          fill: degradedColors[d.status] ?? degradedColors.degraded, class: "degraded", "data-service": d.service, "data-region": d.region, "data-status": d.status });
        rect.append(svg("title", {}, `${d.service} in ${d.region}: ${d.status.replace("_", " ")} ${when(d.from)} to ${d.ongoing ? "the window's end (no recovery seen)" : when(d.to)}`));
        g.append(rect);
      }
    }
    const marks = lane.markers.filter(m => new Date(m.at).getTime() >= t0 && new Date(m.at).getTime() <= t1)
      .map(m => ({ ...m, text: `${markerWords[m.kind] ?? m.kind} ${when(m.at).slice(11)}`, x: x(m.at) }))
      .sort((a, b) => a.x - b.x);
    // A label that would run past the right edge ends at it instead (left of its line).
    const placed = placeLabels(marks.map(m => { const w = textWidth(m.text); return { x: Math.min(m.x + 3, width - right - w), width: w }; }), labelRows);
    marks.forEach((m, k) => {
      const color = markerColors[m.kind] ?? "#101828";
      // The line starts under the label rows, so no line crosses a label.
      g.append(svg("line", { x1: m.x, x2: m.x, y1: top + 8 + labelRows * rowH, y2: bottom, stroke: color, "stroke-width": 1.5, "stroke-dasharray": "4 3" }));
      const label = svg("text", { x: placed[k].x, y: top + 16 + placed[k].row * rowH, fill: color, class: "label", "data-kind": m.kind }, m.text);
      label.append(svg("title", {}, m.label));
      g.append(label);
    });
    root.append(g);
  });
  // Time axis: a tick every hour (or more) with labels at least 70 px apart.
  const hours = Math.max(1, Math.ceil(70 / (plotW / ((t1 - t0) / 3600000))));
  const axisY = tops[o.lanes.length];
  for (let t = Math.ceil(t0 / 3600000) * 3600000; t <= t1; t += hours * 3600000) {
    root.append(svg("line", { x1: x(t), x2: x(t), y1: axisY, y2: axisY + 5, stroke: "#98a2b3" }));
    const iso = new Date(t).toISOString();
    root.append(svg("text", { x: x(t), y: axisY + 18, "text-anchor": "middle", class: "label axis" }, iso.slice(11, 13) === "00" ? iso.slice(5, 10) : iso.slice(11, 16)));
  }
  el.innerHTML = "";
  el.append(root);
}

function regionView(o) {
  const lane = Object.fromEntries(o.lanes.map(l => [l.findingId, l]));
  return o.overlaps.map(ov => {
    const [a, b] = ov.findingIds.map(id => lane[id]);
    const max = Math.max(1, ...ov.regions.flatMap(r => r.findings.map(f => f.crashes)));
    const cell = f => `<td class="num">${num(f.crashes)}</td><td><span class="hbar" style="width:${Math.round(f.crashes / max * 160)}px"></span>
      ${f.services.length ? `<div class="muted">${plural(f.services.length, "service", "services")} degraded: ${f.services.slice(0, 4).map(esc).join(", ")}${f.services.length > 4 ? " …" : ""}</div>` : ""}</td>`;
    return `<div class="card region-view" data-findings="${esc(ov.findingIds.join(" "))}">
      <h2 style="margin-top:0">Where they overlap, ${when(ov.from)} to ${when(ov.to)}</h2>
      <p class="muted">Both findings were failing at the same time: crashes per region in that span, and the services degraded there.</p>
      <table><thead><tr><th>Region</th><th colspan="2">${esc(a.label)}</th><th colspan="2">${esc(b.label)}</th></tr></thead><tbody>
      ${ov.regions.map(r => `<tr data-region="${esc(r.region)}"><td>${esc(r.region)}</td>${r.findings.map(cell).join("")}</tr>`).join("")}
      </tbody></table></div>`;
  }).join("");
}

async function overview(el) {
  const o = await api("/api/overview");
  if (!o.lanes.length) { el.innerHTML = ""; return; }
  el.innerHTML = `<div class="card"><h2 style="margin-top:0">Overview, ${when(o.from)} to ${when(o.to)}</h2>
    <p class="muted">One lane per finding, shaded while it was failing: crashes per minute it explains (red), its degraded service regions
      (one row each, the first to degrade on top: <span class="swatch" style="background:${degradedColors.degraded}"></span> degraded,
      <span class="swatch" style="background:${degradedColors.partial_outage}"></span> partial outage, <span class="swatch" style="background:${degradedColors.major_outage}"></span> major outage),
      its release, detection, recall and resolution. Times are UTC event time.</p>
    <div id="overview-chart"></div></div><div id="regions">${regionView(o)}</div>`;
  overviewChart(document.getElementById("overview-chart"), o);
}

// ---- Chart: crashes per minute by signature against the update's marks ---------------------------
function chart(el, series, marks, from, to) {
  const xs = [];
  for (let t = minute(from); t <= minute(to); t += 60) xs.push(t);
  const index = new Map(xs.map((t, i) => [t, i]));
  const palette = ["#c0362c", "#2f5fd0", "#b26a00", "#2e7d32", "#7b3fa0", "#00838f", "#6d4c41", "#546e7a"];
  const ys = series.map(s => {
    const y = new Array(xs.length).fill(0);
    for (const p of s.perMinute) { const i = index.get(minute(p.at)); if (i !== undefined) y[i] += p.count; }
    return y;
  });
  const markPlugin = {
    hooks: {
      draw: u => {
        const ctx = u.ctx, dpr = devicePixelRatio;
        ctx.save();
        ctx.font = `${12 * dpr}px system-ui`;
        const shown = marks.map(m => ({ ...m, x: Math.round(u.valToPos(minute(m.at), "x", true)) }))
          .filter(m => m.x >= u.bbox.left && m.x <= u.bbox.left + u.bbox.width).sort((a, b) => a.x - b.x);
        const placed = placeLabels(shown.map(m => ({ x: m.x + 4 * dpr, width: ctx.measureText(m.label).width })), 3, 6 * dpr);
        el.dataset.labelBoxes = JSON.stringify(shown.map((m, i) => canvasBox(u, placed[i].x, u.bbox.top + 14 * placed[i].row * dpr, ctx.measureText(m.label).width, 14 * dpr)));
        shown.forEach((m, i) => {
          ctx.strokeStyle = m.color; ctx.lineWidth = 2 * dpr; ctx.setLineDash([6 * dpr, 4 * dpr]);
          ctx.beginPath(); ctx.moveTo(m.x, u.bbox.top); ctx.lineTo(m.x, u.bbox.top + u.bbox.height); ctx.stroke();
          ctx.setLineDash([]); ctx.fillStyle = m.color; ctx.textAlign = "left"; ctx.textBaseline = "alphabetic";
          ctx.fillText(m.label, placed[i].x, u.bbox.top + (12 + 14 * placed[i].row) * dpr);
        });
        ctx.restore();
      },
    },
  };
  el.innerHTML = "";
  const plot = new uPlot({
    width: Math.max(600, el.clientWidth), height: 320, plugins: [markPlugin],
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max) * 1.15] } },
    axes: [{ values: (u, splits) => splits.map(v => new Date(v * 1000).toISOString().slice(11, 16)) }, { label: "crashes / minute" }],
    series: [{ label: "UTC", value: (u, v) => v == null ? "–" : new Date(v * 1000).toISOString().slice(11, 16) }]
      .concat(series.map((s, i) => ({ label: s.label, stroke: palette[i % palette.length], width: 1.5, fill: palette[i % palette.length] + "22", points: { show: false } }))),
  }, [xs, ...ys], el);
  // What the chart shows, for people who read numbers and for tests.
  el.dataset.series = JSON.stringify(series.map((s, i) => ({ label: s.label, crashes: ys[i].reduce((a, b) => a + b, 0) })));
  el.dataset.marks = JSON.stringify(marks.map(m => ({ label: m.label, at: m.at })));
  return plot;
}

// A label drawn on a chart's canvas (device pixels), as a box in page CSS pixels: what the browser test checks for overlaps.
function canvasBox(u, x, y, width, height) {
  const r = u.over.getBoundingClientRect(), dpr = devicePixelRatio;
  const ox = r.left + window.scrollX - u.bbox.left / dpr, oy = r.top + window.scrollY - u.bbox.top / dpr;
  return { x: ox + x / dpr, y: oy + y / dpr, width: width / dpr, height: height / dpr };
}

function bySignature(update, signatures) {
  const merged = new Map();
  for (const s of update.failures.series) {
    if (signatures && !signatures.includes(s.signature)) continue;
    const m = merged.get(s.signature) ?? { label: s.signature, crashes: 0, perMinute: [] };
    m.crashes += s.crashes; m.perMinute.push(...s.perMinute);
    merged.set(s.signature, m);
  }
  return [...merged.values()].sort((a, b) => b.crashes - a.crashes);
}

function updateMarks(update, finding) {
  const marks = [];
  if (update.release) marks.push({ at: update.release.releasedAt, label: `released ${when(update.release.releasedAt).slice(11)}`, color: "#101828" });
  if (update.exposure.basis === "installations" && update.exposure.firstInstalledAt)
    marks.push({ at: update.exposure.firstInstalledAt, label: `first installation ${when(update.exposure.firstInstalledAt).slice(11)}`, color: "#2f5fd0" });
  if (finding) marks.push({ at: finding.detectedAt, label: `detected ${when(finding.detectedAt).slice(11)}`, color: "#b26a00" });
  if (update.recall) marks.push({ at: update.recall.recalledAt, label: `recalled ${when(update.recall.recalledAt).slice(11)}`, color: "#2e7d32" });
  return marks;
}

function chartRange(update, series) {
  const points = series.flatMap(s => s.perMinute.map(p => new Date(p.at).getTime()));
  const start = new Date(update.release?.releasedAt ?? update.failures.from).getTime();
  const last = Math.max(start, new Date(update.recall?.recalledAt ?? start).getTime(), ...points);
  const from = Math.min(start - 30 * 60000, ...points);
  return [new Date(from), new Date(Math.min(last + 30 * 60000, new Date(update.failures.to).getTime()))];
}

// ---- Finding page --------------------------------------------------------------------------------
function evidenceInWords(e) {
  const items = e.signatures.map(s => `<li><code>${esc(s.signature)}</code>: ${num(s.crashes)} crashes on ${num(s.hosts)} exposed hosts;
    ${s.unexposedHosts === 0 ? "no unexposed host crashed" : `${num(s.unexposedHosts)} unexposed hosts crashed too`};
    the rate went from ${fmt(s.rateBefore)} to ${fmt(s.rateAfter)} crashing hosts an hour${Number.isFinite(s.lift) ? ` (${num(Math.round(s.lift))}× the baseline)` : ""};
    the first failure came ${fmt(s.minutesFromExposureToFailure)} minutes after exposure${s.moduleMatch ? `; the faulting module <code>${esc(s.module)}</code> is one the update ships or affects` : ""}.</li>`);
  const services = e.services.map(s => `<li><b>${esc(s.service)}</b> in ${esc(s.region)} went ${esc(s.status.replace("_", " "))}
    ${fmt(s.minutesFromExposureToFailure)} minutes after exposure${s.namedByUpdate ? "; the update changes this service" : ""}${s.regionTargeted ? "; the update targets this region" : ""}.</li>`);
  return items.concat(services).join("");
}
const fmt = v => Number.isFinite(v) ? (Math.abs(v) >= 100 ? num(Math.round(v)) : Number(v).toFixed(Math.abs(v) < 10 ? 1 : 0)) : "–";

async function finding(id) {
  const view = await api(`/api/findings/${encodeURIComponent(id)}`);
  const f = view.current;
  const update = await api(`/api/updates/${encodeURIComponent(f.updateId)}`);
  const signatures = f.signatures.map(s => s.signature);
  const series = bySignature(update, signatures);
  // Why it is closed, when it is: the last resolution or dismissal and its reason.
  const closing = ["resolved", "dismissed"].includes(f.status) ? [...view.history].reverse().find(h => h.kind === f.status && h.reason) : null;
  main.innerHTML = `
    <p><a href="#/">← All findings</a></p>
    <h1>${esc(f.vendor)} ${esc(f.product)} ${esc(f.version)}</h1>
    <p>${status(f.status)} &nbsp; confidence ${conf(f.confidence)} &nbsp; <span class="muted mono">${esc(f.findingId)}</span> &nbsp; ${link("updates", f.updateId, "update details")}</p>
    <p class="explanation" id="explanation">${esc(f.explanation)}</p>
    ${closing ? `<p class="resolution" id="resolution"><b>${esc(closing.kind)} ${when(closing.at)}:</b> ${esc(closing.reason)}</p>` : ""}
    ${f.signatures.length ? `<div class="card"><h2 style="margin-top:0">Crashes per minute for the signatures it explains</h2><div id="chart"></div>
      <p class="chart-caption" id="chart-caption">${series.map(s => `${num(s.crashes)} × ${esc(s.label)}`).join(" · ")} Times are UTC event time.</p></div>` : ""}
    ${f.services.length ? `<div class="card" id="degradations"><h2 style="margin-top:0">Degraded service regions</h2><div id="degradations-chart"></div>
      <p class="chart-caption" id="degradations-caption">${f.signatures.length ? "" : "No crash signatures: this finding explains service degradations. "}One row per service region it names, the first to degrade on top
      (<span class="swatch" style="background:${degradedColors.degraded}"></span> degraded, <span class="swatch" style="background:${degradedColors.partial_outage}"></span> partial outage,
      <span class="swatch" style="background:${degradedColors.major_outage}"></span> major outage); hover a span for its times. Times are UTC event time.</p></div>` : ""}
    <h2>Evidence</h2>
    <div class="card"><dl class="facts">
      <dt>Released</dt><dd>${when(f.evidence.releasedAt)}${f.evidence.recalledAt ? `, recalled ${when(f.evidence.recalledAt)}` : ""}</dd>
      <dt>Exposure</dt><dd>${esc(f.evidence.exposureBasis)}</dd>
      <dt>First failure</dt><dd>${when(f.firstFailureAt)}</dd>
      <dt>Detected</dt><dd>${when(view.detectedAt)}</dd>
      ${f.services.length ? `<dt>Services</dt><dd>${f.services.map(s => `${esc(s.service)} (${esc(s.region)}) ${esc(s.status.replace("_", " "))}`).join(", ")}</dd>` : ""}
      <dt>Prior → posterior</dt><dd>${Number(f.evidence.priorProbability).toFixed(3)} → ${Number(f.evidence.posterior).toFixed(3)}</dd>
    </dl><ul class="evidence">${evidenceInWords(f.evidence)}</ul></div>
    <div class="card" id="blast"></div>
    <div class="card" id="rollout"></div>
    <h2>History</h2>
    <table id="history"><thead><tr><th>At (event time)</th><th>What</th><th>Status</th><th class="num">Confidence</th><th>Why</th></tr></thead><tbody>
      ${view.history.map(h => `<tr data-kind="${esc(h.kind)}"><td class="mono">${when(h.at)}</td><td>${esc(h.kind)}</td><td>${status(h.status)}</td><td class="num">${Number(h.confidence).toFixed(2)}</td>
        <td>${esc(h.reason ?? "")}${h.note ? `<div class="muted">note: ${esc(h.note)}</div>` : ""}</td></tr>`).join("")}
    </tbody></table>
    <h2>Verdict</h2>
    <form class="actions card" id="feedback"><input name="note" placeholder="Note for the incident record"><button value="confirm">Confirm</button><button value="dismiss">Dismiss</button><button value="resolve">Resolve</button><span id="feedback-result" class="muted"></span></form>`;
  if (series.length) {
    const [from, to] = chartRange(update, series);
    chart(document.getElementById("chart"), series, updateMarks(update, view), from, to);
  }
  if (f.services.length) await degradationLane(document.getElementById("degradations-chart"), view);
  await Promise.all([blastRadius(document.getElementById("blast"), id), rolloutView(document.getElementById("rollout"), f.updateId)]);
  document.getElementById("feedback").onsubmit = async ev => {
    ev.preventDefault();
    const action = ev.submitter.value;
    try {
      await api(`/api/findings/${encodeURIComponent(id)}/${action}`, { method: "POST", body: JSON.stringify({ note: ev.target.note.value }) });
      document.getElementById("feedback-result").textContent = `${action} recorded; the engine will update the finding shortly.`;
    } catch (e) { document.getElementById("feedback-result").textContent = e.message; }
  };
}

// The finding's lane of the overview, around its release and failures: its service regions' degraded spans and its
// markers (its crashes have their own chart above).
async function degradationLane(el, view) {
  const f = view.current, minute = 60000, t = v => new Date(v).getTime();
  const from = Math.min(t(f.evidence.releasedAt), t(f.firstFailureAt)) - 30 * minute;
  const to = Math.min(from + 7 * 24 * 60 * minute, Math.max(t(view.updatedAt), f.evidence.recalledAt ? t(f.evidence.recalledAt) : 0, from + 60 * minute) + 60 * minute);
  const o = await api(`/api/overview?from=${encodeURIComponent(new Date(from).toISOString())}&to=${encodeURIComponent(new Date(to).toISOString())}`);
  const lane = o.lanes.find(l => l.findingId === f.findingId);
  if (!lane?.degradations.length) { el.innerHTML = `<p class="muted">No degraded status observed from ${when(o.from)} to ${when(o.to)}.</p>`; return; }
  overviewChart(el, { ...o, lanes: [{ ...lane, perMinute: [] }] });
}

// ---- Update page ---------------------------------------------------------------------------------
async function updatePage(id) {
  const u = await api(`/api/updates/${encodeURIComponent(id)}`);
  const r = u.release;
  const series = bySignature(u).slice(0, 6);
  const targets = r ? [["Platforms", r.platforms], ["Regions", r.targets.regions], ["Fleets", r.targets.fleets], ["Services", r.targets.services],
    ["OS versions", r.targets.osVersions], ["Affects", r.affects], ["Ships", r.artifacts.map(a => a.name)]].filter(([, v]) => v?.length) : [];
  main.innerHTML = `
    <p><a href="#/">← All findings</a></p>
    <h1>${r ? `${esc(r.vendor)} ${esc(r.product)} ${esc(r.version)}` : esc(u.updateId)}</h1>
    <p class="muted mono">${esc(u.updateId)}</p>
    <div class="card"><dl class="facts">
      <dt>Released</dt><dd>${r ? `${when(r.releasedAt)} (${esc(r.kind ?? "kind unknown")}, ${r.manifests} manifest(s))` : "no release manifest seen"}</dd>
      ${u.recall ? `<dt>Recalled</dt><dd>${when(u.recall.recalledAt)} ${esc(u.recall.reason)}</dd>` : ""}
      ${targets.map(([k, v]) => `<dt>${k}</dt><dd>${v.map(x => `<code>${esc(x)}</code>`).join(", ")}</dd>`).join("")}
      <dt>Exposure</dt><dd>${u.exposure.basis === "installations" ? `${num(u.exposure.installedHosts)} hosts installed it, ${when(u.exposure.firstInstalledAt)} to ${when(u.exposure.lastInstalledAt)}` : "every host the manifest targets (no installations reported)"}</dd>
    </dl></div>
    <div class="card" id="rollout"></div>
    <h2>Findings naming it</h2>
    ${u.findings.length ? u.findings.map(f => `<div class="card">${status(f.status)} ${conf(f.confidence)} ${link("findings", f.findingId)}<p>${esc(f.explanation)}</p></div>`).join("") : `<p class="muted">None.</p>`}
    <div class="card"><h2 style="margin-top:0">Crashes per minute, top signatures, ${when(u.failures.from)} to ${when(u.failures.to)}</h2><div id="chart"></div></div>
    <h2>Failures by signature and region</h2>
    <table><thead><tr><th>Signature</th><th>Region</th><th class="num">Crashes</th><th>First</th></tr></thead><tbody>
      ${u.failures.series.slice(0, 40).map(s => `<tr><td>${link("signatures", s.signature)}</td><td>${esc(s.region)}</td><td class="num">${num(s.crashes)}</td><td class="mono">${when(s.perMinute[0]?.at)}</td></tr>`).join("")}
    </tbody></table>
    ${u.exposure.hosts.length ? `<h2>Hosts that installed it</h2><p>${u.exposure.hosts.slice(0, 60).map(h => link("hosts", h.hostId)).join(" ")}${u.exposure.installedHosts > 60 ? " …" : ""}</p>` : ""}`;
  if (series.length) {
    const [from, to] = chartRange(u, series);
    chart(document.getElementById("chart"), series, updateMarks(u), from, to);
  } else document.getElementById("chart").innerHTML = `<p class="muted">No crashes from ${when(u.failures.from)} to ${when(u.failures.to)}.</p>`;
  await rolloutView(document.getElementById("rollout"), id);
}

// ---- Rollout view: waves over time, exposed vs failing per wave, the gate before each ----------------
const decision = d => `<span class="status gate-${esc(d)}">${esc(d)}</span>`;

async function rolloutView(el, updateId) {
  const g = await api(`/api/rollouts/${encodeURIComponent(updateId)}/gate`);
  el.innerHTML = `
    <h2 style="margin-top:0">Rollout gate ${decision(g.decision)} <span class="muted">confidence ${Number(g.confidence).toFixed(2)}, as of ${when(g.asOf)}</span></h2>
    <p id="gate" data-decision="${esc(g.decision)}">${g.reasons.map(r => esc(r)).join("<br>")}</p>
    <p class="muted">${num(g.exposed)} exposed hosts (${esc(g.evidence.exposureBasis)}), ${num(g.failingExposed)} failed after exposure ·
      likelihood ratio ${fmt(g.evidence.likelihoodRatio)} (stops at ${fmt(g.evidence.stopThreshold)}) · ${esc(g.evidence.test)}</p>
    <div id="rollout-chart"></div>
    <table id="waves"><thead><tr><th>Wave</th><th>Starts (UTC)</th><th class="num">Percent</th><th class="num">Exposed before</th><th class="num">Newly exposed</th><th class="num">Of those failing</th><th>Gate before it</th><th>Why</th></tr></thead><tbody>
      ${g.waves.map(w => `<tr data-wave="${w.wave}" data-decision="${esc(w.decision)}"><td>${w.wave}</td><td class="mono">${when(w.startsAt)}</td>
        <td class="num">${w.percent == null ? "–" : `${w.percent} %`}</td><td class="num">${num(w.exposedBefore)}</td><td class="num">${num(w.newlyExposed)}</td>
        <td class="num">${num(w.newlyExposedFailing)}</td><td>${decision(w.decision)}</td><td class="muted">${esc(w.reason)}</td></tr>`).join("")}
    </tbody></table>`;
  const chartEl = document.getElementById("rollout-chart");
  chartEl.dataset.waves = JSON.stringify(g.waves.map(w => ({ wave: w.wave, startsAt: w.startsAt, newlyExposed: w.newlyExposed, newlyExposedFailing: w.newlyExposedFailing, decision: w.decision })));
  if (!g.waves.length) return g;
  const xs = g.waves.map(w => new Date(w.startsAt).getTime() / 1000);
  const colors = { go: "#2e7d32", hold: "#b26a00", stop: "#c0362c" };
  const gateMarks = {
    hooks: {
      draw: u => {
        const ctx = u.ctx, dpr = devicePixelRatio;
        ctx.save();
        ctx.font = `${12 * dpr}px system-ui`;
        ctx.textAlign = "left"; ctx.textBaseline = "alphabetic"; // uPlot leaves the axes' alignment on the context
        const labels = g.waves.map((w, i) => ({ text: `wave ${w.wave}: ${w.decision}`, color: colors[w.decision] ?? "#101828", x: Math.round(u.valToPos(xs[i], "x", true)) + 4 * dpr }));
        const placed = placeLabels(labels.map(l => ({ x: l.x, width: ctx.measureText(l.text).width })), 4, 6 * dpr);
        chartEl.dataset.labelBoxes = JSON.stringify(labels.map((l, i) => canvasBox(u, placed[i].x, u.bbox.top + 14 * placed[i].row * dpr, ctx.measureText(l.text).width, 14 * dpr)));
        labels.forEach((l, i) => { ctx.fillStyle = l.color; ctx.fillText(l.text, placed[i].x, u.bbox.top + (12 + 14 * placed[i].row) * dpr); });
        ctx.restore();
      },
    },
  };
  // Room either side of the first and last wave, so one wave still has a time axis around it.
  const pad = Math.max(1800, (xs[xs.length - 1] - xs[0]) * 0.08);
  const bars = uPlot.paths?.bars ? uPlot.paths.bars({ size: [0.4, 60] }) : undefined;
  new uPlot({
    width: Math.max(600, chartEl.clientWidth), height: 260, plugins: [gateMarks],
    scales: { x: { time: true, auto: false, range: [xs[0] - pad, xs[xs.length - 1] + pad] }, y: { range: (u, min, max) => [0, Math.max(1, max) * 1.2] } },
    axes: [{ space: 110, values: (u, splits) => splits.map(v => new Date(v * 1000).toISOString().slice(5, 16).replace("T", " ")) }, { label: "hosts per wave" }],
    series: [{ label: "UTC", value: (u, v) => v == null ? "–" : new Date(v * 1000).toISOString().slice(0, 16) },
      { label: "newly exposed", stroke: "#2f5fd0", fill: "#2f5fd055", width: 1, paths: bars, points: { show: !bars } },
      { label: "of those failing", stroke: "#c0362c", fill: "#c0362c88", width: 1, paths: bars, points: { show: !bars } }],
  }, [xs, g.waves.map(w => w.newlyExposed), g.waves.map(w => w.newlyExposedFailing)], chartEl);
  return g;
}

// ---- Blast radius: what sets the failing hosts apart ---------------------------------------------
async function blastRadius(el, findingId) {
  const b = await api(`/api/findings/${encodeURIComponent(findingId)}/blast-radius`);
  el.innerHTML = `
    <h2 style="margin-top:0">Blast radius</h2>
    <p class="muted">${num(b.failingHosts)} exposed hosts failed with these signatures; ${num(b.referenceHosts)} exposed hosts did not
      (${num(b.exposedUndescribed)} more never reported a crash, so their attributes are unknown); ${num(b.notExposedHosts)} known hosts are not exposed.
      One-sided Fisher exact test per attribute, Bonferroni over ${num(b.attributesTested)}.</p>
    ${b.profile ? `<p id="at-risk"><b>${num(b.profile.notYetExposedSharing)}</b> hosts not yet exposed have ${b.profile.attributes.map(a => `<code>${esc(a)}</code>`).join(" and ")}, like ${num(b.profile.failingSharing)} of the failing hosts.</p>` : ""}
    <table id="blast-radius"><thead><tr><th>Attribute</th><th>Value</th><th class="num">Failing hosts</th><th class="num">Exposed, not failing</th><th class="num">p (adjusted)</th><th class="num">Not yet exposed sharing it</th></tr></thead><tbody>
      ${b.attributes.map(a => `<tr data-attribute="${esc(a.attribute)}=${esc(a.value)}"><td>${esc(a.attribute)}</td><td><code>${esc(a.value)}</code></td>
        <td class="num">${Math.round(a.failingShare * 100)} % (${num(a.failing)})</td><td class="num">${Math.round(a.referenceShare * 100)} % (${num(a.reference)})</td>
        <td class="num">${Number(a.adjustedPValue).toExponential(1)}</td><td class="num">${num(a.notYetExposedSharing)}</td></tr>`).join("") || `<tr><td colspan="6" class="muted">No attribute sets the failing hosts apart.</td></tr>`}
    </tbody></table>`;
}

// ---- Host and signature pages --------------------------------------------------------------------
async function hostPage(id) {
  const h = await api(`/api/hosts/${encodeURIComponent(id)}`);
  main.innerHTML = `
    <p><a href="#/">← All findings</a></p>
    <h1>${esc(h.hostId)}</h1>
    <p class="muted">${esc(h.platform)} ${esc(h.osVersion)} · region ${esc(h.region ?? "–")} · fleet ${esc(h.fleet ?? "–")} · ${h.crashes} crashes, ${h.installations} installations</p>
    <table id="timeline"><thead><tr><th>At (event time)</th><th>Event</th><th>Detail</th></tr></thead><tbody>
      ${h.timeline.map(e => `<tr><td class="mono">${when(e.at)}</td><td>${e.kind === "crash" ? `<span class="status confirmed">crash</span>` : `<span class="status">installed</span>`}</td>
        <td>${e.kind === "crash" ? link("signatures", e.signature) : link("updates", e.updateId)}</td></tr>`).join("")}
    </tbody></table>`;
}

async function signaturePage(id) {
  const s = await api(`/api/signatures/${encodeURIComponent(id)}`);
  main.innerHTML = `
    <p><a href="#/">← All findings</a></p>
    <h1><code>${esc(s.signature)}</code></h1>
    <p>${esc(s.description)} · ${num(s.crashes)} crashes on ${num(s.hosts)} hosts · first ${when(s.firstSeen)} · last ${when(s.lastSeen)}</p>
    <div class="card"><div id="chart"></div></div>
    <h2>Regions</h2><p>${Object.entries(s.regions).map(([r, n]) => `${esc(r)} ${num(n)}`).join(" · ")}</p>
    <h2>Hosts</h2><p>${s.hostIds.slice(0, 80).map(h => link("hosts", h)).join(" ")}${s.hosts > 80 ? " …" : ""}</p>`;
  chart(document.getElementById("chart"), [{ label: s.signature, perMinute: s.perMinute }], [], new Date(new Date(s.firstSeen).getTime() - 30 * 60000), new Date(new Date(s.lastSeen).getTime() + 30 * 60000));
}

// ---- Router --------------------------------------------------------------------------------------
async function route() {
  const [path, query] = location.hash.replace(/^#/, "").split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query ?? "");
  main.innerHTML = `<p class="muted">Loading…</p>`;
  try {
    if (parts[0] === "findings" && parts[1]) await finding(parts[1]);
    else if (parts[0] === "updates" && parts[1]) await updatePage(parts.slice(1).join("/"));
    else if (parts[0] === "hosts" && parts[1]) await hostPage(parts[1]);
    else if (parts[0] === "signatures" && parts[1]) await signaturePage(parts.slice(1).join("/"));
    else await findings(params);
    document.body.dataset.ready = location.hash || "#/";
  } catch (e) { failed(e); document.body.dataset.ready = "error"; }
}
window.addEventListener("hashchange", route);
route();
