"""The Textual face of evreader: a three-pane, keyboard-driven reader."""
