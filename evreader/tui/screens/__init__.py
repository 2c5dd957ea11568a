"""Screens: the main reader, help, entity picker, export dialog, narrow article view."""
