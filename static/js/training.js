// A training's live page: polls status.json and draws the curves as plain SVG (no library).
(function () {
  "use strict";
  const root = document.getElementById("training");
  if (!root) return;
  const NS = "http://www.w3.org/2000/svg";
  const COLOURS = ["#2a6fdb", "#d9534f", "#3c9d5d"];
  const WATCHED = ["parallel_5ths_8ves_per_bar", "voice_crossings_per_bar", "in_scale_rate",
    "empty_bar_rate", "pitch_classes_per_bar", "frame_accuracy"];

  function el(name, attrs, text) {
    const node = document.createElementNS(NS, name);
    for (const key in attrs) node.setAttribute(key, attrs[key]);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // series: [{label, points: [[x, y]...]}]; reference: a dashed horizontal line (Bach).
  function draw(svg, series, reference, title) {
    const W = 640, H = 220, L = 48, R = 10, T = 22, B = 24;
    svg.replaceChildren();
    const all = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p[1]));
    if (!all.length) { svg.appendChild(el("text", { x: L, y: H / 2 }, "waiting for the first steps…")); return; }
    const xs = all.map((p) => p[0]), ys = all.map((p) => p[1]);
    if (Number.isFinite(reference)) ys.push(reference);
    let x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
    if (x1 === x0) x1 = x0 + 1;
    if (y1 === y0) { y0 -= 0.5; y1 += 0.5; }
    const sx = (x) => L + (x - x0) / (x1 - x0) * (W - L - R);
    const sy = (y) => H - B - (y - y0) / (y1 - y0) * (H - T - B);
    svg.appendChild(el("text", { x: L, y: 14, class: "title" }, title));
    svg.appendChild(el("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, class: "axis" }));
    svg.appendChild(el("line", { x1: L, y1: T, x2: L, y2: H - B, class: "axis" }));
    svg.appendChild(el("text", { x: 2, y: T + 8, class: "tick" }, y1.toPrecision(3)));
    svg.appendChild(el("text", { x: 2, y: H - B, class: "tick" }, y0.toPrecision(3)));
    svg.appendChild(el("text", { x: W - R - 60, y: H - 6, class: "tick" }, "step " + x1));
    if (Number.isFinite(reference)) {
      svg.appendChild(el("line", { x1: L, x2: W - R, y1: sy(reference), y2: sy(reference), class: "bach" }));
      svg.appendChild(el("text", { x: W - R - 34, y: sy(reference) - 4, class: "tick" }, "Bach"));
    }
    series.forEach((s, i) => {
      const d = s.points.filter((p) => Number.isFinite(p[1]))
        .map((p, j) => (j ? "L" : "M") + sx(p[0]).toFixed(1) + "," + sy(p[1]).toFixed(1)).join("");
      svg.appendChild(el("path", { d: d, fill: "none", stroke: COLOURS[i % 3], "stroke-width": 1.5 }));
      if (series.length > 1) svg.appendChild(el("text", { x: L + 8 + 150 * i, y: T + 12, fill: COLOURS[i % 3], class: "tick" }, s.label));
    });
  }

  function eta(seconds) {
    if (seconds === null || seconds === undefined) return "–";
    const m = Math.floor(seconds / 60), s = Math.round(seconds % 60);
    return m ? m + " min " + s + " s" : s + " s";
  }

  const metricCharts = {};
  function render(status) {
    const field = (name) => root.querySelector('[data-field="' + name + '"]');
    field("status").textContent = status.stopping ? "stopping" : status.status;
    field("step").textContent = status.step;
    field("seconds").textContent = Math.round(status.seconds);
    field("eta").textContent = eta(status.eta_seconds);
    field("device").textContent = status.device;
    field("progress").value = status.progress;
    if (status.status === "failed" || status.status === "cancelled") field("error").textContent = status.error;
    const losses = ["critic", "generator", "reconstruction"].map((label, i) => ({
      label: label, points: status.losses.map((p) => [p[0], p[i + 1]]),
    }));
    draw(root.querySelector('[data-chart="losses"]'), losses, NaN, "losses");
    const holder = root.querySelector('[data-chart="metrics"]');
    WATCHED.forEach((name) => {
      if (!metricCharts[name]) {
        metricCharts[name] = el("svg", { viewBox: "0 0 640 220", class: "chart small", role: "img", "aria-label": name });
        holder.appendChild(metricCharts[name]);
      }
      const points = status.metrics.map((r) => [r.step, r[name]]);
      draw(metricCharts[name], [{ label: name, points: points }], status.reference[name], name.replace(/_/g, " "));
    });
    const list = field("samples");
    if (status.samples_unchanged) return status.status === "queued" || status.status === "running";
    const base = root.dataset.sampleUrl;  // …/samples/0/audio/
    list.replaceChildren();
    status.samples.slice().reverse().forEach((s) => {
      const item = document.createElement("li");
      item.textContent = "step " + s.step + " ";
      const url = base.replace("/samples/0/", "/samples/" + s.step + "/");
      if (s.has_audio) {
        const audio = document.createElement("audio");
        audio.controls = true; audio.preload = "none"; audio.src = url;
        item.appendChild(audio);
      }
      const midi = document.createElement("a");
      midi.href = url.replace("/audio/", "/midi/"); midi.textContent = " MIDI";
      item.appendChild(midi);
      list.appendChild(item);
    });
    return status.status === "queued" || status.status === "running";
  }

  let shownSamples = -1;
  async function poll() {
    try {
      const response = await fetch(root.dataset.statusUrl, { headers: { Accept: "application/json" } });
      const status = await response.json();
      // Re-render the sample list only when it changes, so a playing sample keeps playing.
      if (status.samples.length === shownSamples) status.samples_unchanged = true;
      const going = render(status);
      shownSamples = status.samples.length;
      if (going) setTimeout(poll, 2000);
      // A run watched until it finished: reload once to show its model card.
      else if (root.dataset.initial === "active" && status.ready) location.reload();
    } catch (error) {
      setTimeout(poll, 5000);
    }
  }
  poll();
})();
