"""The aggregate integer programme, built as arrays for HiGHS.

Variables (all binary):
  x[j]   request r meets its offer in session s, for each meetable pair j = (r, s)
  y[k]   offer o runs in session s, for each candidate round k = (o, s)
  w[k,t] round k needs a room of capacity class t or bigger (t = 1, 2, ...; class 0 is the
         smallest usable room of the session, which y alone pays for)

Rooms of one capacity that are free in one session are interchangeable, so the programme
decides how many rounds need each size and leaves the actual room to `rooms.assign`; this
removes the room symmetry that makes the textbook model (one variable per room) slow. Since
a room fits every round that a smaller room fits, the sizes are feasible exactly when, for
every class t, the rounds needing class t or bigger are at most the rooms of class t or bigger
(Hall's condition for nested sets), which is what the room rows say.

Rows, each from a FORMAT.md rule:
  rule 3   sum_s x[r,s] <= 1                         a request is met at most once
  rule 3   x[r,s] <= y[o,s]                          one attends only rounds that run
  rule 4   sum_r x[r,s] >= L * y[o,s]                min_attendees
  rule 4   sum_r x[r,s] <= cap_0 y[k] + sum_t (cap_t - cap_t-1) w[k,t]      room capacity
  rule 1   w[k,t] <= w[k,t-1] <= y[k];  sum_k w[k,t] <= rooms of class >= t in session s
  rule 2   sum_s y[o,s] <= max_repeats
  rule 5   presents + attends in session s <= delegates; attends overall <= max_attended
  rule 6   pinned rounds have y = 1 and their own room's capacity

The fair objective adds, for every delegation that can be served at all, its met weight as
a share of its requested weight: stage 1 maximises a column t below every share, stage 2
maximises the total weight with every share held at or above the level stage 1 reached.

With a minimum number of rounds per delegation (`targets`: {delegation: rounds}), a binary
z[d] per delegation with a target may be 1 only when d attends at least its target
(sum x[d] >= target * z[d]); stage 0 maximises sum z, and the later stages keep
sum z >= the count stage 0 reached (`reaching_floor`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from .compiled import Compiled


@dataclass
class Formulation:
    compiled: Compiled
    n_x: int
    n_y: int
    w_columns: list[tuple[int, int]]  # (candidate round k, class step t >= 1)
    cost: np.ndarray  # objective coefficients (maximise)
    lower: np.ndarray
    upper: np.ndarray
    matrix: sparse.csr_matrix
    row_lower: np.ndarray
    row_upper: np.ndarray
    integer: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    share_column: int | None = None  # stage 1 of the fair objective: the worst share t
    # minimum rounds per delegation: {delegation: its z column} and {delegation: target}
    z_of_delegation: dict[int, int] = field(default_factory=dict)
    targets: dict[int, int] = field(default_factory=dict)
    row_kind: list[str] = field(default_factory=list)
    w_of_round: list[list[int]] = field(default_factory=list)  # per k: its w columns, t=1..

    @property
    def n_columns(self) -> int:
        return len(self.cost)

    def y_column(self, k: int) -> int:
        return self.n_x + k


class _Rows:
    def __init__(self):
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.vals: list[float] = []
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.kind: list[str] = []

    def add(self, columns, values, lower, upper, kind):
        row = len(self.lower)
        self.rows.extend([row] * len(columns))
        self.cols.extend(columns)
        self.vals.extend(values)
        self.lower.append(lower)
        self.upper.append(upper)
        self.kind.append(kind)


def build(
    compiled: Compiled,
    *,
    maximise_worst_share: bool = False,
    share_floor: float | None = None,
    objective_scale: float = 1.0,
    targets: dict[int, int] | None = None,
    maximise_reaching: bool = False,
    reaching_floor: int | None = None,
) -> Formulation:
    """The programme maximising the met weight (times `objective_scale`), or with
    `maximise_worst_share` the smallest share over the servable delegations, or with
    `maximise_reaching` the number of delegations attending at least their `targets`;
    `share_floor` keeps every servable delegation's share at or above that level,
    `reaching_floor` keeps at least that many delegations at their targets."""
    targets = dict(targets or {})
    c = compiled
    n_x = len(c.rs_pairs)
    n_y = len(c.os_pairs)
    request_weights = np.asarray(c.req_weight, dtype=float)

    w_columns: list[tuple[int, int]] = []
    w_of_round: list[list[int]] = []
    for k in range(n_y):
        first = n_x + n_y + len(w_columns)
        steps = c.thresholds(k)
        w_columns.extend((k, t) for t in range(1, steps + 1))
        w_of_round.append(list(range(first, first + steps)))
    n_columns = n_x + n_y + len(w_columns)
    z_of_delegation = {}
    for d in sorted(targets):
        z_of_delegation[d] = n_columns
        n_columns += 1
    share_column = n_columns if maximise_worst_share else None
    if maximise_worst_share:
        n_columns += 1

    cost = np.zeros(n_columns)
    req_of_x = np.fromiter((r for r, _s in c.rs_pairs), dtype=np.int64, count=n_x)
    if maximise_worst_share:
        cost[share_column] = 1.0
    elif maximise_reaching:
        cost[list(z_of_delegation.values())] = 1.0
    elif n_x:
        cost[:n_x] = request_weights[req_of_x] * objective_scale
    lower = np.zeros(n_columns)
    upper = np.ones(n_columns)
    for k, (o, s) in enumerate(c.os_pairs):
        if (o, s) in c.pinned_room:
            lower[n_x + k] = 1.0

    rows = _Rows()
    L = c.min_attendees
    INF = np.inf

    # rule 3: each request met at most once
    for js in c.rs_of_request:
        if len(js) > 1:
            rows.add(js, [1.0] * len(js), -INF, 1.0, "request")

    for k, (o, s) in enumerate(c.os_pairs):
        js = c.rs_of_os[k]
        yk = n_x + k
        pinned = (o, s) in c.pinned_room
        # rule 3: attend only rounds that run
        if not pinned:
            for j in js:
                rows.add([j, yk], [1.0, -1.0], -INF, 0.0, "link")
        # rule 4: min_attendees
        if L > 0:
            if pinned:
                rows.add(js, [1.0] * len(js), float(L), INF, "min")
            else:
                rows.add([*js, yk], [1.0] * len(js) + [-float(L)], 0.0, INF, "min")
        # rule 4: capacity; rule 1: room sizes are nested
        if pinned:
            capacity = c.capacity_of_pinned(k)
            if len(js) > capacity:
                rows.add(js, [1.0] * len(js), -INF, float(capacity), "capacity")
            continue
        classes = c.classes[s]
        steps = w_of_round[k]
        if len(js) > classes[0].capacity:
            increments = [
                float(classes[t].capacity - classes[t - 1].capacity)
                for t in range(1, len(steps) + 1)
            ]
            rows.add([*js, yk, *steps],
                     [1.0] * len(js) + [-float(classes[0].capacity)] + [-v for v in increments],
                     -INF, 0.0, "capacity")
        previous = yk
        for column in steps:
            rows.add([column, previous], [1.0, -1.0], -INF, 0.0, "nested")
            previous = column

    # rule 1: rooms of class t or bigger in each session
    needing: dict[tuple[int, int], list[int]] = {}
    for k, (o, s) in enumerate(c.os_pairs):
        if (o, s) in c.pinned_room:
            continue
        needing.setdefault((s, 0), []).append(n_x + k)
        for t, column in enumerate(w_of_round[k], start=1):
            needing.setdefault((s, t), []).append(column)
    for (s, t), columns in sorted(needing.items()):
        rooms_at_least = sum(room_class.count for room_class in c.classes[s][t:])
        if len(columns) > rooms_at_least:
            rows.add(columns, [1.0] * len(columns), -INF, float(rooms_at_least), "rooms")

    # rule 2: repeats
    for o, ks in enumerate(c.os_of_offer):
        if len(ks) > c.max_repeats[o]:
            rows.add([n_x + k for k in ks], [1.0] * len(ks), -INF, float(c.max_repeats[o]),
                     "repeats")

    # rule 5: delegates per session, attendance overall
    load: dict[tuple[int, int], list[int]] = {}
    for k, (o, s) in enumerate(c.os_pairs):
        load.setdefault((c.owner[o], s), []).append(n_x + k)
    for j, (r, s) in enumerate(c.rs_pairs):
        load.setdefault((c.req_delegation[r], s), []).append(j)
    for (d, _s), columns in sorted(load.items()):
        if len(columns) > c.delegates[d]:
            rows.add(columns, [1.0] * len(columns), -INF, float(c.delegates[d]), "delegates")
    attended: dict[int, list[int]] = {}
    for j, (r, _s) in enumerate(c.rs_pairs):
        attended.setdefault(c.req_delegation[r], []).append(j)
    for d, columns in sorted(attended.items()):
        limit = c.max_attended[d]
        if limit is not None and len(columns) > limit:
            rows.add(columns, [1.0] * len(columns), -INF, float(limit), "max_attended")

    # minimum rounds: z[d] = 1 only when d attends at least its target
    for d, column in z_of_delegation.items():
        columns = attended.get(d, [])
        rows.add([*columns, column], [1.0] * len(columns) + [-float(targets[d])], 0.0, INF,
                 "reach")
    if reaching_floor is not None and z_of_delegation:
        columns = list(z_of_delegation.values())
        rows.add(columns, [1.0] * len(columns), float(reaching_floor), INF, "reaching")

    # fairness: met weight >= level * requested weight, for every servable delegation
    if maximise_worst_share or share_floor is not None:
        met_columns: dict[int, list[int]] = {}
        for j, (r, _s) in enumerate(c.rs_pairs):
            met_columns.setdefault(c.req_delegation[r], []).append(j)
        for d in c.servable:
            columns = met_columns.get(d, [])
            values = [float(request_weights[c.rs_pairs[j][0]]) for j in columns]
            requested = c.requested_weight[d]
            if maximise_worst_share:
                rows.add([*columns, share_column], [*values, -requested], 0.0, INF, "share")
            else:
                # a hair below the level, so that floating-point sums that reach it pass
                rows.add(columns, values, share_floor * requested - 1e-9, INF, "share")

    integer = np.ones(n_columns, dtype=bool)
    if share_column is not None:
        integer[share_column] = False

    matrix = sparse.csr_matrix(
        (np.asarray(rows.vals, dtype=float), (np.asarray(rows.rows, dtype=np.int64),
                                              np.asarray(rows.cols, dtype=np.int64))),
        shape=(len(rows.lower), n_columns),
    )
    return Formulation(
        compiled=c,
        n_x=n_x,
        n_y=n_y,
        w_columns=w_columns,
        cost=cost,
        lower=lower,
        upper=upper,
        matrix=matrix,
        row_lower=np.asarray(rows.lower, dtype=float),
        row_upper=np.asarray(rows.upper, dtype=float),
        row_kind=rows.kind,
        w_of_round=w_of_round,
        integer=integer,
        share_column=share_column,
        z_of_delegation=z_of_delegation,
        targets=targets,
    )


def column_values(formulation: Formulation, rounds: dict[int, tuple[int, list[int]]]) -> np.ndarray:
    """The column vector of a schedule given as {round k: (room capacity, requests seated)}."""
    c = formulation.compiled
    values = np.zeros(formulation.n_columns)
    position = {pair: j for j, pair in enumerate(c.rs_pairs)}
    for k, (capacity, seated) in rounds.items():
        s = c.os_pairs[k][1]
        values[formulation.n_x + k] = 1.0
        for r in seated:
            values[position[(r, s)]] = 1.0
        classes = c.classes[s]
        for t, column in enumerate(formulation.w_of_round[k], start=1):
            if classes[t].capacity <= capacity:
                values[column] = 1.0
    set_reached(formulation, values)
    return values


def attended_counts(formulation: Formulation, values: np.ndarray) -> dict[int, int]:
    c = formulation.compiled
    counts: dict[int, int] = {}
    for j, (r, _s) in enumerate(c.rs_pairs):
        if values[j] > 0.5:
            d = c.req_delegation[r]
            counts[d] = counts.get(d, 0) + 1
    return counts


def set_reached(formulation: Formulation, values: np.ndarray) -> None:
    """Set every z column to whether its delegation attends at least its target."""
    if not formulation.z_of_delegation:
        return
    counts = attended_counts(formulation, values)
    for d, column in formulation.z_of_delegation.items():
        values[column] = 1.0 if counts.get(d, 0) >= formulation.targets[d] else 0.0


def reached_count(formulation: Formulation, values: np.ndarray) -> int:
    """How many delegations attend at least their target in `values`."""
    counts = attended_counts(formulation, values)
    return sum(1 for d, target in formulation.targets.items() if counts.get(d, 0) >= target)
