"""The figures a worker recomputes reach the web processes (the default cache is shared).

With a cache in each process's memory, the worker recomputed the dashboard into its own
memory, and staff kept seeing the old figures, marked stale, for up to a day.
"""

import pytest

# One process plays the web server: it shows the figures, a report comes in, it shows the
# last figures and asks a worker for new ones; a real worker process computes them; then the
# web process must show the new ones, not the stale ones again.
WEB_PROCESS = """
import subprocess, sys
from dimos.accounts.models import User
from dimos.reports.dashboard import DashboardFilterForm, figures_for
from dimos.reports.tests.factories import ReportFactory

staff = User.objects.create_superuser(email="figures@example.org", password="Figures-2026-x")

def figures():
    return figures_for(staff, DashboardFilterForm(None, user=staff))

first = figures()
ReportFactory.create()
second = figures()
subprocess.run([sys.executable, "-m", "dimos.cli", "worker", "--batch"], check=True, timeout=120)
third = figures()
print(second.stale, third.stale, third.figures.totals.total - first.figures.totals.total)
"""


@pytest.mark.django_db(transaction=True)
def test_figures_computed_by_the_worker_reach_the_web_process(process_site):
    stale_while_refreshing, stale_after, new_reports = process_site.shell(WEB_PROCESS).split()
    assert stale_while_refreshing == "True"
    assert stale_after == "False"
    assert new_reports == "1"
