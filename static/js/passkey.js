// Passkeys (WebAuthn) on form#passkey-form: data-passkey="create" adds one, "get" answers
// a login's challenge. The portal gives the options (data-options, binary values in
// base64url); the browser's answer goes back as JSON in the hidden "credential" field, its
// binary values in base64url too. The texts for a failure are the form's data-* attributes.
(() => {
  const form = document.getElementById("passkey-form");
  if (!form) return;
  const creating = form.dataset.passkey === "create";
  const button = form.querySelector("[type=submit]");
  const failure = document.getElementById("passkey-error");

  if (!window.PublicKeyCredential || !navigator.credentials) {
    document.getElementById("passkey-unsupported").hidden = false;
    button.disabled = true;
    return;
  }

  const toBytes = (text) => {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const binary = atob(base64 + "===".slice((base64.length + 3) % 4));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0)).buffer;
  };
  const toText = (buffer) => {
    let binary = "";
    for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  };

  function publicKey() {
    const options = JSON.parse(form.dataset.options);
    options.challenge = toBytes(options.challenge);
    if (options.user) options.user.id = toBytes(options.user.id);
    for (const list of [options.excludeCredentials, options.allowCredentials]) {
      for (const item of list || []) item.id = toBytes(item.id);
    }
    return options;
  }

  function answer(credential) {
    const response = credential.response;
    const sent = {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || null,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: { clientDataJSON: toText(response.clientDataJSON) },
    };
    if (creating) {
      sent.response.attestationObject = toText(response.attestationObject);
      sent.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      sent.response.authenticatorData = toText(response.authenticatorData);
      sent.response.signature = toText(response.signature);
      sent.response.userHandle = response.userHandle ? toText(response.userHandle) : null;
    }
    return JSON.stringify(sent);
  }

  function fail(error) {
    // NotAllowedError: cancelled or timed out; InvalidStateError: the key is already added.
    const text = {
      NotAllowedError: form.dataset.cancelled,
      InvalidStateError: form.dataset.known,
    }[error.name];
    failure.textContent = text || form.dataset.failed;
    failure.hidden = false;
    button.disabled = false;
  }

  form.addEventListener("submit", async (event) => {
    // Without a name the portal says what is missing; nothing is asked of the browser.
    const name = form.elements.namedItem("name");
    if (creating && !name.value.trim()) return;
    event.preventDefault();
    failure.hidden = true;
    button.disabled = true;
    let credential;
    try {
      const ask = creating ? navigator.credentials.create : navigator.credentials.get;
      credential = await ask.call(navigator.credentials, { publicKey: publicKey() });
    } catch (error) {
      return fail(error);
    }
    if (!credential) return fail({});
    form.elements.namedItem("credential").value = answer(credential);
    form.submit();
  });
})();
