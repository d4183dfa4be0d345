"""The large-event generator behind the schedule editor benchmark."""

from collections import Counter

import pytest

from matchmaking.optimizer import validate
from matchmaking.optimizer.bench.trade_fair import TradeFairShape, trade_fair


def test_the_default_fair_is_300_rooms_8_sessions_2000_valid_rounds():
    fair = trade_fair()
    assert len(fair.instance.rooms) == 300
    assert len(fair.instance.sessions) == 8
    assert len(fair.rounds) == 2000
    assert len(fair.instance.offers) == 2000
    assert len(fair.instance.delegations) == 600
    violations, _score = validate(fair.instance, fair.rounds)
    assert violations == []
    cells = Counter((r.session, r.room) for r in fair.rounds)
    assert max(cells.values()) == 1
    assert {len(r.attendees) for r in fair.rounds} <= {2, 3, 4}
    # 250 rooms hold 8 rounds each; the last 50 are free for moves.
    assert len({r.room for r in fair.rounds}) == 250


def test_every_attendee_requested_its_round_and_everyone_has_an_unmet_wish():
    fair = trade_fair(TradeFairShape(rooms=20, sessions=4, rounds=60, delegations=30))
    requested = {(r.delegation, r.offer) for r in fair.instance.requests}
    attended = {(d, r.offer) for r in fair.rounds for d in r.attendees}
    assert attended <= requested
    unmet = Counter(d for d, _offer in requested - attended)
    assert set(unmet) == {d.id for d in fair.instance.delegations}
    ranks = Counter((r.delegation, r.rank) for r in fair.instance.requests)
    assert max(ranks.values()) == 1


def test_rounds_fill_each_room_session_by_session():
    fair = trade_fair(TradeFairShape(rooms=2, sessions=2, rounds=3, delegations=8,
                                     topics=("health",)))
    assert [(r.session, r.room) for r in fair.rounds] == [
        ("s1", "r001"), ("s2", "r001"), ("s1", "r002")]
    assert {o.topics for o in fair.instance.offers} == {("health",)}


def test_the_same_seed_gives_the_same_fair_and_another_seed_another():
    shape = TradeFairShape(rooms=10, sessions=3, rounds=25, delegations=15)
    assert trade_fair(shape, seed=4) == trade_fair(shape, seed=4)
    assert trade_fair(shape, seed=4).rounds != trade_fair(shape, seed=5).rounds


def test_more_rounds_than_cells_is_refused():
    with pytest.raises(ValueError, match="7 rounds do not fit in 2 rooms x 3 sessions"):
        trade_fair(TradeFairShape(rooms=2, sessions=3, rounds=7))
