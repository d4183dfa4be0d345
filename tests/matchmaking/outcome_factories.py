"""The Santa Marta 2012 outcomes as the demo loads them, and what the data file says."""

import json

from matchmaking import demo

DATA = json.loads(demo.INTENTIONS_FILE.read_text(encoding="utf-8"))


def load_outcomes(workshop, organiser):
    workshop.organisers.add(organiser)
    workshop.save()
    intentions, report = demo.load_intentions(workshop, organiser)
    return intentions, report
