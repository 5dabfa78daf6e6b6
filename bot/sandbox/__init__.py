"""Stand-ins for the outside world, for the tests and ``heimbote demo`` (no internet needed)."""
