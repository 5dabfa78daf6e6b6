"""What the public routes need from the running app, kept under one ``web.AppKey``."""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web

from bot.web.cache import ResponseCache
from bot.web.stream_cache import StreamRuns


@dataclass
class PublicSite:
    """The public pages' settings and the answers they keep."""

    public_url: str | None = None  # HEIMBOTE_PUBLIC_URL; unset: the URL the request came to
    default_locale: str = "de"
    cache: ResponseCache = field(default_factory=ResponseCache)
    stream_runs: StreamRuns = field(default_factory=StreamRuns)

    def base_url(self, request: web.Request) -> str:
        """Where the public pages live, for absolute links (feeds, JSON-LD, OpenAPI).

        Without ``HEIMBOTE_PUBLIC_URL``: the address the server listens on, as the socket says
        it — never the request's ``Host`` header, which the client chooses.
        """
        if self.public_url:
            return self.public_url
        sockname = request.transport.get_extra_info("sockname") if request.transport else None
        if not isinstance(sockname, tuple) or len(sockname) < 2:
            return ""  # links relative to the site
        host, port = str(sockname[0]), int(sockname[1])
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


SITE_KEY = web.AppKey("public_site", PublicSite)
