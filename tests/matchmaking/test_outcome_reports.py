"""The outcome reports against seed 003's known figures, counted here from the data file and
the demo's follow-up independently of the report code; and the files they download as."""

import csv
import io
from collections import Counter

import pytest
from openpyxl import load_workbook

from matchmaking import demo
from matchmaking.models import PIPELINE, Stage
from matchmaking.services import outcome_reports
from tests.matchmaking.outcome_factories import DATA, load_outcomes

pytestmark = pytest.mark.django_db
ROWS = DATA["intentions"]


@pytest.fixture
def outcomes_demo(santa_marta, organiser):
    load_outcomes(santa_marta, organiser)
    return santa_marta


def report(workshop, key):
    return outcome_reports.workshop_report(workshop, key)


def test_the_data_file_holds_table_1_and_table_3_of_the_seed():
    # The seed's own figures (Table 3), written out rather than read from the file's totals.
    assert len(ROWS) == 46
    activity = Counter(key for row in ROWS for key in row["activity_types"])
    assert (activity["academic"], activity["expert_visits"], activity["virtual"],
            activity["internships"]) == (29, 18, 15, 11)
    mechanisms = Counter(row["mechanism"] for row in ROWS)
    assert (mechanisms["inter_institutional"], mechanisms["regional_program"],
            mechanisms["other"], mechanisms[None]) == (30, 9, 4, 3)
    focus = Counter(row["focus"] for row in ROWS)
    assert (focus["general"], focus["specific_component"], focus[None]) == (29, 9, 8)


def test_table_3_report_reproduces_the_seed_exactly(outcomes_demo):
    rows = {(question, answer): count for question, answer, count in
            report(outcomes_demo, "activities").rows}
    assert rows == {
        ("Activity type", "Academic activities and workshops"): 29,
        ("Activity type", "Expert visits"): 18,
        ("Activity type", "Virtual activities and videoconferences"): 15,
        ("Activity type", "Internships"): 11,
        ("Activity type", "Study tours"): 0,
        ("Activity type", "Information sharing"): 0,
        ("Activity type", "No answer"): 0,
        ("Cooperation mechanism", "Inter-institutional or bilateral agreement"): 30,
        ("Cooperation mechanism", "Regional program"): 9,
        ("Cooperation mechanism", "Other"): 4,
        ("Cooperation mechanism", "No answer"): 3,
        ("Focus", "General aspects of the program"): 29,
        ("Focus", "A specific component"): 9,
        ("Focus", "No answer"): 8,
    }


def test_intention_list_is_table_1(outcomes_demo):
    built = report(outcomes_demo, "intentions")
    names = {d.key: d.name for d in outcomes_demo.delegations.all()}
    assert len(built.rows) == 46
    for row, line in zip(ROWS, built.rows, strict=True):
        assert line[0] == row["row"]
        assert line[1] == names[row["demanding"]]
        supplying = row["supplying"]
        keys = [] if supplying is None else [supplying] if isinstance(supplying, str) else supplying
        assert line[2] == (", ".join(sorted(names[key] for key in keys)) if keys
                           else "Not defined")
    funded = [line[0] for line in built.rows if line[-1] == "yes"]
    assert funded == DATA["selected_for_funding"] == [23, 41]


def test_demand_by_topic_is_graph_1(outcomes_demo):
    from programs.models import Topic

    expected = Counter(row["topic"] for row in ROWS)
    labels = {topic.key: topic.name for topic in Topic.objects.filter(key__in=expected)}
    built = report(outcomes_demo, "topics")
    assert dict(built.rows) == {labels[key]: count for key, count in expected.items()}
    # Food security leads, then multidimensional poverty measurement and social protection
    # systems (tied), as in the seed's text around Graph 1, which gives no figures.
    assert built.rows[0][0] == labels["food_security"]
    assert {label for label, _count in built.rows[1:3]} == {
        labels["multidimensional_poverty_measurement"], labels["social_protection_systems"]}
    assert built.rows[0][1] == expected["food_security"] == max(expected.values())
    assert built.footer == ["Total", 46]
    counts = [count for _label, count in built.rows]
    assert counts == sorted(counts, reverse=True)
    assert [bar["value"] for bar in built.charts[0]["bars"]] == counts


def expected_funnel():
    """From the demo's follow-up: the furthest stage each row reached, and where it is now."""
    furthest = dict.fromkeys((row["row"] for row in ROWS), 0)
    now = dict.fromkeys(furthest, Stage.INTENTION)
    for number, moves in demo.FOLLOW_UP.items():
        for move in moves:
            stage = Stage.FUNDED if move == "funding" else move[0]
            now[number] = stage
            if stage != Stage.DROPPED:
                furthest[number] = max(furthest[number], PIPELINE.index(stage))
    reached = [sum(1 for index in furthest.values() if index >= position)
               for position in range(len(PIPELINE))]
    return reached, Counter(now.values())


