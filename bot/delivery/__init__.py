"""Telegram traffic in and out: the outbox, its sender and pacing, processed updates."""
