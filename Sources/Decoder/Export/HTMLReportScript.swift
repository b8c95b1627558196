/// The scripts of ``HTMLReportWriter``'s page: shared helpers and the timeline here, the
/// statistics and histograms in `HTMLReportScript+Statistics.swift`. Plain ES2017, no library.
enum HTMLReportScript {
    static let timeline = #"""
        "use strict";
        const SVG = "http://www.w3.org/2000/svg";
        const data = JSON.parse(document.getElementById("trace-data").textContent);
        const calls = data.calls.map(c => ({ seq: c[0], t: c[1], d: c[2], tid: c[3], session: c[4],
          module: c[5], fn: c[6], rv: c[7], args: c[8], lane: c.length > 9 ? c[9] : c[3] }));
        const bySeq = new Map(calls.map(c => [c.seq, c]));

        function el(name, attributes, parent) {
          const node = document.createElementNS(SVG, name);
          for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
          if (parent) parent.appendChild(node);
          return node;
        }
        function formatNs(ns) {
          if (ns < 1e3) return ns.toFixed(0) + " ns";
          if (ns < 1e6) return (ns / 1e3).toPrecision(3) + " µs";
          if (ns < 1e9) return (ns / 1e6).toPrecision(3) + " ms";
          return (ns / 1e9).toPrecision(4) + " s";
        }
        function decadeLabel(ns) {
          const units = [[1e9, "s"], [1e6, "ms"], [1e3, "µs"], [1, "ns"]];
          const [size, unit] = units.find(([size]) => ns >= size) || units[3];
          return Math.round(ns / size) + " " + unit;
        }
        function isError(call) { return call.rv !== "CKR_OK"; }

        // Summary line.
        const threads = [...new Set(calls.map(c => c.tid))];
        // A lane per thread, or per job or calling library (export --by): the lane's name.
        const lanes = [...new Set(calls.map(c => c.lane))];
        const end = calls.reduce((m, c) => Math.max(m, c.t + c.d), 0);
        const errorCount = calls.filter(isError).length;
        document.title = "p11trace: " + (data.info.process || "pid " + data.info.pid);
        document.getElementById("summary").textContent = `${data.info.process || "?"} (pid ${data.info.pid}), ` +
          `started ${data.info.start_time}: ${calls.length} calls, ${errorCount} errors, ` +
          `${threads.length} thread${threads.length === 1 ? "" : "s"}, ${formatNs(end)}.`;

