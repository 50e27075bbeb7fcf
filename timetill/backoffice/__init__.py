"""The back office a manager uses: users and rights, customers, sites and devices, printable cards, help."""
