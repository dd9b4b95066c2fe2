"""Administration pages: staff of the units in scope, their rights, unit administrators.

Views parse and call operator_console.administration.services, which checks scope and
rights again.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import client_ip
from operator_console.access import admin_required, fresh_auth_required
from operator_console.administration import services as admin
from operator_console.administration.forms import PersonInUnitForm
from operator_console.models import Administrator, Membership, Unit
from operator_console.paging import page_get
from operator_console.rights import GROUPS, TOP_ONLY
from operator_console.scope import (
    account_rights,
    admin_scope,
    is_top_admin,
    scope_units,
    staff_in_scope,
    top_admin_scope,
)


@admin_required
def staff(request):
    scope = admin_scope(request.user)
    form = PersonInUnitForm(request.POST or None, units=scope_units(scope))
    if request.method == "POST" and form.is_valid():
        try:
            admin.member_add(actor=request.user, account=form.account,
                             unit=form.cleaned_data["unit"], ip=client_ip(request))
        except admin.AdminRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Đã thêm %(name)s vào %(unit)s.") % {
                "name": form.account.full_name, "unit": form.cleaned_data["unit"].name})
            return redirect("operator_console:staff")
    query = request.GET.get("q", "").replace("\x00", "").strip()[:150]
    page = page_get(request, staff_in_scope(scope, query), 50)
    return render(request, "operator_console/staff.html", {
        "form": form, "page": page, "q": query, "staff_query": urlencode({"q": query}),
        "can_add": "add_user" in account_rights(request.user),
    })


@require_POST
@admin_required
def staff_remove(request, membership_id: int):
    membership = _membership(request, membership_id)
    try:
        admin.member_remove(actor=request.user, membership=membership, ip=client_ip(request))
    except admin.AdminRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Đã đưa %(name)s khỏi %(unit)s.") % {
            "name": membership.account.full_name, "unit": membership.unit.name})
    return redirect("operator_console:staff")


def _membership(request, membership_id: int) -> Membership:
    """A membership in the actor's scope; any other is "not found"."""
    return get_object_or_404(Membership.objects.select_related("account", "unit"),
                             pk=membership_id, unit_id__in=admin_scope(request.user))


@admin_required
@fresh_auth_required()
def staff_rights(request, membership_id: int):
    membership = _membership(request, membership_id)
    mine = account_rights(request.user)
    if request.method == "POST":
        wanted = set(request.POST.getlist("rights"))
        try:
            granted, revoked = admin.rights_set(
                actor=request.user, account=membership.account, wanted=wanted,
                unit=membership.unit, ip=client_ip(request))
        except admin.AdminRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Đã lưu phân quyền: cấp %(g)d quyền, thu hồi %(r)d quyền.")
                             % {"g": len(granted), "r": len(revoked)})
            return redirect("operator_console:staff_rights", membership_id=membership_id)
    held = account_rights(membership.account, unit=membership.unit)
    return render(request, "operator_console/staff_rights.html", {
        "membership": membership, "groups": _grant_rows(mine, held),
        "self": membership.account_id == request.user.pk,
    })


def _grant_rows(mine: set, held: set) -> list:
    return [(group, [{"code": code, "label": label, "here": here, "held": code in held,
                      "top_only": code in TOP_ONLY,
                      "grantable": code in mine - TOP_ONLY} for code, label, here in rights])
            for group, rights in GROUPS]


@admin_required
def admins(request):
    if not is_top_admin(request.user):
        return render(request, "operator_console/forbidden.html", {
            "right": _("Quản trị cấp cao của tỉnh"),
            "reason": _("Chỉ quản trị cấp cao của tỉnh mới bổ nhiệm quản trị đơn vị."),
        }, status=403)
    scope = top_admin_scope(request.user)
    return render(request, "operator_console/admins.html", {
        "form": PersonInUnitForm(units=_appointable(scope)),
        "appointments": Administrator.objects.filter(unit_id__in=scope)
        .select_related("account", "unit", "appointed_by").order_by("unit__name"),
    })


def _appointable(scope: set[int]):
    return scope_units(scope).exclude(kind=Unit.Kind.PROVINCE)


@require_POST
@admin_required
@fresh_auth_required(back="operator_console:admins")
def admin_appoint(request):
    scope = top_admin_scope(request.user)
    form = PersonInUnitForm(request.POST, units=_appointable(scope))
    if form.is_valid():
        try:
            admin.admin_appoint(actor=request.user, account=form.account,
                                unit=form.cleaned_data["unit"], ip=client_ip(request))
        except admin.AdminRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Đã bổ nhiệm %(name)s làm quản trị %(unit)s.") % {
                "name": form.account.full_name, "unit": form.cleaned_data["unit"].name})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("operator_console:admins")


@require_POST
@admin_required
@fresh_auth_required(back="operator_console:admins")
def admin_dismiss(request, appointment_id: int):
    appointment = get_object_or_404(
        Administrator.objects.select_related("account", "unit"), pk=appointment_id,
        unit_id__in=top_admin_scope(request.user))
    try:
        admin.admin_dismiss(actor=request.user, appointment=appointment, ip=client_ip(request))
    except admin.AdminRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("%(name)s thôi làm quản trị %(unit)s.") % {
            "name": appointment.account.full_name, "unit": appointment.unit.name})
    return redirect("operator_console:admins")
