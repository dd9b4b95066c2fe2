// The SIM waiting page: ask the portal every two seconds how the request stands, show
// the time left, and move on (or explain) when the request ends.
(() => {
  const box = document.getElementById("sim-wait");
  if (!box) return;
  const limit = parseInt(box.dataset.timeLimit, 10);
  const deadline = Date.now() + parseInt(box.dataset.remaining, 10) * 1000;
  const state = document.getElementById("sim-state");
  const bar = document.getElementById("sim-progress");
  const progress = bar.parentElement;
  const csrf = document.querySelector("[name=csrfmiddlewaretoken]").value;

  const left = () => Math.max(0, Math.round((deadline - Date.now()) / 1000));
  const tick = () => {
    const seconds = left();
    const seconds_span = state.querySelector("[data-seconds]");
    if (seconds_span) seconds_span.textContent = seconds;
    bar.style.width = `${(100 * seconds) / limit}%`;
    progress.setAttribute("aria-valuenow", seconds);
  };
  const stop = (message) => {
    clearInterval(timer);
    state.hidden = true;
    const failed = document.getElementById("sim-failed");
    failed.textContent = message;
    failed.hidden = false;
    document.getElementById("sim-restart").hidden = false;
  };

  async function ask() {
    let answer;
    try {
      const response = await fetch(box.dataset.statusUrl, {
        method: "POST", headers: { "X-CSRFToken": csrf },
      });
      answer = await response.json();
    } catch (error) {
      // A lost answer: ask again. The portal keeps the request's outcome, so an answer
      // lost after it had decided comes again; the time limit still holds.
      answer = { state: "running" };
    }
    if (answer.state === "done") return window.location.assign(answer.next);
    if (answer.state === "failed") return stop(answer.message);
    setTimeout(ask, 2000);
  }

  const timer = setInterval(tick, 1000);
  tick();
  if (box.hasAttribute("data-ended")) {
    clearInterval(timer);  // a reload of a request that has ended: the message is shown
  } else {
    ask();
  }
})();
