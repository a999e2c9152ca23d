"""Exercises of notebook 08 (filled in by the lesson that uses them)."""
