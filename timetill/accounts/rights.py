"""The named rights of the product, as Django permission codenames on accounts.Profile, with their labels."""

from django.utils.translation import gettext_lazy as _

# Codename -> the permission's stored name (kept in English: it is data in the permissions table).
RIGHTS = {
    "track_time": "Use the Timestamp page: scan, stop, assign, note, hide",
    "edit_times": "Change the start and end of a time line (audited)",
    "manage_catalog": "Manage products, tariffs and packages",
    "manage_invoicing": "Run the monthly invoicing and issue invoices",
    "view_reports": "View reports and exports",
    "manage_sites": "Set up sites, devices and their tokens",
    "manage_users": "Manage users and their rights",
    "manage_customers": "Manage customers, their codes, groups and guardians; import and export them",
}

# What the back office shows beside each right's checkbox: what it lets a person do, in plain words.
RIGHT_LABELS = {
    "track_time": _("Track time: scan people in and out, stop, assign, note and hide stays, use the till"),
    "edit_times": _("Correct the start and end of a stay (every correction is kept in the audit trail)"),
    "manage_catalog": _("Manage products, tariffs and packages"),
    "manage_invoicing": _("Run the monthly invoicing and issue invoices"),
    "view_reports": _("See reports and download exports"),
    "manage_sites": _("Set up sites and devices (kiosks, gates) and their tokens"),
    "manage_users": _("Manage users: invite them, give them rights, a home page and a site, deactivate them"),
    "manage_customers": _("Manage customers: their codes and cards, groups and guardians; import and export"),
}
