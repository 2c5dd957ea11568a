"""The main screen's panes."""
