"""Customers, their groups, their codes (EAN-13, RFID, QR, plate…) and their guardians."""
