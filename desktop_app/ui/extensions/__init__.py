"""The plug-in API of the main window: see ``api`` (what a feature may add) and
``points`` (where the window puts it)."""
