"""Demo data built from the seeds: an association in Sants with its programmes, people, sessions
and territorial networks (``teixit demo`` and the welcome dialog)."""

from app.demo.load import DemoSummary, load_demo

__all__ = ["DemoSummary", "load_demo"]
