// The signing agent's version, as its /status reports it, against the portal's minimum.
// `agentTooOld(status, "1.1.0")` for the signing page; on the "Công cụ ký số" page it also
// says what runs on this computer ([data-agent-check]).
(() => {
  const parts = (version) => String(version || "0").split(".").map((n) => parseInt(n, 10) || 0);
  window.agentTooOld = (status, minimum) => {
    const have = parts(status.agent_version), need = parts(minimum);
    for (let i = 0; i < Math.max(have.length, need.length); i += 1) {
      if ((have[i] || 0) !== (need[i] || 0)) return (have[i] || 0) < (need[i] || 0);
    }
    return false;
  };

  const box = document.querySelector("[data-agent-check]");
  if (!box) return;
  const say = (id, version) => {
    box.classList.replace("alert-secondary", id === "ok" ? "alert-success" : "alert-warning");
    for (const part of box.querySelectorAll("[data-state]")) {
      part.hidden = part.dataset.state !== id;
    }
    box.querySelectorAll("[data-version]").forEach((span) => { span.textContent = version; });
  };
  fetch(box.dataset.agentUrl + "/status")
    .then((response) => response.json())
    .then((status) => {
      const version = status.agent_version || "1.0";
      say(window.agentTooOld(status, box.dataset.minVersion) ? "old" : "ok", version);
    })
    .catch(() => say("missing", ""));
})();
