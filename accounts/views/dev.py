from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from accounts.models import OutboxMessage


def sms_outbox(request):
    """What the `outbox` SMS backend sent, newest first. Exists only with DEBUG on."""
    if not settings.DEBUG:
        raise Http404
    return render(request, "accounts/dev_sms.html", {
        "sms_messages": OutboxMessage.objects.all()[:50],
    })
