extension HTMLReportScript {
    /// The statistics table and the latency histograms; runs after ``timeline`` (same scope).
    static let statistics = #"""
        // Statistics per function, computed here from the embedded calls. `p11trace stats` is the
        // reference for these numbers; percentiles here are nearest-rank over the durations.
        const byFunction = new Map();
        for (const call of calls) {
          if (!byFunction.has(call.fn)) byFunction.set(call.fn, []);
          byFunction.get(call.fn).push(call);
        }
        function percentile(sorted, p) {
          return sorted[Math.max(0, Math.ceil(p / 100 * sorted.length) - 1)];
        }
        const rows = [...byFunction].map(([fn, list]) => {
          const durations = list.map(c => c.d).sort((a, b) => a - b);
          const total = durations.reduce((sum, d) => sum + d, 0);
          return { fn, durations, calls: list.length, errors: list.filter(isError).length, total,
                   mean: total / list.length, p50: percentile(durations, 50), p90: percentile(durations, 90),
                   p99: percentile(durations, 99), max: durations[durations.length - 1] };
        }).sort((a, b) => b.total - a.total || a.fn.localeCompare(b.fn));
        const tbody = document.querySelector("#stats tbody");
        for (const row of rows) {
          const tr = document.createElement("tr");
          tr.className = "stat-row";
          tr.dataset.function = row.fn;
          const cells = [row.fn, row.calls, row.errors, formatNs(row.total), formatNs(row.mean), formatNs(row.p50),
                         formatNs(row.p90), formatNs(row.p99), formatNs(row.max)];
          cells.forEach((text, index) => {
            const td = document.createElement("td");
            td.textContent = text;
            if (index === 2 && row.errors > 0) td.className = "has-errors";
            tr.appendChild(td);
          });
          tbody.appendChild(tr);
        }

        // Latency histograms: four buckets per decade, the same range for every function.
        const PER_DECADE = 4;
        const bucketOf = d => Math.floor(Math.log10(Math.max(d, 1)) * PER_DECADE);
        const allBuckets = calls.map(c => bucketOf(c.d));
        const low = Math.min(...allBuckets.length ? allBuckets : [0]);
        const high = Math.max(...allBuckets.length ? allBuckets : [0]);
        const lowDecade = Math.floor(low / PER_DECADE) * PER_DECADE;
        const highDecade = Math.ceil((high + 1) / PER_DECADE) * PER_DECADE;
        const bucketCount = highDecade - lowDecade;
        const H_WIDTH = 300, H_HEIGHT = 130, H_LEFT = 34, H_BOTTOM = 18, H_TOP = 6;
        const container = document.getElementById("histograms");
        for (const row of rows) {
          const counts = new Array(bucketCount).fill(0);
          for (const d of row.durations) counts[bucketOf(d) - lowDecade] += 1;
          const most = Math.max(...counts);
          const figure = document.createElement("div");
          figure.className = "histogram-box";
          const heading = document.createElement("h3");
          heading.textContent = `${row.fn} (${row.calls})`;
          figure.appendChild(heading);
          const svg = el("svg", { class: "histogram", width: H_WIDTH, height: H_HEIGHT,
                                  "data-function": row.fn }, figure);
          const plotWidth = H_WIDTH - H_LEFT - 4, plotHeight = H_HEIGHT - H_TOP - H_BOTTOM;
          const slot = plotWidth / bucketCount;
          el("line", { x1: H_LEFT, x2: H_WIDTH - 4, y1: H_TOP + plotHeight, y2: H_TOP + plotHeight }, svg);
          el("text", { x: H_LEFT - 4, y: H_TOP + 8, "text-anchor": "end" }, svg).textContent = most;
          el("text", { x: H_LEFT - 4, y: H_TOP + plotHeight, "text-anchor": "end" }, svg).textContent = 0;
          counts.forEach((count, index) => {
            const from = Math.pow(10, (lowDecade + index) / PER_DECADE);
            const to = Math.pow(10, (lowDecade + index + 1) / PER_DECADE);
            if (index % PER_DECADE === 0) {
              el("text", { x: H_LEFT + index * slot, y: H_HEIGHT - 4, "text-anchor": "middle" }, svg)
                .textContent = decadeLabel(from);
            }
            if (count === 0) return;
            const height = Math.max(1, count / most * plotHeight);
            const bar = el("rect", { class: "hbar", x: H_LEFT + index * slot + 0.5, width: Math.max(1, slot - 1),
                                     y: H_TOP + plotHeight - height, height }, svg);
            el("title", {}, bar).textContent = `${formatNs(from)} – ${formatNs(to)}: ${count} call${count === 1 ? "" : "s"}`;
          });
          container.appendChild(figure);
        }
        hoverFromHash();

        """#
}
