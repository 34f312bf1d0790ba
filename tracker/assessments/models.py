"""The SAP framework (versioned reference data) and self-assessment rounds.

A framework version is a frozen copy of the sections, standards and score
wording. Editing the framework makes a new version; each assessment round
keeps the version it was created with, so old scores keep their wording.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.database import Base, utcnow


class FrameworkVersion(Base):
    __tablename__ = "sap_framework_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    label: Mapped[str] = mapped_column(sa.String(200))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    sections = relationship("SapSection", order_by="SapSection.number", cascade="all, delete-orphan")
    levels = relationship("SapLevel", order_by="SapLevel.score", cascade="all, delete-orphan")
    standards = relationship("SapStandard", order_by="SapStandard.position", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<FrameworkVersion {self.number} {self.label!r}>"


class SapSection(Base):
    __tablename__ = "sap_sections"
    __table_args__ = (
        sa.UniqueConstraint("version_id", "number"),
        sa.CheckConstraint("number BETWEEN 1 AND 9", name="number_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("sap_framework_versions.id", ondelete="CASCADE"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")


class SapLevel(Base):
    """One of the five score descriptions (1 no clear agreement … 5 fully achieved)."""

    __tablename__ = "sap_score_levels"
    __table_args__ = (
        sa.UniqueConstraint("version_id", "score"),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("sap_framework_versions.id", ondelete="CASCADE"))
    score: Mapped[int]
    label: Mapped[str] = mapped_column(sa.String(60))
    description: Mapped[str] = mapped_column(sa.String(255))


class SapStandard(Base):
    __tablename__ = "sap_standards"
    __table_args__ = (sa.UniqueConstraint("version_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("sap_framework_versions.id", ondelete="CASCADE"))
    section: Mapped[int]
    code: Mapped[str] = mapped_column(sa.String(8))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")

    @property
    def slug(self) -> str:
        """The code as a form-field name part: "1.1" → "1_1"."""
        return self.code.replace(".", "_")

    def __repr__(self) -> str:
        return f"<SapStandard {self.code} {self.title!r}>"


class Assessment(Base):
    """A round of the self-assessment (baseline, 6-month, 12-month …)."""

    __tablename__ = "sap_assessments"
    __table_args__ = (
        sa.UniqueConstraint("engagement_id", "label"),
        sa.Index("ix_sap_assessments_engagement_id_assessed_on", "engagement_id", "assessed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(sa.ForeignKey("engagements.id", ondelete="CASCADE"))
    framework_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("sap_framework_versions.id", ondelete="RESTRICT"), index=True
    )
    label: Mapped[str] = mapped_column(sa.String(80))
    assessed_on: Mapped[date]
    key_areas: Mapped[list] = mapped_column(sa.JSON, default=list)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    engagement = relationship("Engagement", lazy="joined")
    framework = relationship(FrameworkVersion, lazy="joined")
    responses = relationship(
        "AssessmentResponse", back_populates="assessment", order_by="AssessmentResponse.id",
        cascade="all, delete-orphan",
    )

    AUDIT_FIELDS = ("engagement_id", "framework_version_id", "label", "assessed_on", "key_areas", "notes")

    def __repr__(self) -> str:
        return f"<Assessment {self.id} {self.label!r}>"


class AssessmentResponse(Base):
    """One group's scores in a round (the Board, the Trust Executive …)."""

    __tablename__ = "sap_responses"
    __table_args__ = (sa.UniqueConstraint("assessment_id", "group_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("sap_assessments.id", ondelete="CASCADE"), index=True)
    group_name: Mapped[str] = mapped_column(sa.String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    assessment = relationship(Assessment, back_populates="responses")
    scores = relationship("Score", order_by="Score.id", cascade="all, delete-orphan", lazy="selectin")
    recorded_by = relationship("User", lazy="joined")

    @property
    def score_map(self) -> dict[str, int]:
        return {s.standard.code: s.score for s in sorted(self.scores, key=lambda s: s.standard.position)}

    @property
    def evidence_map(self) -> dict[str, str]:
        return {s.standard.code: s.evidence for s in sorted(self.scores, key=lambda s: s.standard.position) if s.evidence}


class Score(Base):
    __tablename__ = "sap_scores"
    __table_args__ = (
        sa.UniqueConstraint("response_id", "standard_id"),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("sap_responses.id", ondelete="CASCADE"))
    standard_id: Mapped[int] = mapped_column(sa.ForeignKey("sap_standards.id", ondelete="RESTRICT"), index=True)
    score: Mapped[int] = mapped_column(sa.SmallInteger)
    evidence: Mapped[str] = mapped_column(sa.Text, default="")

    standard = relationship(SapStandard, lazy="joined")
