"""Chart texts from user data are drawn as plain text: a SAP round label or a
standard's wording with matplotlib math markup ($...$) must not break the
chart (it answered 500 for every viewer, the client included)."""

from tests.factories import sap_response, sap_round
from tracker.assessments.charts import section_chart_png
from tracker.assessments.summary import Figures, Series

MARKUP = r"Budget $\notacommand$ review"
PNG = b"\x89PNG\r\n\x1a\n"


def test_a_round_label_with_math_markup_still_draws_for_the_client(login_as, world, session):
    labelled = sap_round(session, world.engagement_a, label=MARKUP)
    sap_response(session, labelled, "Trust $Board$ {x}", {"1.1": 2, "1.2": 4})
    r = login_as("client").get(f"/assessments/{labelled.id}/sections/1/chart.png")
    assert r.status_code == 200 and r.data.startswith(PNG)


def test_every_user_text_on_the_chart_is_plain():
    png = section_chart_png(
        r"Section 1: $\frac{a}{$",
        [("1.1", r"Needs $\undefined$ assessed"), ("1.2", "Costs in $ and £ $")],
        [Series(label=MARKUP, assessment_id=1, figures={"1.1": Figures(n=1, count=1, total=3, lowest=3, highest=3)}),
         Series(label="$5 a day$", assessment_id=2, figures={"1.2": Figures(n=1, count=1, total=2, lowest=2, highest=2)})],
        {1: r"$\bad$ level", 5: "fully $achieved"},
    )
    assert png.startswith(PNG)
