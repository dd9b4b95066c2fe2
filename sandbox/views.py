"""The simulated phone ("Điện thoại mô phỏng") of `make run`: it answers the requests of the
in-process SIM service, as the sandbox server's /sim/phone answers those of run_sandbox."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from accounts.identity import phone_national, phone_to_e164
from sandbox.sim_service import PHONE_SAYS, SIM_PIN, shared_service


@require_http_methods(["GET", "POST"])
def phone(request):
    """GET ?so=<number>: the requests waiting on that phone; POST: approve or refuse one.
    Routed with DEV_PAGES only (portal/dev_urls.py)."""
    if request.method == "POST":
        return _answer(request)
    number = request.GET.get("so", "").strip()
    e164 = phone_to_e164(number) if number else None
    return render(request, "sandbox/phone.html", {
        "number": number,
        "national": phone_national(e164) if e164 else "",
        "invalid": bool(number) and e164 is None,
        "pending": shared_service().pending(e164) if e164 else [],
        "sample_pin": SIM_PIN,
        "outcome": request.GET.get("ket-qua", ""),
        "said": PHONE_SAYS.get(request.GET.get("ket-qua", ""), ""),
    })


def _answer(request):
    service, session_id = shared_service(), request.POST.get("session_id", "")
    if request.POST.get("action") == "refuse":
        error, done = service.refuse(session_id), "refused"
    else:
        error, done = service.approve(session_id, request.POST.get("pin", "")), "approved"
    # Post, then redirect: reloading the page does not send the PIN again. The outcome
    # travels in the address, not in the session: the phone stands for another device,
    # and writing the session here would overwrite the portal page's own session (the
    # one that has just logged in) in this browser.
    query = urlencode({"so": request.POST.get("so", ""), "ket-qua": error or done})
    return redirect(f"{reverse('sandbox:phone')}?{query}")
