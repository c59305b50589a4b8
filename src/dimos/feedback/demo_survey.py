"""The demo survey (filled in when surveys land)."""


def seed_survey() -> None:
    return None
