"""The council secretariat's writes. Each runs in one transaction and leaves an audit entry.

A meeting's states (the table :data:`WORKFLOW`, applied by the workflow kit)::

    planned ──► invited ──► held
       │           │  ▲
       │           └──┘ (the changed agenda published again)
       └─────┬─────┘
             ▼
         cancelled (a reason)

Moving a meeting (``move_meeting``: a new start and end, with a reason once invited) keeps
its state and writes a :class:`MeetingEvent` too. After the invitation, the agenda changes
(an item added, moved or withdrawn) only with a ``change_note`` that says why.

Members with an account are told of the invitation, a move and a cancellation
(``council.invitation``); the residents who follow the body learn of it through
:data:`dimos.council.signals.agenda_published`, sent once the transaction commits.

The package: ``meetings`` (preparing, moving, the workflow), ``agenda`` (items, papers,
documents), ``record`` (roll call, votes, decisions, ADA, recording, time-codes, minutes, what
is missing), ``questions`` (moderation) and ``common`` (what they share).
"""

from dimos.council.services.agenda import (
    NUMBER_RE,
    ItemText,
    add_item,
    attach_document,
    attach_paper,
    change_item,
    move_item,
    next_item_number,
    withdraw_item,
)
from dimos.council.services.common import (
    CHANGE,
    EVENT_LABELS,
    CouncilError,
    meeting_members,
    members_of,
    public_url,
)
from dimos.council.services.meetings import (
    WORKFLOW,
    MeetingPlan,
    cancel_meeting,
    change_meeting,
    check_overlap,
    last_meeting,
    mark_held,
    move_meeting,
    next_meeting_number,
    prepare_meeting,
    publish_invitation,
    standing_items,
)
from dimos.council.services.questions import (
    moderate_question,
)
from dimos.council.services.record import (
    TIMECODE_RE,
    Missing,
    absent_at_roll_call,
    format_timecode,
    missing_of,
    next_decision_number,
    parse_timecode,
    publish_minutes,
    record_attendance,
    record_decision,
    record_votes,
    set_ada,
    set_meeting_recording,
    set_timecodes,
)

__all__ = [
    "CHANGE",
    "EVENT_LABELS",
    "NUMBER_RE",
    "TIMECODE_RE",
    "WORKFLOW",
    "CouncilError",
    "ItemText",
    "MeetingPlan",
    "Missing",
    "absent_at_roll_call",
    "add_item",
    "attach_document",
    "attach_paper",
    "cancel_meeting",
    "change_item",
    "change_meeting",
    "check_overlap",
    "format_timecode",
    "last_meeting",
    "mark_held",
    "meeting_members",
    "members_of",
    "missing_of",
    "moderate_question",
    "move_item",
    "move_meeting",
    "next_decision_number",
    "next_item_number",
    "next_meeting_number",
    "parse_timecode",
    "prepare_meeting",
    "public_url",
    "publish_invitation",
    "publish_minutes",
    "record_attendance",
    "record_decision",
    "record_votes",
    "set_ada",
    "set_meeting_recording",
    "set_timecodes",
    "standing_items",
    "withdraw_item",
]
