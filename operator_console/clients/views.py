"""The portals that sign people in here, under /quan-tri/cong-ket-noi/: the list,
registering one, changing it, enabling or disabling it, a new secret. Only the holders of
the right (the top administrators) open them; every change needs a proof of identity under
15 minutes and is audited (clients/services.py).

A secret is shown on the answer that made it, and only there: it is stored hashed, and
that answer is never cached.
"""

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.http import client_ip
from federation.clients import ClientRefused, clients_list
from federation.models import Client
from operator_console.access import fresh_auth_required, right_required
from operator_console.clients import services
from operator_console.clients.forms import ClientCreateForm, ClientForm, client_initial
from operator_console.rights import MANAGE_CLIENTS

managers_only = right_required(MANAGE_CLIENTS)


@managers_only
def clients(request):
    return render(request, "operator_console/clients/list.html", {"clients": clients_list()})


@never_cache
@managers_only
@fresh_auth_required()
def client_new(request):
    form = ClientCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client, secret = services.client_register(actor=request.user, ip=client_ip(request),
                                                      **form.cleaned_data)
        except ClientRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Đã đăng ký %(name)s.") % {"name": client.display_name})
            if secret:
                return _secret_shown(request, client, secret)
            return redirect("operator_console:clients")
    return render(request, "operator_console/clients/form.html", {"form": form})


@managers_only
@fresh_auth_required()
def client_edit(request, client_id: int):
    client = _client(client_id)
    form = ClientForm(request.POST or None, initial=client_initial(client))
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.client_change(actor=request.user, client=client,
                                             ip=client_ip(request), labels=form.labels(),
                                             **form.cleaned_data)
        except ClientRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Đã lưu thay đổi của %(name)s.") % {
                "name": client.display_name} if changed else _("Không có gì thay đổi."))
            return redirect("operator_console:clients")
    return render(request, "operator_console/clients/form.html", {"form": form,
                                                                  "client": client})


@require_POST
@managers_only
@fresh_auth_required(back="operator_console:clients")
def client_switch(request, client_id: int):
    client = _client(client_id)
    if request.POST.get("enabled") not in ("0", "1"):
        return HttpResponseBadRequest()  # only the page's own two buttons say which
    enabled = request.POST["enabled"] == "1"
    services.client_switch(actor=request.user, client=client, enabled=enabled,
                           ip=client_ip(request))
    text = (_("Đã bật %(name)s: cổng đăng nhập được cho người dân trở lại.") if enabled else
            _("Đã tắt %(name)s: cổng không đăng nhập được cho người dân nữa."))
    messages.success(request, text % {"name": client.display_name})
    return redirect("operator_console:client_edit", client_id=client.pk)


@never_cache
@managers_only
@fresh_auth_required()
def client_secret(request, client_id: int):
    """GET asks to confirm (the old secret stops working at once); POST makes the new one."""
    client = _client(client_id)
    if request.method != "POST":
        return render(request, "operator_console/clients/secret_confirm.html",
                      {"client": client})
    try:
        secret = services.client_new_secret(actor=request.user, client=client,
                                            ip=client_ip(request))
    except ClientRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("operator_console:client_edit", client_id=client.pk)
    messages.success(request, _("Đã cấp khóa bí mật mới cho %(name)s; khóa cũ không dùng được "
                                "nữa.") % {"name": client.display_name})
    return _secret_shown(request, client, secret)


def _client(client_id: int) -> Client:
    return get_object_or_404(Client.objects.select_related("application"), pk=client_id)


def _secret_shown(request, client: Client, secret: str):
    """The one answer that holds the secret (the caller is never_cache)."""
    return render(request, "operator_console/clients/secret.html",
                  {"client": client, "secret": secret})
