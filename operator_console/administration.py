"""Writes of administration: appointing, adding staff, granting and revoking rights.

Every one checks the actor's scope and rights here, not only in the page, and leaves an
audit line. An administrator cannot act on themself nor give away what they do not hold.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from operator_console.models import Administrator, AuditEntry, Grant, Membership, Unit
from operator_console.rights import ADD_USER, RIGHTS, right_label
from operator_console.scope import (
    account_in_scope,
    account_rights,
    admin_scope,
    top_admin_scope,
)
from operator_console.services import audit_record


class AdminRefused(Exception):
    """Why an administrator may not do this, as a sentence for them."""


def _unit_in(scope: set[int], unit: Unit) -> None:
    if unit.pk not in scope:
        raise AdminRefused(_("Đơn vị “%(unit)s” không thuộc phạm vi bạn quản trị.")
                           % {"unit": unit.name})


def _not_self(actor, account) -> None:
    if actor.pk == account.pk:
        raise AdminRefused(_("Bạn không thể tự cấp, thu hồi quyền hay bổ nhiệm cho chính mình."))


def admin_appoint(*, actor, account, unit: Unit, ip: str) -> Administrator:
    """A top administrator makes `account` the administrator of `unit` in their province;
    the new administrator also works in that unit."""
    _not_self(actor, account)
    _unit_in(top_admin_scope(actor), unit)
    with transaction.atomic():
        appointment, created = Administrator.objects.get_or_create(
            account=account, unit=unit,
            defaults={"level": Administrator.Level.UNIT, "appointed_by": actor})
        if not created:
            raise AdminRefused(_("%(name)s đã là quản trị của đơn vị này.")
                               % {"name": account.full_name})
        Membership.objects.get_or_create(account=account, unit=unit,
                                         defaults={"added_by": actor})
        audit_record(actor=actor, action=AuditEntry.Action.APPOINT, unit=unit, target=account,
                     detail=account.username, ip=ip)
    return appointment


def admin_dismiss(*, actor, appointment: Administrator, ip: str) -> None:
    _not_self(actor, appointment.account)
    if appointment.level != Administrator.Level.UNIT:
        raise AdminRefused(_("Quản trị cấp cao của tỉnh chỉ thay đổi được bằng lệnh quản trị "
                             "máy chủ."))
    _unit_in(top_admin_scope(actor), appointment.unit)
    with transaction.atomic():
        appointment.delete()
        audit_record(actor=actor, action=AuditEntry.Action.DISMISS, unit=appointment.unit,
                     target=appointment.account, detail=appointment.account.username, ip=ip)


def member_add(*, actor, account, unit: Unit, ip: str) -> Membership:
    """Add an existing portal account to a unit in scope ("Quyền cho thêm mới người dùng")."""
    if ADD_USER not in account_rights(actor):
        raise AdminRefused(_("Bạn chưa được cấp “%(right)s”.") % {"right": right_label(ADD_USER)})
    _not_self(actor, account)
    _unit_in(admin_scope(actor), unit)
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            account=account, unit=unit, defaults={"added_by": actor})
        if not created:
            raise AdminRefused(_("%(name)s đã thuộc đơn vị này.") % {"name": account.full_name})
        audit_record(actor=actor, action=AuditEntry.Action.MEMBER_ADD, unit=unit,
                     target=account, detail=account.username, ip=ip)
    return membership


def member_remove(*, actor, membership: Membership, ip: str) -> None:
    _not_self(actor, membership.account)
    _unit_in(admin_scope(actor), membership.unit)
    with transaction.atomic():
        membership.delete()
        audit_record(actor=actor, action=AuditEntry.Action.MEMBER_REMOVE, unit=membership.unit,
                     target=membership.account, detail=membership.account.username, ip=ip)


def rights_set(*, actor, account, wanted: set[str], unit: Unit, ip: str) -> tuple[set, set]:
    """Make `account` hold exactly `wanted` among the rights `actor` holds; rights the actor
    does not hold stay as they are. Returns (granted, revoked)."""
    _not_self(actor, account)
    scope = admin_scope(actor)
    _unit_in(scope, unit)
    if not account_in_scope(account, scope):
        raise AdminRefused(_("%(name)s không làm việc tại đơn vị nào bạn quản trị.")
                           % {"name": account.full_name})
    unknown = wanted - set(RIGHTS)
    mine = account_rights(actor)
    if unknown or wanted - mine:
        raise AdminRefused(_("Bạn chỉ cấp được những quyền chính bạn đang có."))
    with transaction.atomic():
        held = set(Grant.objects.select_for_update().filter(account=account)
                   .values_list("right", flat=True))
        granted, revoked = wanted - held, (held & mine) - wanted
        for right in sorted(granted):
            Grant.objects.create(account=account, right=right, granted_by=actor)
            _audit_right(actor, AuditEntry.Action.GRANT, account, right, unit, ip)
        for right in sorted(revoked):
            Grant.objects.filter(account=account, right=right).delete()
            _audit_right(actor, AuditEntry.Action.REVOKE, account, right, unit, ip)
    return granted, revoked


def _audit_right(actor, action, account, right, unit, ip) -> None:
    audit_record(actor=actor, action=action, unit=unit, target=account,
                 detail=f"{account.username}: {right_label(right)}", ip=ip)
