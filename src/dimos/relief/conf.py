"""The settings of relief (docs/configuration.md), read as ``conf.RETENTION_MONTHS``."""

from dimos.core.conf import AppConf, Setting


class ReliefConf(AppConf):
    # A beneficiary not helped for this many months has their personal data erased by the
    # retention task; the anonymous counts (district, day, what was needed) stay.
    RETENTION_MONTHS = Setting("DIMOS_RELIEF_RETENTION_MONTHS", int, 12)
    # A beneficiary never helped (every request declined, or never acted on before its day
    # passed) has their personal data erased this many days after their last request ended.
    UNHELPED_RETENTION_DAYS = Setting("DIMOS_RELIEF_UNHELPED_RETENTION_DAYS", int, 90)
    # How long a coordinator's decision on the social grocery holds (eligible or not): a food
    # parcel is accepted only while an eligible decision holds; then it is checked again.
    FOOD_ELIGIBILITY_MONTHS = Setting("DIMOS_RELIEF_FOOD_ELIGIBILITY_MONTHS", int, 6)
    # A recurring request (every Tuesday…) makes its requests this many days ahead, once a
    # day (relief/recurring.py), so that coordinators see and schedule them in time.
    RECURRING_DAYS_AHEAD = Setting("DIMOS_RELIEF_RECURRING_DAYS_AHEAD", int, 7)
    # The furthest a recurring request may end: this many weeks from the day it is made.
    RECURRING_MAX_WEEKS = Setting("DIMOS_RELIEF_RECURRING_MAX_WEEKS", int, 26)
    # Wrong proof codes a courier may enter for one delivery before the coordinator is alerted
    # and the code stops being accepted (the courier then records a name and a note).
    CODE_TRIES = Setting("DIMOS_RELIEF_CODE_TRIES", int, 5)
    # The largest receipt photo a courier may upload (JPEG or PNG, re-encoded without EXIF).
    RECEIPT_MAX_BYTES = Setting("DIMOS_RELIEF_RECEIPT_MAX_BYTES", int, 8 * 1024 * 1024)
    # Public figures show no count below this (a district with 3 requests reads "fewer than
    # 5"), so that a number cannot point to a person (relief/figures.py).
    FIGURES_MIN_COUNT = Setting("DIMOS_RELIEF_FIGURES_MIN_COUNT", int, 5)
    # Volunteers' tasks: how many days ahead (after today) "tasks near me" lists.
    TASK_DAYS_AHEAD = Setting("DIMOS_RELIEF_TASK_DAYS_AHEAD", int, 7)
    # How many hours before a task's time window its volunteer is reminded (0: no reminder).
    TASK_REMINDER_HOURS = Setting("DIMOS_RELIEF_TASK_REMINDER_HOURS", int, 3)
    # The hour of the task's day at which coordinators are alerted if it still has no one.
    TASK_ALERT_HOUR = Setting("DIMOS_RELIEF_TASK_ALERT_HOUR", int, 8)
    # How long after a visit is over its volunteer still sees the address, phone and notes.
    TASK_DETAILS_HOURS = Setting("DIMOS_RELIEF_TASK_DETAILS_HOURS", int, 24)


conf = ReliefConf()
