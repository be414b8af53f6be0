"""deliberate: participatory voting and deliberation for political forums."""

__version__ = "0.1.0"
