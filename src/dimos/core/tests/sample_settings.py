"""The suite's settings with one more app: the sample app that plugs in by its manifest."""

from dimos.testing.settings import *  # noqa: F403
from dimos.testing.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "dimos.core.tests.sampleapp"]
