// Draws the dashboard from /api/dashboard as SVG charts. No library, no network beyond
// this server: everything the page needs ships with the package.
"use strict";

const NS = "http://www.w3.org/2000/svg";
const COLORS = {
  done: "#43a047", extracted: "#90caf9", pending: "#cfd8dc", partial: "#ffb300",
  failed: "#e53935", quality_blocked: "#8e24aa", skipped: "#eceff1",
  closed: "#43a047", open: "#e53935", half_open: "#ffb300",
};

function el(name, attrs = {}, text) {
  const node = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function svg(width, height) {
  return el("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img" });
}

function empty(target, text) {
  const p = document.createElement("p");
  p.className = "empty";
  p.textContent = text;
  target.replaceChildren(p);
}

function drawRuns(target, runs) {
  if (!runs.length) return empty(target, "no runs yet");
  const width = 900, row = 22, chart = svg(width, runs.length * row + 10);
  const most = Math.max(1, ...runs.map((run) => run.planned));
  runs.forEach((run, index) => {
    const y = index * row + 4;
    const group = el("g", {
      class: "run", "data-run-id": run.run_id, "data-status": run.status, "data-planned": run.planned,
      "data-done": run.done, "data-failed": run.failed, "data-pending": run.pending, "data-skipped": run.skipped,
    });
    group.append(el("text", { x: 0, y: y + 13 }, `run ${run.run_id} ${run.mode} · ${run.status}`));
    let x = 230;
    for (const [part, color] of [["done", COLORS.done], ["failed", COLORS.failed],
                                 ["pending", COLORS.pending], ["skipped", COLORS.skipped]]) {
      const w = (run[part] / most) * (width - 330);
      if (w > 0) {
        const bar = el("rect", { x, y, width: w, height: row - 6, fill: color, "data-part": part });
        bar.append(el("title", {}, `${part}: ${run[part]}`));
        group.append(bar);
      }
      x += w;
    }
    group.append(el("text", { x: x + 6, y: y + 13 }, `${run.done}/${run.planned} done`));
    chart.append(group);
  });
  target.replaceChildren(chart);
}

function drawLegend(target) {
  target.replaceChildren(...["done", "extracted", "pending", "partial", "failed", "quality_blocked"].map((state) => {
    const item = document.createElement("span");
    item.className = "legend-item";
    const swatch = document.createElement("i");
    swatch.style.background = COLORS[state];
    item.append(swatch, state.replace("_", "-"));
    return item;
  }));
}

function drawCalendar(target, calendar) {
  if (!calendar.length) return empty(target, "no partitions planned yet");
  const blocks = calendar.map((run) => {
    const days = run.partitions.map((cell) => ({ ...cell, day: new Date(cell.date + "T00:00:00Z") }));
    const first = days[0].day, start = new Date(first.getTime() - first.getUTCDay() * 86400000);
    const weeks = Math.floor((days[days.length - 1].day - start) / (7 * 86400000)) + 1;
    const size = 16, chart = svg(Math.max(200, 110 + weeks * (size + 2)), 7 * (size + 2) + 40);
    chart.setAttribute("class", "calendar");
    chart.setAttribute("data-run-id", run.run_id);
    chart.append(el("text", { x: 0, y: 12 }, `run ${run.run_id}`));
    chart.append(el("text", { x: 0, y: 28 }, `${run.partitions[0].date} →`));
    chart.append(el("text", { x: 0, y: 44 }, run.partitions[run.partitions.length - 1].date));
    ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].forEach((name, day) => {
      if (day % 2) chart.append(el("text", { x: 72, y: 32 + day * (size + 2) }, name));
    });
    for (const cell of days) {
      const offset = Math.round((cell.day - start) / 86400000);
      const rect = el("rect", {
        class: "cell", x: 100 + Math.floor(offset / 7) * (size + 2), y: 18 + (offset % 7) * (size + 2),
        width: size, height: size, rx: 2, fill: COLORS[cell.state] || "#000",
        "data-date": cell.date, "data-state": cell.state,
      });
      rect.append(el("title", {}, `${cell.date}: ${cell.state}`));
      chart.append(rect);
    }
    return chart;
  });
  target.replaceChildren(...blocks);
}