        // Timeline: one lane per thread, one bar per call.
        const LABEL = 130, AXIS = 26, LANE = 30, BAR = 18;
        const box = document.getElementById("timeline");
        const width = Math.max(600, box.clientWidth || 1200);
        const plot = width - LABEL - 10;
        const svg = el("svg", { width, height: AXIS + lanes.length * LANE, class: "timeline" }, box);
        el("rect", { x: LABEL, y: 0, width: plot, height: AXIS + lanes.length * LANE },
           el("clipPath", { id: "plot-clip" }, el("defs", {}, svg)));
        const axis = el("g", { class: "axis" }, svg);
        const laneGroup = el("g", { class: "lanes" }, svg);
        const full = { t0: 0, t1: Math.max(end, 1000) * 1.02 };
        let view = { ...full };
        const bars = [];
        lanes.forEach((key, index) => {
          const y = AXIS + index * LANE;
          const lane = el("g", { class: "lane", "data-lane": key }, laneGroup);
          el("rect", { class: "lane-bg", x: 0, y, width, height: LANE }, lane);
          const label = el("text", { class: "lane-label", x: 8, y: y + LANE / 2 + 4 }, lane);
          label.textContent = typeof key === "string" ? key : (key === data.info.pid ? "main " : "thread ") + key;
          const group = el("g", { class: "bars", "clip-path": "url(#plot-clip)" }, lane);
          for (const call of calls) {
            if (call.lane !== key) continue;
            const bar = el("rect", { class: isError(call) ? "bar error" : "bar", "data-seq": call.seq,
                                     y: y + (LANE - BAR) / 2, height: BAR }, group);
            bars.push([bar, call]);
          }
        });
        const xOf = t => LABEL + (t - view.t0) / (view.t1 - view.t0) * plot;
        function niceStep(span) {
          const raw = span / 8, power = Math.pow(10, Math.floor(Math.log10(raw)));
          return [1, 2, 5, 10].map(m => m * power).find(s => s >= raw);
        }
        function redraw() {
          for (const [bar, call] of bars) {
            const x = xOf(call.t), w = Math.max(1, xOf(call.t + call.d) - x);
            bar.setAttribute("x", x.toFixed(2));
            bar.setAttribute("width", w.toFixed(2));
          }
          axis.replaceChildren();
          const step = niceStep(view.t1 - view.t0);
          for (let t = Math.ceil(view.t0 / step) * step; t <= view.t1; t += step) {
            const x = xOf(t);
            el("line", { x1: x, x2: x, y1: AXIS - 6, y2: AXIS + lanes.length * LANE }, axis);
            el("text", { x: x + 3, y: AXIS - 10 }, axis).textContent = formatNs(t);
          }
        }
        function zoom(factor, at) {
          const span = view.t1 - view.t0, pivot = view.t0 + (at - LABEL) / plot * span;
          const next = Math.min(full.t1 - full.t0, Math.max(50, span * factor));
          view = { t0: pivot - (pivot - view.t0) * next / span };
          view.t1 = view.t0 + next;
          redraw();
        }
        svg.addEventListener("wheel", event => {
          event.preventDefault();
          const x = event.clientX - svg.getBoundingClientRect().left;
          zoom(event.deltaY < 0 ? 0.8 : 1.25, Math.max(LABEL, x));
        }, { passive: false });
        document.getElementById("zoom-in").onclick = () => zoom(0.5, LABEL + plot / 2);
        document.getElementById("zoom-out").onclick = () => zoom(2, LABEL + plot / 2);
        document.getElementById("zoom-reset").onclick = () => { view = { ...full }; redraw(); };
        let drag = null;
        svg.addEventListener("mousedown", event => {
          drag = { x: event.clientX, view: { ...view } };
          box.classList.add("dragging");
        });
        window.addEventListener("mousemove", event => {
          if (!drag) return;
          const shift = (event.clientX - drag.x) / plot * (drag.view.t1 - drag.view.t0);
          view = { t0: drag.view.t0 - shift, t1: drag.view.t1 - shift };
          redraw();
        });
        window.addEventListener("mouseup", () => { drag = null; box.classList.remove("dragging"); });

        // Tooltip: the decoded call.
        const tooltip = document.getElementById("tooltip");
        function showTooltip(call, x, y) {
          tooltip.replaceChildren();
          const title = document.createElement("div");
          title.className = isError(call) ? "tip-title error" : "tip-title";
          title.textContent = `#${call.seq} ${call.fn} → ${call.rv}`;
          const line = document.createElement("div");
          line.textContent = `start +${formatNs(call.t)}, took ${formatNs(call.d)} · thread ${call.tid}` +
            (call.session === null ? "" : ` · session ${call.session}`) + ` · ${call.module}`;
          const args = document.createElement("pre");
          args.className = "tip-args";
          args.textContent = call.args || "(no arguments)";
          tooltip.append(title, line, args);
          tooltip.hidden = false;
          const room = window.innerWidth - tooltip.offsetWidth - 8;
          tooltip.style.left = Math.max(4, Math.min(x + 12, room)) + "px";
          tooltip.style.top = Math.max(4, y + 14) + "px";
          tooltip.dataset.seq = call.seq;
        }
        function hideTooltip() { tooltip.hidden = true; }
        svg.addEventListener("mousemove", event => {
          const seq = event.target.getAttribute && event.target.getAttribute("data-seq");
          if (seq && !drag) showTooltip(bySeq.get(Number(seq)), event.clientX, event.clientY); else hideTooltip();
        });
        svg.addEventListener("mouseleave", hideTooltip);
        // report.html#hover=SEQ shows the tooltip of call SEQ (for tests and for links).
        function hoverFromHash() {
          const match = /hover=(\d+)/.exec(location.hash);
          const found = match && bars.find(([, call]) => call.seq === Number(match[1]));
          if (!found) return;
          const [bar, call] = found;
          // Zoom to the call and its neighbours: 1/30 of the trace, or more for a long call.
          const span = Math.min(full.t1 - full.t0, Math.max(call.d * 4, (full.t1 - full.t0) / 30));
          view = { t0: Math.max(full.t0, call.t + call.d / 2 - span / 2) };
          view.t1 = view.t0 + span;
          redraw();
          bar.classList.add("hovered");
          // Below the timeline, so that no lane is hidden.
          showTooltip(call, bar.getBoundingClientRect().left, box.getBoundingClientRect().bottom);
        }
        window.addEventListener("hashchange", hoverFromHash);
        redraw();

        """#
}
