"""Exercises of notebook 04 (filled in by the lesson that uses them)."""
