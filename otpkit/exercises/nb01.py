"""Exercises of notebook 01 (filled in by the lesson that uses them)."""
