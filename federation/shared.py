""""Ứng dụng được chia sẻ": the portals a person lets sign them in, and withdrawing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from federation.consent import consent_withdraw, consents_of


@login_required
def shared(request):
    return render(request, "federation/shared.html", {"consents": consents_of(request.user)})


@require_POST
@login_required
def withdraw(request, consent_id: int):
    client = consent_withdraw(account=request.user, consent_id=consent_id, request=request)
    if client is not None:
        messages.success(request, _("Đã rút lại đồng ý chia sẻ thông tin với %(portal)s. Lần "
                                    "đăng nhập sau, cổng sẽ hỏi lại bạn.")
                         % {"portal": client.display_name})
    return redirect("federation:shared")
