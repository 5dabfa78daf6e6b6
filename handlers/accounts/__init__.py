"""A relative's own account: settings, privacy and data rights, blocking and unblocking the bot."""
