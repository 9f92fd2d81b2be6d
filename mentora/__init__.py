"""Mentora: an open-source platform for running mentoring programs."""

__version__ = "0.1.0"
