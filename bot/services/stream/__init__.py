"""The public, hash-chained review stream: events, pages, chain checks and push delivery.

The public face of the package: handlers import only what is named here, the package's
own modules import each other directly.
"""
