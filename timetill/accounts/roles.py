"""The roles a business starts with, as groups of rights."""

from django.contrib.auth.models import Group, Permission

ROLES: dict[str, list[str]] = {
    "manager": [
        "track_time",
        "edit_times",
        "manage_catalog",
        "manage_invoicing",
        "view_reports",
        "manage_sites",
        "manage_users",
        "manage_customers",
    ],
    "cashier": ["track_time"],
    "parent": [],
}


def ensure_roles() -> dict[str, Group]:
    """Create the role groups (idempotent) and give them their rights."""
    groups = {}
    for name, rights in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = Permission.objects.filter(content_type__app_label="accounts", codename__in=rights)
        group.permissions.set(perms)
        groups[name] = group
    return groups
