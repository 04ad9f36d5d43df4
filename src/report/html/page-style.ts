/**
 * The report's stylesheet, inlined so the page needs no network: light and dark colour schemes
 * (the reader's system preference), and one colour plus one pattern per version swatch.
 */

/** Eight hues readable in both schemes, each paired with a pattern drawn over it. */
const HUES = [210, 25, 140, 280, 350, 55, 185, 100];
const PATTERNS = [
  "none",
  "repeating-linear-gradient(45deg, var(--ink-faint) 0 2px, transparent 2px 7px)",
  "radial-gradient(var(--ink-faint) 1.2px, transparent 1.4px) 0 0 / 6px 6px",
  "repeating-linear-gradient(-45deg, var(--ink-faint) 0 2px, transparent 2px 7px)",
  "repeating-linear-gradient(0deg, var(--ink-faint) 0 2px, transparent 2px 6px)",
  "repeating-linear-gradient(90deg, var(--ink-faint) 0 2px, transparent 2px 6px)",
  "repeating-linear-gradient(45deg, var(--ink-faint) 0 1px, transparent 1px 4px), repeating-linear-gradient(-45deg, var(--ink-faint) 0 1px, transparent 1px 4px)",
  "radial-gradient(circle at 50% 50%, transparent 2px, var(--ink-faint) 2.5px, transparent 3px) 0 0 / 8px 8px",
];

function swatches(lightness: number): string {
  return HUES.map((hue, index) => `.sw${index}{--sw:hsl(${hue} 70% ${lightness}%);background:${PATTERNS[index]},var(--sw);}`).join("\n");
}

/** The whole stylesheet. */
export const PAGE_STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1b1f;--muted:#5c5f66;--line:#d5d7dc;--pass:#146c2e;--fail:#b3261e;--warn:#8a5a00;--ink-faint:rgba(0,0,0,.22);--panel:#f6f7f9}
@media (prefers-color-scheme:dark){:root{--bg:#141519;--fg:#e6e7ea;--muted:#a2a6ad;--line:#3a3d44;--pass:#7bd88f;--fail:#ff8a80;--warn:#f0c060;--ink-faint:rgba(255,255,255,.28);--panel:#1e2026}}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;background:var(--bg);color:var(--fg)}
header,main{max-width:1180px;margin:0 auto;padding:0 20px}
header{padding-top:20px}
h1{font-size:1.6rem;margin:.2em 0}
h2{font-size:1.3rem;margin:0 0 .3em}
h3{font-size:1.05rem;margin:1.2em 0 .4em}
section.scenario{border-top:1px solid var(--line);padding:18px 0 26px}
.muted{color:var(--muted)}
.status{font-weight:600}
.status.pass{color:var(--pass)}.status.fail{color:var(--fail)}.status.error{color:var(--warn)}
nav ol{padding-left:1.2em;columns:2;margin:.4em 0 1em}
table{border-collapse:collapse;margin:.3em 0;font-variant-numeric:tabular-nums}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
thead th{background:var(--panel)}
td.cell{padding:0;min-width:3.4em}
td.cell button{all:unset;box-sizing:border-box;display:block;width:100%;padding:6px 8px;cursor:pointer;font-weight:600;color:#111;text-shadow:0 0 3px #fff,0 0 2px #fff}
td.cell button:focus-visible,th button:focus-visible{outline:3px solid var(--fg);outline-offset:-3px}
th button{all:unset;cursor:pointer;text-decoration:underline dotted}
.legend{display:flex;flex-wrap:wrap;gap:10px;margin:.4em 0;padding:0;list-style:none}
.legend li{display:flex;align-items:center;gap:6px}
.chip{display:inline-block;width:1.6em;height:1.1em;border:1px solid var(--line);border-radius:3px}
.strip{display:flex;height:22px;width:100%;max-width:520px;border:1px solid var(--line)}
.strip span{display:block;height:100%}
.bars{display:grid;grid-template-columns:max-content 240px auto;white-space:nowrap;gap:2px 8px;align-items:center;font-size:12px;margin-bottom:6px}
.track{display:block;height:10px;width:240px}
.track span{display:block;height:100%}
.track .asked{border:1px solid var(--fg)}
tr.failed td{background:color-mix(in srgb,var(--fail) 12%,transparent)}
code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace}
#detail{position:fixed;right:16px;bottom:16px;width:min(420px,calc(100vw - 32px));max-height:70vh;overflow:auto;background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:12px 14px;box-shadow:0 6px 24px rgba(0,0,0,.25)}
#detail h2{font-size:1.1rem}
#detail code{overflow-wrap:anywhere}
@media (min-width:1300px){body.with-detail{padding-right:440px}}
#detail ul{padding-left:1.1em;margin:.3em 0}
${swatches(72)}
@media (prefers-color-scheme:dark){${swatches(62)}}
`;
