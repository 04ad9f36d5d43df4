/**
 * The dashboard's script: it reads the account API (the same calls the verbs make), follows the
 * live feed, previews a deployment with the API's dry run while the slider moves, and deploys
 * through the API on request. It writes text nodes only, so names from the Worker's traffic cannot
 * inject markup.
 */
export const DASHBOARD_SCRIPT = `
(() => {
  const config = JSON.parse(document.getElementById("dosim-config").textContent);
  const $ = (id) => document.getElementById(id);
  const el = (tag, text, className) => { const node = document.createElement(tag); if (text !== undefined) node.textContent = text; if (className) node.className = className; return node; };
  let versions = [], deployments = [], objects = [];

  async function call(method, path, body) {
    const response = await fetch(config.api + path, {
      method,
      credentials: "same-origin",
      headers: Object.assign({ "x-dosim-dashboard": "1" }, body === undefined ? {} : { "content-type": "application/json" }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await response.json();
    if (!answer.success) throw new Error(answer.errors.map((error) => error.message + " [" + error.code + "]").join("; "));
    return answer.result;
  }

  const byId = (id) => versions.find((version) => version.id === id);
  function label(id) {
    const version = byId(id);
    if (!version) return id ? id.slice(0, 8) : "—";
    const tag = version.annotations["workers/tag"];
    return tag ? tag + " (#" + version.number + ")" : "#" + version.number + " " + id.slice(0, 8);
  }
  function swatch(id) {
    const ordered = [...versions].sort((a, b) => a.number - b.number);
    const index = ordered.findIndex((version) => version.id === id);
    return index < 0 ? "" : "sw" + (index % 8);
  }
  const spec = (deployment) => deployment.versions.map((entry) => "Version " + label(entry.version_id) + ": " + entry.percentage + "%").join(", ");

  function renderDeployments() {
    const current = deployments[0];
    $("current").textContent = current ? spec(current) : "nothing deployed";
    $("strategy").textContent = current ? current.code_update_strategy.mode + (current.code_update_strategy.max_delay !== undefined ? " (max_delay " + current.code_update_strategy.max_delay + " s)" : "") : "";
    const list = $("history");
    list.replaceChildren(...deployments.map((deployment) => el("li", deployment.created_on + " — " + spec(deployment) + " (" + deployment.annotations["workers/triggered_by"] + ")")));
  }

  function renderVersions() {
    const rows = versions.map((version) => {
      const row = el("tr");
      const chip = el("td"); chip.append(el("span", "", "chip " + swatch(version.id)));
      row.append(chip, el("td", String(version.number)), el("td", version.annotations["workers/tag"] || ""), el("td", version.id), el("td", version.metadata.created_on));
      return row;
    });
    $("versions").replaceChildren(...rows);
    for (const select of [$("new-version"), $("old-version")]) {
      const chosen = select.value;
      select.replaceChildren(...versions.map((version) => { const option = el("option", label(version.id)); option.value = version.id; return option; }));
      if (chosen && byId(chosen)) select.value = chosen;
    }
    if (!$("new-version").dataset.touched && versions[0]) $("new-version").value = versions[0].id;
    const active = deployments[0] && deployments[0].versions.find((entry) => entry.version_id !== $("new-version").value);
    if (!$("old-version").dataset.touched && active) $("old-version").value = active.version_id;
  }

  function renderObjects() {
    const rows = [...objects].sort((a, b) => (a.name || a.id).localeCompare(b.name || b.id)).map((object) => {
      const row = el("tr");
      row.dataset.object = object.name || object.id;
      const assigned = el("td", label(object.assigned), "cell " + swatch(object.assigned));
      const running = el("td", label(object.running), "cell " + swatch(object.running));
      row.append(el("th", object.name || object.id.slice(0, 16)), el("td", object.class), assigned, running, el("td", object.live ? "live" : "idle"), el("td", object.pending ? "waits for " + label(object.pending.to) + " until " + object.pending.deadline : ""));
      return row;
    });
    $("objects").replaceChildren(...rows);
    $("objects-count").textContent = String(objects.length);
  }

  async function refresh() {
    const [v, d, o] = await Promise.all([call("GET", "/versions"), call("GET", "/deployments"), call("GET", "/objects")]);
    versions = v.items; deployments = d.deployments; objects = o.objects;
    renderVersions(); renderDeployments(); renderObjects();
  }

  function ask() {
    const next = $("new-version").value, previous = $("old-version").value, percent = Number($("percent").value);
    if (next === previous || percent === 100) return { versions: [{ version_id: next, percentage: 100 }] };
    if (percent === 0) return { versions: [{ version_id: previous, percentage: 100 }] };
    return { versions: [{ version_id: next, percentage: percent }, { version_id: previous, percentage: 100 - percent }] };
  }

  function names(entries) { return entries.map((entry) => entry.name || entry.object_id.slice(0, 12)).join(", ") || "none"; }

  let previewTimer;
  function preview() {
    $("percent-value").textContent = $("percent").value + "%";
    clearTimeout(previewTimer);
    previewTimer = setTimeout(async () => {
      const out = $("preview");
      try {
        const result = await call("POST", "/deployments?dry_run=true", ask());
        const effect = result.effect;
        out.replaceChildren(
          el("p", spec(result) + ": of " + effect.objects_known + " known objects, " + effect.moved.length + " would move, " + effect.reset.filter((entry) => entry.live).length + " live would reset, " + effect.deferred.length + " would defer."),
          el("p", "Move: " + names(effect.moved)),
          el("p", "Reset now: " + names(effect.reset)),
          el("p", "Deferred: " + names(effect.deferred)),
        );
        out.dataset.state = "ready";
      } catch (error) {
        out.replaceChildren(el("p", "Refused: " + error.message, "refused"));
        out.dataset.state = "refused";
      }
    }, 120);
  }

  async function deploy() {
    const status = $("deploy-status");
    try {
      const result = await call("POST", "/deployments", ask());
      status.textContent = "Deployed " + spec(result) + ": " + result.effect.reset.length + " reset, " + result.effect.deferred.length + " deferred.";
      await refresh();
      preview();
    } catch (error) {
      status.textContent = "Refused: " + error.message;
    }
  }

  function follow() {
    const events = new EventSource(config.events);
    events.addEventListener("change", (event) => {
      const data = JSON.parse(event.data);
      for (const entry of data.feed) {
        const text = entry.kind === "reset"
          ? entry.object + ": reset " + label(entry.from) + " → " + label(entry.to) + " (" + entry.detail + ")"
          : entry.object + ": deferred " + label(entry.from) + " → " + label(entry.to) + " until " + entry.detail;
        $("feed").prepend(el("li", text, entry.kind));
      }
      void refresh().catch(() => undefined);
    });
    events.addEventListener("log", (event) => {
      const log = $("log");
      log.append(el("li", JSON.parse(event.data).line));
      while (log.children.length > 200) log.firstElementChild.remove();
    });
  }

  for (const select of [$("new-version"), $("old-version")]) select.addEventListener("change", () => { select.dataset.touched = "1"; preview(); });
  $("percent").addEventListener("input", preview);
  $("deploy").addEventListener("click", () => void deploy());
  refresh().then(preview, (error) => { $("current").textContent = "The account API refused: " + error.message; });
  follow();
})();
`;
