"""What every layer shares and nothing in it reaches the database or Telegram: domain errors,
the one callback-data scheme (its registry of prefixes)."""
