"""Reference codes for the organisation: roles decide what a person may see and do."""

from django.db import models


class Role(models.TextChoices):
    OFFENDER_MANAGER = "offender_manager", "Offender manager"
    SENIOR_PROBATION_OFFICER = "spo", "Senior probation officer"
    CASE_ADMINISTRATOR = "case_administrator", "Case administrator"
    SENIOR_MANAGER = "senior_manager", "Senior manager"
    VICTIM_LIAISON_OFFICER = "vlo", "Victim liaison officer"
    INTERVENTIONS = "interventions", "Interventions staff"
    PARTNER_AGENCY = "partner_agency", "Partner agency worker"
    PRISON_OFFENDER_SUPERVISOR = "prison_offender_supervisor", "Prison offender supervisor"
    INSPECTOR = "inspector", "Inspector or area assessor"
    # spec/national.md: the National Probation Directorate's performance team. Sees every area's
    # performance figures and HMI Probation's programme, never a case record.
    NATIONAL_PERFORMANCE = "national_performance", "National performance user"


# Roles whose right to a case comes from an explicit, dated grant rather than from the caseload.
GRANT_ONLY_ROLES = frozenset({Role.PARTNER_AGENCY, Role.PRISON_OFFENDER_SUPERVISOR, Role.INSPECTOR})
# Roles that see every case of their own area (read), subject to limited access.
AREA_WIDE_ROLES = frozenset(
    {Role.CASE_ADMINISTRATOR, Role.SENIOR_MANAGER, Role.VICTIM_LIAISON_OFFICER, Role.INTERVENTIONS}
)
# Roles that register, allocate, transfer and terminate.
CASE_ADMINISTRATION_ROLES = frozenset({Role.CASE_ADMINISTRATOR, Role.SENIOR_PROBATION_OFFICER})


class TieringFramework(models.TextChoices):
    NOMS_2005 = "noms_2005", "NOMS 2005 (tiers 1 to 4)"
    HMPPS_2021 = "hmpps_2021", "HMPPS 2021 (A to D, 0 to 3)"
