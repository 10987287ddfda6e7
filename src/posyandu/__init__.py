"""Posyandu ILP: the village health post information system."""

__version__ = "0.1.0"