function drawLine(target, points, key, label) {
  if (!points.length) return empty(target, "no jobs in the last hour");
  const width = 420, height = 160, left = 40, bottom = 20, chart = svg(width, height);
  const most = Math.max(1, ...points.map((point) => point[key]));
  const x = (i) => left + (i / Math.max(1, points.length - 1)) * (width - left - 10);
  const y = (v) => height - bottom - (v / most) * (height - bottom - 10);
  chart.append(el("line", { class: "axis", x1: left, y1: height - bottom, x2: width - 10, y2: height - bottom }));
  chart.append(el("line", { class: "axis", x1: left, y1: 10, x2: left, y2: height - bottom }));
  chart.append(el("text", { x: 2, y: 16 }, most.toFixed(most < 10 ? 1 : 0)));
  chart.append(el("text", { x: 2, y: height - bottom }, "0"));
  const first = new Date(points[0].sampled_at), last = new Date(points[points.length - 1].sampled_at);
  chart.append(el("text", { x: left, y: height - 4 }, first.toLocaleTimeString()));
  chart.append(el("text", { x: width - 70, y: height - 4 }, last.toLocaleTimeString()));
  const path = points.map((point, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(point[key]).toFixed(1)}`).join(" ");
  chart.append(el("path", { d: path, fill: "none", stroke: "#1e88e5", "stroke-width": 2, "data-series": label }));
  target.replaceChildren(chart);
}

function drawBars(target, items, emptyText) {
  if (!items.length) return empty(target, emptyText);
  const width = 420, row = 22, chart = svg(width, items.length * row + 6);
  const most = Math.max(1, ...items.map((item) => item.value));
  items.forEach((item, index) => {
    const y = index * row + 3, group = el("g", item.attrs || {});
    group.append(el("text", { x: 0, y: y + 13 }, item.label));
    group.append(el("rect", { x: 170, y, width: Math.max(2, (item.value / most) * (width - 230)),
                              height: row - 6, fill: item.color || "#1e88e5" }));
    group.append(el("text", { x: 175 + (item.value / most) * (width - 230), y: y + 13 }, String(item.value)));
    chart.append(group);
  });
  target.replaceChildren(chart);
}

function drawBreakers(target, sources) {
  if (!sources.length) return empty(target, "no requests yet");
  const chart = svg(420, sources.length * 30 + 6);
  sources.forEach((source, index) => {
    const y = index * 30 + 4;
    const group = el("g", { class: "breaker", "data-source": source.source, "data-state": source.state });
    group.append(el("circle", { cx: 10, cy: y + 10, r: 8, fill: COLORS[source.state] || "#000" }));
    group.append(el("text", { x: 26, y: y + 14 },
      `${source.source}: ${source.state.replace("_", "-")} · ${source.consecutive_failures} failures · ` +
      `${source.tokens === null ? "-" : source.tokens.toFixed(1)} tokens`));
    chart.append(group);
  });
  target.replaceChildren(chart);
}

function drawQuality(target, trend) {
  if (!trend.length) return empty(target, "no checks ran yet");
  const runs = [...trend].reverse(), width = 420, height = 160, chart = svg(width, height);
  const most = Math.max(1, ...runs.map((run) => run.errors_failed + run.warnings));
  const w = Math.min(40, (width - 20) / runs.length - 4);
  runs.forEach((run, index) => {
    const x = 10 + index * (w + 4), errors = (run.errors_failed / most) * 120, warns = (run.warnings / most) * 120;
    const group = el("g", { class: "quality-run", "data-run-id": run.run_id, "data-errors": run.errors_failed,
                            "data-warnings": run.warnings });
    group.append(el("rect", { x, y: 135 - errors, width: w, height: Math.max(errors, 1), fill: COLORS.failed }));
    group.append(el("rect", { x, y: 135 - errors - warns, width: w, height: warns, fill: COLORS.partial }));
    group.append(el("text", { x, y: 152 }, run.run_id === null ? "–" : String(run.run_id)));
    chart.append(group);
  });
  target.replaceChildren(chart);
}

function drawFreshness(target, rows) {
  const known = rows.filter((row) => row.freshness_seconds !== null);
  drawBars(target, known.map((row) => ({
    label: `${row.source} (${row.newest_final_date})`, value: +(row.freshness_seconds / 3600).toFixed(2),
    attrs: { class: "freshness", "data-source": row.source }, color: "#00897b",
  })), "no final game landed yet");
}

async function refresh() {
  const response = await fetch("/api/dashboard", { cache: "no-store" });
  const data = await response.json();
  document.getElementById("generated").textContent = `as of ${new Date(data.generated_at).toLocaleString()}`;
  const failing = data.runs.filter((run) => run.status === "failed").length;
  const line = document.getElementById("status-line");
  line.textContent = `${data.runs.length} recent runs, ${failing} failed`;
  line.className = failing ? "bad" : "good";
  drawRuns(document.getElementById("runs"), data.runs);
  drawLegend(document.getElementById("legend"));
  drawCalendar(document.getElementById("calendar"), data.calendar);
  drawLine(document.getElementById("queue"), data.timeline, "queued", "queue");
  drawLine(document.getElementById("requests"), data.timeline, "requests_per_second", "requests");
  drawBars(document.getElementById("dead-letters"), data.dead_letters.map((row) => ({
    label: `${row.endpoint} · ${row.error_class}`, value: row.open_letters, color: COLORS.failed,
    attrs: { class: "dead-letter", "data-open": row.open_letters },
  })), "no open dead letters");
  drawBreakers(document.getElementById("breakers"), data.sources);
  drawQuality(document.getElementById("quality"), data.quality);
  drawFreshness(document.getElementById("freshness"), data.freshness);
  document.body.setAttribute("data-loaded", "true");
}

refresh().catch((error) => { document.getElementById("generated").textContent = `error: ${error}`; });
setInterval(() => refresh().catch(() => {}), 15000);
