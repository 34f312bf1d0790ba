"""What a round says: per standard and per section the mean, lowest and
highest score and the number of groups; the spread between groups; the change
since the previous round; and the lowest-scoring standards as key areas.

Sums, counts, minima and maxima are taken in SQL; the mean is the exact
Decimal quotient rounded half-up to two places. A section's figures pool
every score given in it (each group × standard), and its n counts the groups
that scored at least one of its standards. The change is the difference of
the two means as shown, so the page adds up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.assessments.models import Assessment, AssessmentResponse, SapStandard, Score
from tracker.assessments.services import previous_round, rounds_query

HUNDREDTH = Decimal("0.01")
#: Groups this far apart on a standard disagree: the facilitator's cue.
DISAGREEMENT_SPREAD = 2
#: How many of the lowest-scoring standards to suggest (more when tied).
SUGGESTED = 3


def mean_of(total: int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


@dataclass
class Figures:
    n: int = 0  # groups
    count: int = 0  # scores
    total: int = 0
    lowest: int | None = None
    highest: int | None = None

    @property
    def mean(self) -> Decimal | None:
        return mean_of(self.total, self.count)

    @property
    def spread(self) -> int | None:
        return None if self.lowest is None else self.highest - self.lowest

    @property
    def disagreement(self) -> bool:
        return (self.spread or 0) >= DISAGREEMENT_SPREAD


def _change(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    return None if now is None or before is None else now - before


@dataclass
class StandardSummary:
    code: str
    section: int
    position: int
    title: str
    description: str
    figures: Figures
    by_group: dict[str, int] = field(default_factory=dict)
    previous_mean: Decimal | None = None

    @property
    def change(self) -> Decimal | None:
        return _change(self.figures.mean, self.previous_mean)


@dataclass
class SectionSummary:
    number: int
    title: str
    figures: Figures
    standards: list[StandardSummary]
    previous_mean: Decimal | None = None

    @property
    def change(self) -> Decimal | None:
        return _change(self.figures.mean, self.previous_mean)


@dataclass
class RoundSummary:
    assessment: Assessment
    previous: Assessment | None
    groups: list[str]
    sections: list[SectionSummary]
    suggested: list[StandardSummary]

    @property
    def standards(self) -> list[StandardSummary]:
        return [s for section in self.sections for s in section.standards]


def _scores_of(assessment_id: int):
    return (sa.select().select_from(Score)
            .join(AssessmentResponse, AssessmentResponse.id == Score.response_id)
            .join(SapStandard, SapStandard.id == Score.standard_id)
            .where(AssessmentResponse.assessment_id == assessment_id))


def _aggregates():
    return (sa.func.count(sa.distinct(Score.response_id)), sa.func.count(Score.id), sa.func.sum(Score.score),
            sa.func.min(Score.score), sa.func.max(Score.score))


def standard_figures(session: Session, assessment_id: int) -> dict[str, Figures]:
    stmt = _scores_of(assessment_id).add_columns(SapStandard.code, *_aggregates()).group_by(SapStandard.code)
    return {code: Figures(n, count, int(total), low, high) for code, n, count, total, low, high in session.execute(stmt)}


def section_figures(session: Session, assessment_id: int) -> dict[int, Figures]:
    stmt = _scores_of(assessment_id).add_columns(SapStandard.section, *_aggregates()).group_by(SapStandard.section)
    return {number: Figures(n, count, int(total), low, high) for number, n, count, total, low, high in session.execute(stmt)}


def score_matrix(session: Session, assessment_id: int) -> dict[str, dict[str, int]]:
    """code → {group: score}, for showing where groups disagree."""
    stmt = _scores_of(assessment_id).add_columns(SapStandard.code, AssessmentResponse.group_name, Score.score)
    matrix: dict[str, dict[str, int]] = {}
    for code, group, score in session.execute(stmt.order_by(AssessmentResponse.id)):
        matrix.setdefault(code, {})[group] = score
    return matrix


def suggest_key_areas(standards: list[StandardSummary], how_many: int = SUGGESTED) -> list[StandardSummary]:
    """The lowest means (wider spread first when tied), plus any tied with the last one."""
    scored = [s for s in standards if s.figures.mean is not None]
    ranked = sorted(scored, key=lambda s: (s.figures.mean, -(s.figures.spread or 0), s.position))
    if len(ranked) <= how_many:
        return ranked
    cutoff = ranked[how_many - 1].figures.mean
    return [s for s in ranked if s.figures.mean <= cutoff]


def summarise(session: Session, assessment: Assessment) -> RoundSummary:
    previous = previous_round(session, assessment)
    by_standard = standard_figures(session, assessment.id)
    by_section = section_figures(session, assessment.id)
    before_standard = standard_figures(session, previous.id) if previous else {}
    before_section = section_figures(session, previous.id) if previous else {}
    matrix = score_matrix(session, assessment.id)
    groups = [r.group_name for r in assessment.responses]
    version = assessment.framework
    sections = []
    for section in version.sections:
        standards = [
            StandardSummary(
                code=s.code, section=s.section, position=s.position, title=s.title, description=s.description,
                figures=by_standard.get(s.code, Figures()), by_group=matrix.get(s.code, {}),
                previous_mean=before_standard[s.code].mean if s.code in before_standard else None,
            )
            for s in version.standards if s.section == section.number
        ]
        sections.append(SectionSummary(
            number=section.number, title=section.title, figures=by_section.get(section.number, Figures()),
            standards=standards,
            previous_mean=before_section[section.number].mean if section.number in before_section else None,
        ))
    summary = RoundSummary(assessment, previous, groups, sections, [])
    summary.suggested = suggest_key_areas(summary.standards)
    return summary


@dataclass
class Series:
    """One round's figures for a chart: code → (mean, lowest, highest)."""

    label: str
    assessment_id: int
    figures: dict[str, Figures]


def chart_series(session: Session, assessment: Assessment, max_rounds: int = 3) -> list[Series]:
    """This round and the ones before it (at most max_rounds), oldest first."""
    stmt = rounds_query(assessment.engagement_id).where(sa.or_(
        Assessment.assessed_on < assessment.assessed_on,
        sa.and_(Assessment.assessed_on == assessment.assessed_on, Assessment.id <= assessment.id),
    ))
    rounds = list(session.scalars(stmt))[-max_rounds:]
    return [Series(r.label, r.id, standard_figures(session, r.id)) for r in rounds]


def section_means_by_round(session: Session, engagement_id: int) -> list[tuple[Assessment, dict[int, Figures]]]:
    """Every round of an engagement with its section figures (progress reports):
    the figures of all rounds in one query, however many rounds there are."""
    rounds = list(session.scalars(rounds_query(engagement_id)))
    if not rounds:
        return []
    stmt = (sa.select(AssessmentResponse.assessment_id, SapStandard.section, *_aggregates()).select_from(Score)
            .join(AssessmentResponse, AssessmentResponse.id == Score.response_id)
            .join(SapStandard, SapStandard.id == Score.standard_id)
            .where(AssessmentResponse.assessment_id.in_([r.id for r in rounds]))
            .group_by(AssessmentResponse.assessment_id, SapStandard.section))
    by_round: dict[int, dict[int, Figures]] = {r.id: {} for r in rounds}
    for round_id, number, n, count, total, low, high in session.execute(stmt):
        by_round[round_id][number] = Figures(n, count, int(total), low, high)
    return [(r, by_round[r.id]) for r in rounds]
