"""Writes on accounts. Each function owns its transaction."""

import datetime as dt

from captcha.models import CaptchaStore
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.activity import activity_purge, activity_record
from accounts.device_sessions import sessions_ended_purge
from accounts.identity import text_fold
from accounts.models import (
    AGENCY_LOGIN_PREFIX,
    Account,
    CaptchaUsed,
    OutboxMail,
    OutboxMessage,
    OutgoingMail,
    OutgoingSms,
    RateBucket,
    SignatureRequest,
    VerificationCode,
)
from accounts.notifications import account_notify
from accounts.passwords import password_generate
from portal.calls import calls_purge
from portal.refusals import Refusal


class AccountExists(Refusal):
    """An account with this ID number (or the person's other one) already exists."""

    texts = {"exists": _("Số CMND/CCCD này đã có tài khoản trên Cổng Dịch vụ công. Vui lòng "
                         "đăng nhập hoặc dùng chức năng “Quên mật khẩu?”.")}


def citizen_register(
    *, person: dict, password: str, method: str, level: int, verified_by: str
) -> Account:
    """Create a citizen's account from a verified identity; refuse a duplicate ID number."""
    account = Account(
        username=person["id_number"],
        other_id_number=person.get("other_id_number", ""),
        account_type=Account.Type.CITIZEN,
        full_name=person["full_name"],
        birth_date=person["birth_date"],
        phone=person["phone"],
        email=person.get("email", ""),
        assurance_level=level,
        registration_method=method,
        verified_by=verified_by,
    )
    account.set_password(password)
    return _account_save_new(account)


def counter_citizen_register(*, person: dict, clerk: Account | None, verified_by: str,
                             method: str = Account.Method.COUNTER):
    """A level-3 account made at a counter, with a random password the citizen must
    change at first login; returns the account and that password (for the SMS only)."""
    password = password_generate()
    account = Account(
        username=person["id_number"],
        other_id_number=person.get("other_id_number", ""),
        account_type=Account.Type.CITIZEN,
        full_name=person["full_name"],
        birth_date=person["birth_date"],
        phone=person["phone"],
        email=person.get("email", ""),
        assurance_level=Account.Level.HIGH,
        registration_method=method,
        verified_by=verified_by,
        created_by=clerk,
        must_change_password=True,
    )
    account.set_password(password)
    return _account_save_new(account), password


def account_password_issue(*, account: Account) -> str:
    """A new random password the holder must change at first login (for the SMS only)."""
    password = password_generate()
    account.set_password(password)
    account.must_change_password = True
    account.save(update_fields=["password", "must_change_password"])
    return password


def account_password_set(*, account: Account, password: str, request=None,
                         reset: bool = False) -> None:
    """A new password of the holder's own choosing; every other session of the account
    ends (its auth hash changes), the account's activity records it (a change, or a
    `reset` through "Quên mật khẩu?") and the account's phone is told."""
    with transaction.atomic():
        account.set_password(password)
        account.must_change_password = False
        account.save(update_fields=["password", "must_change_password"])
        activity_record(account, "password_reset" if reset else "password_changed",
                        request=request)
        account_notify(account, "password_changed")


