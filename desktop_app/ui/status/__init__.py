"""The status bar's model part: loading progress, Cancel, and the loaded model's name."""
