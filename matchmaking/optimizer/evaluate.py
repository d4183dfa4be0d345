"""Scores and shares, always recomputed from the rounds themselves."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from types import MappingProxyType

from . import constraints
from .model import DelegationShare, Instance, Round, round_score


def score(instance: Instance, rounds: Iterable[Round]) -> float:
    """FORMAT.md's score: the sum of the weights of the requests met."""
    met = constraints.met_requests(instance, rounds)
    return round_score(math.fsum(instance.request_by_pair[pair].value for pair in sorted(met)))


def shares(instance: Instance, rounds: Sequence[Round]) -> MappingProxyType:
    """For every delegation with requests: requested weight, met weight and their ratio (1.0
    when it requested nothing of any weight)."""
    met = constraints.met_requests(instance, rounds)
    result = {}
    for delegation in instance.delegations:
        requests = instance.requests_by_delegation[delegation.id]
        if not requests:
            continue
        requested = round_score(math.fsum(r.value for r in requests))
        met_weight = round_score(
            math.fsum(r.value for r in requests if (r.delegation, r.offer) in met)
        )
        share = round_score(met_weight / requested) if requested > 0 else 1.0
        result[delegation.id] = DelegationShare(requested, met_weight, share)
    return MappingProxyType(result)


def worst_share(
    delegation_shares: MappingProxyType | dict, servable: Iterable[str]
) -> float | None:
    values = [delegation_shares[d].share for d in servable if d in delegation_shares]
    return min(values) if values else None
