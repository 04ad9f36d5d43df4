/**
 * The report's only script: picking an object (a grid cell or its row header) shows what the run
 * did to it, read from the report's embedded JSON. It writes text nodes only, never markup, so
 * names and messages from the scenario cannot inject anything. Without scripts, each cell's title
 * still tells its object, deployment and version.
 */
export const PAGE_SCRIPT = `
(() => {
  const data = JSON.parse(document.getElementById("dosim-report").textContent);
  const panel = document.getElementById("detail");
  const el = (tag, text) => { const node = document.createElement(tag); if (text !== undefined) node.textContent = text; return node; };
  const seconds = (ms) => "t+" + (ms / 1000).toLocaleString("en-US", { maximumFractionDigits: 3 }) + " s";
  function hide() { panel.hidden = true; document.body.classList.remove("with-detail"); }
  function list(title, items) {
    const box = el("div");
    box.append(el("h3", title));
    if (items.length === 0) { box.append(el("p", "none")); return box; }
    const ul = el("ul");
    for (const item of items) ul.append(el("li", item));
    box.append(ul);
    return box;
  }
  function show(scenario, name, step) {
    const detail = (data.scenarios[scenario] || []).find((entry) => entry.name === name);
    if (!detail) return;
    panel.replaceChildren();
    const close = el("button", "Close");
    close.type = "button";
    close.addEventListener("click", hide);
    const heading = el("h2", "Object " + detail.name);
    panel.append(heading, close);
    const facts = el("p");
    facts.append(el("span", "id "), el("code", detail.id), el("span", ", slot " + detail.slot));
    panel.append(facts);
    if (step !== undefined) {
      const at = detail.history.find((entry) => entry.step === step);
      panel.append(el("p", "At the deployment of step " + step + ": assigned " + (at ? at.version : "nothing (not yet known)") + "."));
    }
    panel.append(list("Assigned version per deployment", detail.history.map((entry) => "step " + entry.step + ": " + entry.version)));
    panel.append(list("Resets", detail.resets.map((entry) => "step " + entry.step + " at " + seconds(entry.atMs) + ": " + entry.from + " → " + entry.to + " (" + entry.cause + (entry.live ? ", live instance dropped" : "") + ")")));
    panel.append(list("Instance ends", detail.ends.map((entry) => seconds(entry.atMs) + ": " + entry.version + " (" + entry.reason + ")")));
    panel.hidden = false;
    document.body.classList.add("with-detail");
    close.focus();
  }
  document.addEventListener("click", (event) => {
    const target = event.target.closest("[data-object]");
    if (!target) return;
    const step = target.dataset.step === undefined ? undefined : Number(target.dataset.step);
    show(Number(target.dataset.scenario), target.dataset.object, step);
  });
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") hide(); });
})();
`;
