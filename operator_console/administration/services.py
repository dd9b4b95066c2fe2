"""Writes of administration: appointing, adding staff, granting and revoking rights.

Every one checks the actor's scope and rights here, not only in the page, and leaves an
audit line. An administrator cannot act on themself nor give away what they do not hold.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from operator_console.models import Administrator, AuditEntry, Grant, Membership, Unit
from operator_console.rights import ADD_USER, RIGHTS, TOP_ONLY, right_label
from operator_console.scope import account_rights, admin_scope, top_admin_scope
from operator_console.services import audit_record
from portal.refusals import Refusal


class AdminRefused(Refusal):
    """Why an administrator may not do this."""

    texts = {
        "unit_out_of_scope": _("Đơn vị “%(unit)s” không thuộc phạm vi bạn quản trị."),
        "self": _("Bạn không thể tự cấp, thu hồi quyền hay bổ nhiệm cho chính mình."),
        "works_elsewhere": _("%(name)s còn làm việc tại đơn vị ngoài phạm vi bạn quản trị; "
                             "việc phân quyền cho người này do quản trị cấp trên thực hiện."),
        "peer_or_superior": _("%(name)s là quản trị cùng cấp hoặc cấp trên của bạn; bạn không "
                              "thay đổi được quyền của người này."),
        "already_admin": _("%(name)s đã là quản trị của đơn vị này."),
        "top_admin": _("Quản trị cấp cao của tỉnh chỉ thay đổi được bằng lệnh quản trị máy "
                       "chủ."),
        "no_add_user": lambda: _("Bạn chưa được cấp “%(right)s”.") % {
            "right": right_label(ADD_USER)},
        "already_member": _("%(name)s đã thuộc đơn vị này."),
        "not_held": _("Bạn chỉ cấp được những quyền chính bạn đang có."),
        "top_only": _("Có quyền chỉ dành cho quản trị cấp cao của tỉnh, không cấp cho người "
                      "khác được."),
    }


def _unit_in(scope: set[int], unit: Unit) -> None:
    if unit.pk not in scope:
        raise AdminRefused("unit_out_of_scope", unit=unit.name)


def _not_self(actor, account) -> None:
    if actor.pk == account.pk:
        raise AdminRefused("self")


def _governed(actor, account, scope: set[int]) -> None:
    """The actor may change a person's rights or units only when every unit the person
    works in is under the actor, and the person administers nothing at the actor's level or
    above (a fellow top administrator, a co-administrator, one's own superior)."""
    _not_self(actor, account)
    units = set(Membership.objects.filter(account=account).values_list("unit_id", flat=True))
    if not units or not units <= scope:
        raise AdminRefused("works_elsewhere", name=account.full_name)
    own = {a.unit_id for a in Administrator.objects.filter(account=actor)}
    below = scope - own
    administered = set(Administrator.objects.filter(account=account)
                       .values_list("unit_id", flat=True))
    if not administered <= below:
        raise AdminRefused("peer_or_superior", name=account.full_name)


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
            raise AdminRefused("already_admin", name=account.full_name)
        Membership.objects.get_or_create(account=account, unit=unit,
                                         defaults={"added_by": actor})
        audit_record(actor=actor, action=AuditEntry.Action.APPOINT, unit=unit, target=account,
                     detail=account.username, ip=ip)
    return appointment


def admin_dismiss(*, actor, appointment: Administrator, ip: str) -> None:
    _not_self(actor, appointment.account)
    if appointment.level != Administrator.Level.UNIT:
        raise AdminRefused("top_admin")
    _unit_in(top_admin_scope(actor), appointment.unit)
    with transaction.atomic():
        appointment.delete()
        audit_record(actor=actor, action=AuditEntry.Action.DISMISS, unit=appointment.unit,
                     target=appointment.account, detail=appointment.account.username, ip=ip)


def member_add(*, actor, account, unit: Unit, ip: str) -> Membership:
    """Add an existing portal account to a unit in scope ("Quyền cho thêm mới người dùng")."""
    if ADD_USER not in account_rights(actor):
        raise AdminRefused("no_add_user")
    _not_self(actor, account)
    _unit_in(admin_scope(actor), unit)
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            account=account, unit=unit, defaults={"added_by": actor})
        if not created:
            raise AdminRefused("already_member", name=account.full_name)
        audit_record(actor=actor, action=AuditEntry.Action.MEMBER_ADD, unit=unit,
                     target=account, detail=account.username, ip=ip)
    return membership


def member_remove(*, actor, membership: Membership, ip: str) -> None:
    scope = admin_scope(actor)
    _unit_in(scope, membership.unit)
    _governed(actor, membership.account, scope)
    with transaction.atomic():
        account, unit = membership.account, membership.unit
        for grant in Grant.objects.filter(account=account, unit=unit).order_by("right"):
            grant.delete()  # a right is held in a unit one works in, never elsewhere
            _audit_right(actor, AuditEntry.Action.REVOKE, account, grant.right, unit, ip)
        membership.delete()
        audit_record(actor=actor, action=AuditEntry.Action.MEMBER_REMOVE, unit=unit,
                     target=account, detail=account.username, ip=ip)


def rights_set(*, actor, account, wanted: set[str], unit: Unit, ip: str) -> tuple[set, set]:
    """Make `account` hold exactly `wanted` in `unit` among the rights `actor` holds;
    rights the actor does not hold stay as they are, and so do the top administrators' own
    (rights.TOP_ONLY). Returns (granted, revoked)."""
    scope = admin_scope(actor)
    _unit_in(scope, unit)
    _governed(actor, account, scope)
    with transaction.atomic():
        # The actor's own rights are read under lock: one revoked meanwhile is not passed on.
        mine = set(Grant.objects.select_for_update().filter(account=actor)
                   .values_list("right", flat=True))
        if wanted & TOP_ONLY:
            raise AdminRefused("top_only")
        if wanted - set(RIGHTS) or wanted - mine:
            raise AdminRefused("not_held")
        mine -= TOP_ONLY
        held = set(Grant.objects.select_for_update().filter(account=account, unit=unit)
                   .values_list("right", flat=True))
        granted, revoked = wanted - held, (held & mine) - wanted
        for right in sorted(granted):
            Grant.objects.get_or_create(account=account, unit=unit, right=right,
                                        defaults={"granted_by": actor})
            _audit_right(actor, AuditEntry.Action.GRANT, account, right, unit, ip)
        for right in sorted(revoked):
            Grant.objects.filter(account=account, unit=unit, right=right).delete()
            _audit_right(actor, AuditEntry.Action.REVOKE, account, right, unit, ip)
    return granted, revoked


def _audit_right(actor, action, account, right, unit, ip) -> None:
    audit_record(actor=actor, action=action, unit=unit, target=account,
                 detail=f"{account.username}: {right_label(right)}", ip=ip)
