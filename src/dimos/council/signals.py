"""The council's signals, so that the parts of the app stay apart.

``agenda_published`` is sent (on commit) when a meeting's invitation and agenda are published,
or republished after a change: ``sender=Meeting``, ``meeting=``, ``changed=`` (True when it was
already published before). The residents' follows listen to it and tell those who follow the
body or a keyword of its agenda.
"""

from django.dispatch import Signal

agenda_published = Signal()
