"""Exercises of notebook 05 (filled in by the lesson that uses them)."""
