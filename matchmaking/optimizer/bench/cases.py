"""The benchmark's workshops and the targets of issue 4 for each."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from ..io import read_instance
from ..model import Instance
from .generator import Shape, generate

DATA = Path(__file__).resolve().parents[2] / "data"
SANTA_MARTA = DATA / "santa_marta_2012.json"


@dataclass(frozen=True)
class Case:
    name: str
    description: str
    shape: Shape | None  # None: the Santa Marta 2012 file
    time_limit: float  # the target's time, given to the solver as its limit
    target: str  # issue 4's words

    def instance(self, seed: int) -> Instance:
        if self.shape is None:
            return read_instance(SANTA_MARTA)
        return generate(self.shape, seed=seed, name=f"{self.name} seed {seed}")


CASES = {
    case.name: case
    for case in (
        Case("santa-marta", "Santa Marta 2012 (seed 003): 4 sessions x 4 rooms, 46 requests",
             None, 1.0, "proven optimal in under 1 s"),
        Case("small", "30 delegations, 60 offers, 4 sessions, 6 rooms",
             Shape(30, 60, 4, 6), 1.0, "proven optimal in under 1 s"),
        Case("medium", "120 delegations, 300 offers, 6 sessions, 15 rooms",
             Shape(120, 300, 6, 15), 20.0,
             ">= 99.9% of the optimum within 5 s with a bound <= 0.5% above the score; "
             "proven optimal within 20 s"),
        Case("large", "500 delegations, 1,500 offers, 10 sessions, 40 rooms",
             Shape(500, 1500, 10, 40), 30.0,
             ">= 99.9% of the LP-relaxation bound within 30 s, <= 1 GB"),
        Case("bilateral", "bilateral mode: 200 delegations, 200 offers, 12 sessions, "
             "60 tables of capacity 1", Shape(200, 200, 12, 60, bilateral=True), 5.0,
             "proven optimal within 5 s"),
        Case("contended", "150 delegations, 400 offers, > 1,000 requests, 6 sessions, 8 rooms",
             Shape(150, 400, 6, 8, requests_per_delegate=3.2), 30.0,
             ">= 99.5% of the best known schedule within 30 s, honest bound"),
    )
}

QUICK = ("santa-marta", "small", "bilateral")


def with_unavailable(instance: Instance, delegation_id: str, session_id: str) -> Instance:
    """The instance with one delegation unable to come to one more session."""
    delegations = tuple(
        dataclasses.replace(d, unavailable=d.unavailable | {session_id})
        if d.id == delegation_id else d
        for d in instance.delegations
    )
    return dataclasses.replace(instance, delegations=delegations)

