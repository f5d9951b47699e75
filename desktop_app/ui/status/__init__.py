"""The status bar: loading progress, Cancel and the loaded model's name (a feature), and
the last answer's statistics (the window's)."""
