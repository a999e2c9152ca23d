"""Exercises of notebook 03 (filled in by the lesson that uses them)."""
