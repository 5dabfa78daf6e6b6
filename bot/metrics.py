"""Prometheus metrics of one running bot (own registry, so several bots can live in one test)."""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, generate_latest


def _counter(registry: CollectorRegistry, name: str, documentation: str, *labels: str) -> Counter:
    return Counter(name, documentation, labelnames=labels, registry=registry)


@dataclass
class Metrics:
    """The counters ``GET /metrics`` exposes."""

    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        self.updates_handled = _counter(
            self.registry, "heimbote_updates_handled", "Telegram updates received and handled"
        )
        self.handler_errors = _counter(
            self.registry, "heimbote_handler_errors", "Updates whose handling raised an error"
        )
        self.messages_sent = _counter(
            self.registry, "heimbote_messages_sent", "Messages sent to Telegram", "method"
        )

        self.deliveries_sent = _counter(
            self.registry, "heimbote_deliveries_sent", "Outbox deliveries sent"
        )

    def exposition(self) -> bytes:
        """The Prometheus text format of every counter."""
        return generate_latest(self.registry)
