from django.shortcuts import render

from accounts.models import OutboxMail, OutboxMessage


def sms_outbox(request):
    """What the `outbox` SMS backend sent, newest first (routed with DEV_PAGES only)."""
    return render(request, "accounts/dev_sms.html", {
        "sms_messages": OutboxMessage.objects.all()[:50],
    })


def mail_outbox(request):
    """What the `outbox` mail backend sent, newest first (routed with DEV_PAGES only)."""
    return render(request, "accounts/dev_mail.html", {"mails": OutboxMail.objects.all()[:50]})
