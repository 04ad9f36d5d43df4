/**
 * The dashboard of `dosim dev` at /cdn-cgi/dosim/: the current deployment and its history, the
 * versions, the known objects with their assigned and running versions and whether they are live,
 * a live feed of resets and deferred switches, the request log, and a "what if" panel that previews
 * a deployment (which objects would move, which live ones would reset) before deploying it.
 * Everything is inline and served by dosim itself; nothing is fetched from elsewhere.
 */
import { escapeHtml, scriptJson } from "../../report/html/escape.js";
import { PAGE_STYLE } from "../../report/html/page-style.js";
import { DASHBOARD_SCRIPT } from "./page-script.js";

const EXTRA_STYLE = `
.panels{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:18px}
.panel{border:1px solid var(--line);border-radius:8px;padding:12px 14px;background:var(--panel)}
.panel h2{font-size:1.1rem}
#feed,#log{max-height:260px;overflow:auto;font:12px ui-monospace,monospace;list-style:none;padding-left:0;margin:0}
#feed li,#log li{padding:1px 0;border-bottom:1px solid var(--line)}
#objects td.cell{padding:4px 8px;font-weight:600;color:#111;text-shadow:0 0 3px #fff,0 0 2px #fff}
#feed li.reset{color:var(--fail)}#feed li.deferred{color:var(--warn)}
.refused{color:var(--fail)}
label{display:block;margin:.3em 0}
input[type=range]{width:100%}
`;

/** The page for the Worker `workerName`; `nonce` admits its one inline script. */
export function dashboardPage(options: { workerName: string; apiBase: string; eventsPath: string; nonce: string }): string {
  const config = { api: `${options.apiBase}/client/v4/accounts/local/workers/scripts/${encodeURIComponent(options.workerName)}`, events: options.eventsPath };
  const name = escapeHtml(options.workerName);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>dosim dev — ${name}</title>
<style>${PAGE_STYLE}${EXTRA_STYLE}</style>
</head>
<body>
<header><h1>dosim dev — ${name}</h1><p>Active deployment: <strong id="current">…</strong> <span class="muted" id="strategy"></span></p></header>
<main>
<div class="panels">
<section class="panel" aria-labelledby="whatif-title">
<h2 id="whatif-title">What if…</h2>
<label>New version <select id="new-version"></select></label>
<label>Other version <select id="old-version"></select></label>
<label for="percent">Share of the new version: <output id="percent-value">0%</output></label>
<input id="percent" type="range" min="0" max="100" step="1" value="0">
<div id="preview" aria-live="polite"></div>
<button type="button" id="deploy">Deploy</button> <span id="deploy-status" aria-live="polite"></span>
</section>
<section class="panel" aria-labelledby="feed-title"><h2 id="feed-title">Resets and deferred switches</h2><ol id="feed" reversed></ol></section>
<section class="panel" aria-labelledby="log-title"><h2 id="log-title">Request log</h2><ol id="log"></ol></section>
</div>
<section aria-labelledby="objects-title"><h2 id="objects-title">Objects (<span id="objects-count">0</span>)</h2>
<table><thead><tr><th scope="col">Object</th><th scope="col">Class</th><th scope="col">Assigned</th><th scope="col">Running</th><th scope="col">Instance</th><th scope="col">Waiting update</th></tr></thead><tbody id="objects"></tbody></table></section>
<section aria-labelledby="deployments-title"><h2 id="deployments-title">Deployments</h2><ol id="history"></ol></section>
<section aria-labelledby="versions-title"><h2 id="versions-title">Versions</h2>
<table><thead><tr><th scope="col"><span class="muted">colour</span></th><th scope="col">Number</th><th scope="col">Tag</th><th scope="col">Id</th><th scope="col">Created</th></tr></thead><tbody id="versions"></tbody></table></section>
</main>
<script type="application/json" id="dosim-config">${scriptJson(config)}</script>
<script nonce="${options.nonce}">${DASHBOARD_SCRIPT}</script>
</body>
</html>
`;
}