def housekeeping_purge() -> dict:
    """Delete what has served its purpose: dead codes, expired picture codes, past rate
    windows, sent messages, signature requests past use, the records of logins whose
    session has ended, account events and records of outside calls past the days kept.

    A message still queued after a day will not be sent: its sealed text is erased.
    """
    now = timezone.now()
    day_ago = now - dt.timedelta(days=1)
    for queue in (OutgoingSms, OutgoingMail):
        stale = queue.objects.filter(status=queue.Status.QUEUED, created_at__lt=day_ago)
        stale.update(status=queue.Status.FAILED, sealed_context="")
    return {
        "codes": VerificationCode.objects.filter(expires_at__lt=now - dt.timedelta(hours=1))
        .delete()[0],
        # An hour past expiry: a web host whose clock lags must not see a used key as new.
        "captchas": CaptchaUsed.objects.filter(expires_at__lt=now - dt.timedelta(hours=1))
        .delete()[0]
        + CaptchaStore.objects.filter(expiration__lt=now).delete()[0],  # the library's, of old
        "rate_windows": RateBucket.objects.filter(window_start__lt=now - dt.timedelta(days=2))
        .delete()[0],
        "sms": OutgoingSms.objects.filter(created_at__lt=day_ago).delete()[0],
        "outbox": OutboxMessage.objects.filter(sent_at__lt=day_ago).delete()[0],
        "mail": OutgoingMail.objects.filter(created_at__lt=day_ago).delete()[0],
        "mail_outbox": OutboxMail.objects.filter(sent_at__lt=day_ago).delete()[0],
        "signature_requests": SignatureRequest.objects.filter(expires_at__lt=now).delete()[0],
        "logins": sessions_ended_purge(),
        "events": activity_purge(),
        "outbound_calls": calls_purge(),
    }


def signer_register(*, identity, account_type: str, email: str, method: str,
                    other_id_number: str = "") -> Account:
    """A level-3 account from a verified certificate, keyed by the MST or the ID number.

    It has no password: its holder logs in with the token (or sets a password later).
    """
    business = account_type == Account.Type.BUSINESS
    account = Account(
        username=identity.mst if business else identity.id_number,
        other_id_number=other_id_number,
        account_type=account_type,
        full_name=signer_account_name(identity, business=business),
        email=email,
        assurance_level=Account.Level.HIGH,
        registration_method=method,
        verified_by=f"Chứng thư số – {identity.ca_name}",
    )
    account.set_unusable_password()
    return _account_save_new(account)


def agency_register(*, identity, email: str) -> Account:
    """A level-3 account for a state agency, held by the civil servant the government's
    CA certified: named after the servant, acting for the agency the certificate names."""
    account = Account(
        username=AGENCY_LOGIN_PREFIX + identity.id_number,
        account_type=Account.Type.AGENCY,
        full_name=signer_account_name(identity, business=False),
        organization=agency_name(identity),
        email=email,
        assurance_level=Account.Level.HIGH,
        registration_method=Account.Method.USB,
        verified_by=f"Chứng thư số – {identity.ca_name}",
    )
    account.set_unusable_password()
    return _account_save_new(account)


def agency_name(identity) -> str:
    """The agency a civil servant's certificate names (O), as an agency account holds it."""
    return _certificate_name(identity.organization)[:200]


def signer_account_name(identity, *, business: bool) -> str:
    """The name an account made from `identity` gets: the company (O, else CN) for a
    business, the CN (else O) for a citizen; "" when none has a readable character."""
    candidates = ((identity.organization, identity.name) if business
                  else (identity.name, identity.organization))
    return next((name for name in map(_certificate_name, candidates) if name), "")


def _certificate_name(text: str) -> str:
    """A name as a CA wrote it, fit for the account: no control characters, and cut to
    the 150 characters the name and its folded copy hold (real names are far shorter)."""
    name = " ".join("".join(ch for ch in text if ch.isprintable()).split())[:150]
    while len(text_fold(name)) > 150:
        name = name[:-1]
    return name


def _account_save_new(account: Account) -> Account:
    """Save a new account with the terms it agreed to; a taken login name (or a number
    another account holds as its other one) is AccountExists."""
    account.terms_version = settings.TERMS_VERSION
    account.terms_accepted_at = timezone.now()
    numbers = [n for n in (account.username, account.other_id_number) if n]
    person = account.account_type == Account.Type.CITIZEN
    try:
        with transaction.atomic():
            if person and Account.objects.filter(Q(username__in=numbers)
                                                 | Q(other_id_number__in=numbers)).exists():
                raise AccountExists("exists")
            account.save()
    except IntegrityError:
        raise AccountExists("exists") from None
    return account
