"""What every UI feature uses: theme, icons, translations, shortcuts, the GUI-thread collector."""
