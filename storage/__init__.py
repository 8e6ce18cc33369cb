"""SQLite storage for dgwatch, through sqlite-utils."""
