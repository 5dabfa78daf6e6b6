"""Arriving: /start, the language choice, and joining a home with an invite code."""
