"""The settings the test suite runs with (pyproject: ``DJANGO_SETTINGS_MODULE``).

Dimos' own settings in test mode: memory cache, tasks run at once, no geocoder, static files
from the finders. Test mode is asked for explicitly; it is never inferred from what a process
happens to have imported. Processes the tests start (``dimos serve``, ``dimos worker``) get
the real settings, as in production.
"""

import os

os.environ["DIMOS_TESTING"] = "1"

from dimos.settings import *  # noqa: F403
