"""Loaded first by pytest (`-p tests._env` in pyproject): development settings for the suite.

It runs before pytest-django reads the settings, so a bare `pytest` works as `make test` does.
"""

import os

os.environ.setdefault("POSYANDU_DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "posyandu.config.settings")
