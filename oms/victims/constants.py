"""Stable codes for the victim contact scheme."""

from django.db import models


class ContactPreference(models.TextChoices):
    LETTER = "letter", "Letter"
    TELEPHONE = "telephone", "Telephone"
    EMAIL = "email", "Email"
    FACE_TO_FACE = "face_to_face", "Face to face"
    NO_CONTACT = "no_contact", "Does not want contact"


class OfferMethod(models.TextChoices):
    WRITTEN = "written", "Written offer of contact"
    FACE_TO_FACE = "face_to_face", "Written offer of face-to-face contact"
    TELEPHONE = "telephone", "Telephone"


class InformationStage(models.TextChoices):
    SENTENCE = "sentence", "Sentence"
    RELEASE = "release", "Release"
    LICENCE_CONDITIONS = "licence_conditions", "Licence conditions"
    PAROLE_REPORT = "parole_report", "Parole report"
