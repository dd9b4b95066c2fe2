"""What an administrator may act on: the units they were appointed to and all below."""

from django.db.models import Q

from accounts.identity import text_fold
from operator_console.models import Administrator, Grant, Membership, Unit


def units_below(roots) -> set[int]:
    """Ids of `roots` and every unit under them (province, commune, service: 3 levels)."""
    found = {unit.pk if isinstance(unit, Unit) else unit for unit in roots}
    frontier = set(found)
    while frontier:
        frontier = set(Unit.objects.filter(parent_id__in=frontier)
                       .values_list("pk", flat=True)) - found
        found |= frontier
    return found


def admin_appointments(account) -> list[Administrator]:
    if not account.is_authenticated:
        return []
    return list(Administrator.objects.filter(account=account).select_related("unit"))


def admin_scope(account) -> set[int]:
    """Ids of the units `account` administers (empty: not an administrator)."""
    return units_below([a.unit_id for a in admin_appointments(account)])


def is_top_admin(account) -> bool:
    return any(a.level == Administrator.Level.PROVINCE for a in admin_appointments(account))


def top_admin_scope(account) -> set[int]:
    return units_below([a.unit_id for a in admin_appointments(account)
                        if a.level == Administrator.Level.PROVINCE])


def account_rights(account, unit: Unit | None = None) -> set[str]:
    """The rights `account` holds in `unit`, or in any unit."""
    grants = Grant.objects.filter(account=account)
    if unit is not None:
        grants = grants.filter(unit=unit)
    return set(grants.values_list("right", flat=True))


def staff_in_scope(scope: set[int], query: str = ""):
    """Memberships of the units in scope, by person; `query` matches a name (folded) or
    an ID number."""
    found = Membership.objects.filter(unit_id__in=scope)
    if query.isdigit():
        found = found.filter(account__username=query)
    elif query:
        found = found.filter(account__name_folded__contains=text_fold(query))
    return found.select_related("account", "unit").order_by("account__full_name", "unit__name")


def scope_units(scope: set[int]):
    return Unit.objects.filter(pk__in=scope).order_by("kind", "name")


def scope_filter(scope: set[int], field: str = "unit") -> Q:
    return Q(**{f"{field}_id__in": scope})
