import pytest

from dimos.testing.personas import login, staff


@pytest.fixture
def officer(db):
    return staff("officer@example.org", "feedback_officer")


@pytest.fixture
def officer_client(officer):
    return login(officer)
