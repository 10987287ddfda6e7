"""Fixtures of the posyandu day tests."""

from tests.unit.visits.factories import small_posyandu

__all__ = ["small_posyandu"]
