"""The second-factor step a login and a re-authentication share: ask the chosen factor,
check the answer, or choose another factor.

The flow keeps the factor's persistent id and its challenge; its step says which page
answers it ("otp" for an SMS code, "code" for an app or a backup code, "passkey"). A
caller passes its URL names for those pages (`urls`, by step, plus "choose").
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.factors.checks import factor_challenge, factor_check
from accounts.factors.forms import CODE_FORMS, PasskeyAnswerForm
from accounts.factors.passkey import passkey_page
from accounts.factors.registry import (
    factor_detail,
    factor_find,
    factor_label,
    factors_of,
)
from accounts.flows.code_step import code_step
from accounts.http import client_ip, page_origin
from portal.refusals import Refusal

STEPS = {"sms": "otp", "app": "code", "backup": "code", "passkey": "passkey"}
ANSWERING = ("otp", "code", "passkey")


def factor_begin(flow, device, *, ip: str, purpose: str) -> str:
    """Ask `device` for its challenge (an SMS goes now: SendRefused) and move the flow to
    the step that answers it; that step's name."""
    challenge = factor_challenge(device, ip=ip, purpose=purpose, origin=page_origin(flow.request))
    step = STEPS[device.kind]
    flow.advance(step, device=device.persistent_id, **challenge)
    return step


def factor_answer(request, flow, account, *, purpose: str, urls: dict, on_verified,
                  context: dict, on_refused=None, device=None):
    """The page of the flow's factor (`device` when the caller has read it already): on a
    right answer, `on_verified(device)`; a refused one is told to `on_refused(refusal)` (a
    login records it in the account's activity)."""
    device = device or factor_find(account, flow.data.get("device", ""))
    if device is None:  # removed meanwhile, from another login
        return redirect(urls["choose"])
    ip = client_ip(request)

    def verify(raw: str):
        return factor_check(device, raw, challenge=flow.data, ip=ip, purpose=purpose)

    context = {**context, "other_url": reverse(urls["choose"]),
               "factor_label": factor_label(device)}
    if device.kind == "sms":
        return code_step(request, flow, purpose=purpose, context=context, verify=verify,
                         on_verified=lambda: on_verified(device), on_refused=on_refused)
    if device.kind == "passkey":
        return _passkey_answer(request, flow, device, verify=verify, on_verified=on_verified,
                               on_refused=on_refused, purpose=purpose, context=context)
    form = CODE_FORMS[device.kind](request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            checked = verify(form.cleaned_data["code"])
        except Refusal as refusal:
            if on_refused is not None:
                on_refused(refusal)
            form.add_error("code", refusal.message)
            form.data = form.data.copy()
            form.data["code"] = ""
        else:
            return on_verified(checked)
    return render(request, "accounts/factor_code.html", {
        "form": form, "kind": device.kind, **context})


def _passkey_answer(request, flow, device, *, verify, on_verified, on_refused, purpose: str,
                    context: dict):
    """The passkey page: the browser signs the flow's challenge (static/js/passkey.js) and
    posts its answer. A challenge is checked once: after a refusal a new one is asked."""
    form = PasskeyAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            checked = verify(form.cleaned_data["credential"])
        except Refusal as refusal:
            if on_refused is not None:
                on_refused(refusal)
            form.add_error(None, refusal.message)
            flow.update(**factor_challenge(device, ip=client_ip(request), purpose=purpose,
                                           origin=page_origin(request)))
        else:
            return on_verified(checked)
    return render(request, "accounts/factor_passkey.html", {
        "form": form, **passkey_page(flow.data.get("passkey"), origin=page_origin(request)),
        **context})


def factor_choose(request, flow, account, *, purpose: str, urls: dict, context: dict):
    """"Chọn phương thức xác thực khác": the account's factors, each a button that asks
    it; a send that is refused (an SMS cooldown) says why and stays here."""
    if request.method == "POST":
        device = factor_find(account, request.POST.get("device", ""))
        if device is not None:
            try:
                step = factor_begin(flow, device, ip=client_ip(request), purpose=purpose)
            except Refusal as refusal:
                messages.error(request, refusal.message)
            else:
                return redirect(urls[step])
    current = flow.data.get("device")
    return render(request, "accounts/factor_choose.html", {
        "factors": [{"id": device.persistent_id, "kind": device.kind,
                     "label": factor_label(device), "detail": factor_detail(device),
                     "current": device.persistent_id == current}
                    for device in factors_of(account)],
        **context,
    })
