"""Ratings in Telegram: a relative rates (/rate), the home answers complaints, moderators decide."""
