"""The named rights of the product, as Django permission codenames on accounts.Profile."""

RIGHTS = {
    "track_time": "Use the Timestamp page: scan, stop, assign, note, hide",
    "edit_times": "Change the start and end of a time line (audited)",
    "manage_catalog": "Manage products, tariffs and packages",
    "manage_invoicing": "Run the monthly invoicing and issue invoices",
    "view_reports": "View reports and exports",
    "manage_sites": "Set up sites, devices and their tokens, and users",
}
