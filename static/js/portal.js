// Small behaviours: a new captcha image on request, and the OTP screen's countdown.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-captcha-refresh]");
  if (!button) return;
  const row = button.closest(".captcha-row");
  const response = await fetch(button.dataset.url, { headers: { "X-Requested-With": "XMLHttpRequest" } });
  if (!response.ok) return;
  const data = await response.json();
  row.querySelector("img.captcha").src = data.image_url;
  row.querySelector("input[type=hidden]").value = data.key;
  const answer = row.querySelector("input[type=text]");
  answer.value = "";
  answer.focus();
});

document.querySelectorAll("[data-countdown]").forEach((element) => {
  let seconds = parseInt(element.dataset.countdown, 10);
  const target = document.getElementById(element.dataset.enables);
  const tick = () => {
    if (seconds <= 0) {
      element.hidden = true;
      if (target) target.disabled = false;
      return;
    }
    element.querySelector("[data-seconds]").textContent = seconds;
    seconds -= 1;
    setTimeout(tick, 1000);
  };
  tick();
});