def test_funnel_follows_the_demo(outcomes_demo):
    reached, now = expected_funnel()
    assert reached == [46, 7, 3, 2, 2, 1]
    built = report(outcomes_demo, "funnel")
    assert [line[1] for line in built.rows[:-1]] == reached
    assert [line[2] for line in built.rows] == [now[stage] for stage in [*PIPELINE,
                                                                          Stage.DROPPED]]
    assert built.rows[-1] == ["Dropped", "", 2]
    assert built.footer == ["Total", "", 46]


def test_matrix_counts_every_pair_of_parties(outcomes_demo):
    names = {d.key: (d.country.name if d.country_id else d.name)
             for d in outcomes_demo.delegations.select_related("country")}
    expected = Counter()
    for row in ROWS:
        supplying = row["supplying"]
        keys = [] if supplying is None else [supplying] if isinstance(supplying, str) else supplying
        for key in keys or [None]:
            expected[(names[row["demanding"]], names[key] if key else "Not defined")] += 1
    built = report(outcomes_demo, "matrix")
    columns = built.header[1:-1]
    found = Counter({(line[0], column): count for line in built.rows
                     for column, count in zip(columns, line[1:-1], strict=True) if count})
    assert found == expected
    assert built.footer[-1] == sum(expected.values()) == 47  # row 36 has two suppliers
    assert columns[-1] == "Not defined"
    squares = [square["value"] for square in built.charts[0]["squares"]]
    assert sum(squares) == 47


def test_cross_workshop_funnel_adds_up_the_workshops(outcomes_demo, organiser):
    from matchmaking.models import Workshop

    other = Workshop.objects.create(name="Empty workshop", slug="empty", starts_on="2013-05-01",
                                    ends_on="2013-05-02")
    built = outcome_reports.cross_workshop_report([outcomes_demo, other], "funnel")
    assert built.rows[0][1:] == [46, 7, 3, 2, 2, 1, 2]
    assert built.rows[1] == ["Empty workshop", 0, 0, 0, 0, 0, 0, 0]
    assert built.footer == ["Total", 46, 7, 3, 2, 2, 1, 2]


# -- pages and files --------------------------------------------------------------------------

@pytest.fixture
def organiser_client(client, organiser, outcomes_demo):
    client.force_login(organiser)
    return client


def url(path):
    return f"/en/workshops/santa-marta-2012/outcomes/{path}"


def test_report_pages_show_a_chart_beside_the_table(organiser_client):
    for key in outcome_reports.WORKSHOP_REPORTS:
        response = organiser_client.get(url(f"reports/{key}/"))
        body = response.content.decode()
        assert response.status_code == 200, key
        assert "<svg" in body and "<table" in body and "<caption>" in body
        assert url(f"reports/{key}.csv") in body and url(f"reports/{key}.pdf") in body
    for key in outcome_reports.CROSS_REPORTS:
        assert organiser_client.get(f"/en/workshops/outcomes/{key}/").status_code == 200
    assert organiser_client.get(url("reports/unknown/")).status_code == 404


def test_csv_export_of_table_3(organiser_client):
    response = organiser_client.get(url("reports/activities.csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="santa-marta-2012-activities.csv"' in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0] == ["Question", "Answer", "Intentions"]
    assert ["Activity type", "Academic activities and workshops", "29"] in lines
    assert ["Cooperation mechanism", "Regional program", "9"] in lines
    assert ["Focus", "A specific component", "9"] in lines
    assert ["Focus", "No answer", "8"] in lines


def test_xlsx_export_of_the_intentions_and_the_funnel(organiser_client):
    response = organiser_client.get(url("reports/intentions.xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("No.", "Demanding", "Supplying")
    assert len(rows) == 47
    row_23 = next(row for row in rows[1:] if row[0] == 23)
    assert row_23[1:3] == ("El Salvador", "Chile") and row_23[9] == "Under way"
    assert row_23[10] == "yes"

    funnel = load_workbook(io.BytesIO(organiser_client.get(
        url("reports/funnel.xlsx")).content)).active
    values = list(funnel.iter_rows(values_only=True))
    assert values[1] == ("Intention", 46, 38)
    assert values[-1] == ("Total", None, 46)

    cross = organiser_client.get("/en/workshops/outcomes/matrix.csv")
    lines = list(csv.reader(io.StringIO(cross.content.decode())))
    assert lines[-1][0] == "Total" and lines[-1][-1] == "47"


def test_print_pdfs(organiser_client):
    paths = [url(f"reports/{key}.pdf") for key in outcome_reports.WORKSHOP_REPORTS]
    paths += [f"/es/workshops/outcomes/{key}.pdf" for key in outcome_reports.CROSS_REPORTS]
    for path in paths:
        response = organiser_client.get(path)
        assert response["Content-Type"] == "application/pdf", path
        assert response.content.startswith(b"%PDF"), path


def test_reports_in_spanish(organiser_client):
    body = organiser_client.get("/es/workshops/santa-marta-2012/outcomes/reports/activities/")
    text = body.content.decode()
    assert "Tipos de actividades de cooperación" in text
    assert "Actividades académicas y talleres" in text and "Sin respuesta" in text
