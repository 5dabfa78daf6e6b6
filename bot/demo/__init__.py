"""``heimbote demo``: the real bot against a local stand-in for Telegram, played in the browser.

- ``runner``: starts the fake Telegram (``bot.sandbox.telegram``, the one the tests use), the
  real bot (``bot.app.Heimbote``) pointed at it, the page's web server; seeds the home.
- ``cast``: Anna, Ben, Carla and the staff group as fake Telegram users.
- ``seed``: the demo home "Haus Sonnenhof", through the services (one function per part).
- ``server``, ``actions``, ``rendering``: the page ``/demo``, what a persona does, how
  messages look. ``chrome``: the page's words and guided tour in English and German.
- ``static/``: the page (plain HTML, CSS, JavaScript; nothing loaded from elsewhere).
"""

from pathlib import Path

# Here rather than in ``runner``, so that ``heimbote --help`` need not import the whole bot.
DEFAULT_DATABASE = Path("heimbote-demo.sqlite3")
