"""Hypothesis drives the public registration form with arbitrary answers: no input may cause a
server error, and whatever gets stored is a complete, valid entry."""

from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.models import Articulator, ArticulatorToken
from programs.services import registry as services
from tests.programs.registry.factories import next_address, wizard_answers

pytestmark = pytest.mark.django_db

STEPS = ("organisation", "place", "activities", "contact")

junk_text = st.text(max_size=400)
junk = st.one_of(
    junk_text,
    st.integers(min_value=-10, max_value=10**12).map(str),
    st.sampled_from(["", " ", "yes", "no", "unanswered", "on", "0", "-1", "1e9", "null",
                     "http://", "https://[::1", "javascript:alert(1)", "a@b", "\x00", "🙂" * 50]),
)


def fuzzed(valid):
    """Each answer is either the valid one or junk; lists may also be junk lists."""
    fields = {}
    for name, value in valid.items():
        options = [st.just(value), junk]
        if isinstance(value, list):
            options.append(st.lists(junk, max_size=4))
        fields[name] = st.one_of(*options)
    return st.fixed_dictionaries(fields)


def answers_strategy():
    valid = wizard_answers()
    return st.fixed_dictionaries({step: fuzzed(valid[step]) for step in STEPS})


def assert_every_stored_entry_is_complete():
    for entry in Articulator.objects.prefetch_related("regions", "support_types",
                                                      "poverty_topics"):
        entry.full_clean()
        services.validate_entry_data(services.entry_values(entry))
        assert entry.revisions.exists()
        assert entry.tokens.filter(purpose=ArticulatorToken.Purpose.CONFIRM_EMAIL).exists()
        assert not entry.live


@pytest.mark.slow
def test_no_answer_breaks_the_form_or_leaves_half_an_entry(registration_page):
    url = registration_page.url

    @settings(max_examples=40, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(answers=answers_strategy(), actions=st.lists(
        st.sampled_from(["next", "back", "", "submit", "other"]), min_size=5, max_size=5),
        bogus_step=st.one_of(st.none(), junk_text))
    def run(answers, actions, bogus_step):
        client = Client(REMOTE_ADDR=next_address())
        for step, action in zip(STEPS, actions, strict=False):
            response = client.post(f"{url}?step={step}", {**answers[step], "action": action})
            assert response.status_code < 500
        response = client.post(f"{url}?step=review", {"action": actions[-1]})
        assert response.status_code < 500
        if bogus_step is not None:
            response = client.post(f"{url}?{urlencode({'step': bogus_step})}",
                                   {"action": "next"})
            assert response.status_code < 500
        assert_every_stored_entry_is_complete()

    run()
    # Valid answers went through often enough for the check above to mean something.
    assert Articulator.objects.exists()
