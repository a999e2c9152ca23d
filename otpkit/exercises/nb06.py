"""Exercises of notebook 06 (filled in by the lesson that uses them)."""
