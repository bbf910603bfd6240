"""townsite: a static site generator for a showcase of special towns, parks and events."""

__version__ = "0.1.0"
