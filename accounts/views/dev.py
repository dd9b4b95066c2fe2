from django.shortcuts import render

from accounts.models import OutboxMessage


def sms_outbox(request):
    """What the `outbox` SMS backend sent, newest first (routed with DEV_PAGES only)."""
    return render(request, "accounts/dev_sms.html", {
        "sms_messages": OutboxMessage.objects.all()[:50],
    })
