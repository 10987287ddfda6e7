"""The rows generated for one posyandu, gathered before they are written."""

from __future__ import annotations

from dataclasses import dataclass, field

from posyandu.demo.families import Resident
from posyandu.demo.schedule import Day
from posyandu.outreach.models import ClassAttendance, ClassSession, HomeVisit
from posyandu.referrals.models import Referral
from posyandu.registry.models import Pregnancy
from posyandu.visits.models import ImmunizationGiven, Measurement, ServiceGiven, Visit


@dataclass
class Records:
    """Everything generated for one posyandu, in the order it is written."""

    visits: list[Visit] = field(default_factory=list)
    measurements: list[Measurement] = field(default_factory=list)
    doses: list[ImmunizationGiven] = field(default_factory=list)
    services: list[ServiceGiven] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    home_visits: list[HomeVisit] = field(default_factory=list)
    classes: list[ClassSession] = field(default_factory=list)
    attendance: list[ClassAttendance] = field(default_factory=list)
    # What later passes read: who was measured how, who came when, who stayed away.
    child_measures: list[tuple[Resident, Measurement]] = field(default_factory=list)
    adult_measures: list[tuple[Resident, Measurement, Pregnancy | None]] = field(
        default_factory=list
    )
    attended: dict[int, list[Visit]] = field(default_factory=dict)  # by id(resident)
    absences: list[tuple[Resident, Day]] = field(default_factory=list)
