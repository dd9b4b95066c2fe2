// The USB token page: find the local signing agent, list the token's certificates, get a
// fresh challenge from the portal, have the agent sign it with the PIN, and post only the
// signature and certificate back to the portal. The PIN goes to the agent, never here.
(() => {
  const signer = document.getElementById("signer");
  if (!signer) return;
  const agent = signer.dataset.agentUrl;
  const show = (id) => {
    for (const part of ["agent-checking", "agent-missing", "agent-old", "no-token", "pin-form"]) {
      document.getElementById(part).hidden = part !== id;
    }
  };
  const csrf = () => document.querySelector("#signed [name=csrfmiddlewaretoken]").value;
  const failure = document.getElementById("sign-error");
  const fail = (text) => { failure.textContent = text; failure.hidden = false; };

  async function findToken() {
    show("agent-checking");
    let status;
    try {
      status = await (await fetch(agent + "/status")).json();
    } catch (error) {
      return show("agent-missing");
    }
    if (window.agentTooOld(status, signer.dataset.minVersion)) {
      document.getElementById("agent-version").textContent = status.agent_version || "1.0";
      return show("agent-old");
    }
    if (!status.token) return show("no-token");
    const listing = await (await fetch(agent + "/certificates")).json();
    const select = document.getElementById("usb-certificate");
    select.replaceChildren(...(listing.certificates || []).map((item) => {
      const [year, month, day] = item.not_after.split("-");
      const expires = signer.dataset.expires;  // "hết hạn", or the page's language's words
      return new Option(`${item.subject} (${expires} ${day}/${month}/${year})`, item.id);
    }));
    const chosen = sessionStorage.getItem("usb-certificate");
    if (chosen && [...select.options].some((option) => option.value === chosen)) {
      select.value = chosen;  // a retry after a refusal keeps the certificate chosen
    }
    if (!select.options.length) return show("no-token");
    show("pin-form");
    document.getElementById("usb-pin").focus();
  }

  async function sign(event) {
    event.preventDefault();
    failure.hidden = true;
    const unreachable = signer.dataset.portalError;
    let issued;
    try {
      const challenge = await fetch(signer.dataset.challengeUrl, {
        method: "POST", headers: { "X-CSRFToken": csrf() },
      });
      const type = challenge.headers.get("Content-Type") || "";
      if (!type.includes("json")) return fail(unreachable);
      issued = await challenge.json();
      if (!challenge.ok) return fail(issued.message);
    } catch (error) {
      return fail(unreachable);
    }
    sessionStorage.setItem("usb-certificate", document.getElementById("usb-certificate").value);
    const pin = document.getElementById("usb-pin");
    let answer;
    try {
      answer = await (await fetch(agent + "/sign", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          certificate_id: document.getElementById("usb-certificate").value,
          pin: pin.value, nonce: issued.nonce,
        }),
      })).json();
    } catch (error) {
      return show("agent-missing");
    }
    pin.value = "";
    if (answer.error) return fail(answer.message);
    const form = document.getElementById("signed");
    form.elements["request"].value = issued.request;
    form.certificate.value = answer.certificate;
    form.signature.value = answer.signature;
    form.algorithm.value = answer.algorithm;
    form.submit();
  }

  document.getElementById("pin-form").addEventListener("submit", sign);
  signer.querySelectorAll("[data-retry]").forEach((button) => button.addEventListener("click", findToken));
  findToken();
})();
