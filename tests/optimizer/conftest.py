"""Fixtures shared by the optimiser tests."""

import pytest


@pytest.fixture
def example_document() -> dict:
    """FORMAT.md's example instance, verbatim."""
    return {
        "format": "negotiation-rounds/1",
        "name": "Third Workshop on Social Policy (example)",
        "min_attendees": 2,
        "sessions": [{"id": "s1", "label": "Thursday 09:00"}, {"id": "s2"}],
        "rooms": [
            {"id": "r1", "capacity": 6},
            {"id": "r2", "capacity": 4, "sessions": ["s2"]},
        ],
        "delegations": [
            {"id": "COL", "name": "Colombia", "delegates": 3},
            {"id": "PER", "name": "Peru", "delegates": 1, "unavailable": ["s1"]},
            {"id": "BOL", "name": "Bolivia"},
        ],
        "offers": [
            {"id": "col-unidos", "owner": "COL", "title": "UNIDOS network",
             "topics": ["extreme poverty"]},
            {"id": "per-qaliwarma", "owner": "PER", "title": "School nutrition",
             "max_repeats": 2},
        ],
        "requests": [
            {"delegation": "PER", "offer": "col-unidos", "rank": 1},
            {"delegation": "BOL", "offer": "col-unidos", "rank": 2},
            {"delegation": "BOL", "offer": "per-qaliwarma", "rank": 1, "weight": 2.5},
        ],
        "pinned": [{"offer": "col-unidos", "session": "s2", "room": "r1"}],
    }
