/// The page of ``HTMLReportWriter``: markup and style. The data and the scripts
/// (``HTMLReportScript``) follow it; the writer closes `body` and `html`.
enum HTMLReportTemplate {
    static let document = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="p11trace export --format html">
        <title>p11trace report</title>
        <style>
        \(style)
        </style>
        </head>
        <body>
        <header>
          <h1>p11trace report</h1>
          <p id="summary">Loading…</p>
        </header>
        <section id="timeline-section">
          <h2>Timeline</h2>
          <div class="toolbar">
            <button type="button" id="zoom-in" title="Zoom in">+</button>
            <button type="button" id="zoom-out" title="Zoom out">&minus;</button>
            <button type="button" id="zoom-reset" title="Show the whole trace">Reset</button>
            <span class="hint">Wheel: zoom &middot; drag: pan &middot; hover a call for its arguments.</span>
            <span class="legend"><span class="swatch ok"></span>CKR_OK <span class="swatch err"></span>error</span>
          </div>
          <div id="timeline"></div>
          <div id="tooltip" role="tooltip" hidden></div>
        </section>
        <section id="stats-section">
          <h2>Statistics per function</h2>
          <table id="stats">
            <thead><tr><th>Function</th><th>Calls</th><th>Errors</th><th>Total</th><th>Mean</th>
              <th>p50</th><th>p90</th><th>p99</th><th>Max</th></tr></thead>
            <tbody></tbody>
          </table>
        </section>
        <section id="histogram-section">
          <h2>Latency histograms</h2>
          <p class="hint">Calls per duration bucket (four buckets per decade, log scale).</p>
          <div id="histograms"></div>
        </section>

        """

    static let style = """
        :root { --ok: #3b7dd8; --err: #d62728; --fg: #1d2330; --muted: #6b7280; --line: #d9dde3; --lane: #f5f7fa; }
        * { box-sizing: border-box; }
        body { margin: 0; padding: 16px 24px; font: 14px/1.4 system-ui, sans-serif; color: var(--fg); background: #fff; }
        h1 { font-size: 20px; margin: 0 0 4px; }
        h2 { font-size: 16px; margin: 20px 0 8px; }
        #summary, .hint { color: var(--muted); margin: 0; }
        .toolbar { display: flex; gap: 8px; align-items: center; margin-bottom: 6px; }
        .toolbar button { min-width: 32px; padding: 3px 10px; border: 1px solid var(--line); border-radius: 4px;
          background: #fff; cursor: pointer; font-size: 14px; }
        .toolbar button:hover { background: var(--lane); }
        .legend { margin-left: auto; color: var(--muted); }
        .swatch { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 10px; border-radius: 2px; }
        .swatch.ok { background: var(--ok); } .swatch.err { background: var(--err); }
        #timeline { border: 1px solid var(--line); border-radius: 4px; overflow: hidden; user-select: none; cursor: grab; }
        #timeline.dragging { cursor: grabbing; }
        #timeline svg { display: block; }
        .lane-bg { fill: var(--lane); }
        .lane:nth-child(even) .lane-bg { fill: #eceff3; }
        .lane-label { font-size: 12px; fill: var(--fg); }
        .bar { fill: var(--ok); }
        .bar.error { fill: var(--err); }
        .bar:hover, .bar.hovered { stroke: #111; stroke-width: 1; }
        .axis text { font-size: 11px; fill: var(--muted); }
        .axis line { stroke: var(--line); }
        #tooltip { position: fixed; z-index: 10; max-width: 560px; padding: 8px 10px; border-radius: 4px;
          background: rgba(20, 24, 33, 0.94); color: #fff; font-size: 12px; pointer-events: none; }
        #tooltip .tip-title { font-weight: 600; font-size: 13px; }
        #tooltip .tip-title.error { color: #ff8a8a; }
        #tooltip .tip-args { margin: 6px 0 0; white-space: pre-wrap; word-break: break-all;
          font: 11px/1.35 ui-monospace, monospace; color: #d7dde8; }
        table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
        th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: right; }
        th:first-child, td:first-child { text-align: left; }
        th { background: var(--lane); font-weight: 600; }
        td.has-errors { color: var(--err); font-weight: 600; }
        #histograms { display: flex; flex-wrap: wrap; gap: 12px; }
        .histogram-box { border: 1px solid var(--line); border-radius: 4px; padding: 6px; }
        .histogram-box h3 { font-size: 12px; margin: 0 0 4px; font-weight: 600; }
        .histogram .hbar { fill: var(--ok); }
        .histogram text { font-size: 10px; fill: var(--muted); }
        .histogram line { stroke: var(--line); }
        """
}
