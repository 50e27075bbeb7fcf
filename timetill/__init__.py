"""Timetill: bill time spent in a place."""
