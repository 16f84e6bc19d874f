"""The access log (append-only) and the dated grants that give grant-only roles a case."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models


class AccessLogAppendOnlyError(Exception):
    """The access log is evidence: nothing in the application may change or remove an entry."""


class AccessLogQuerySet(models.QuerySet["AccessLogEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AccessLogAppendOnlyError("The access log cannot be changed")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise AccessLogAppendOnlyError("The access log cannot be deleted")


class AccessAction(models.TextChoices):
    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    CHANGE = "change", "Changed"
    EXPORT = "export", "Exported"
    REFUSED = "refused", "Refused access"


class AccessLogEntry(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=10, choices=AccessAction.choices)
    crn = models.CharField(max_length=10, blank=True, db_index=True)
    what = models.CharField(max_length=200)
    path = models.CharField(max_length=300, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "access log entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.crn} {self.what}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AccessLogAppendOnlyError("The access log cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AccessLogAppendOnlyError("The access log cannot be deleted")


class CaseAccessGrant(models.Model):
    """A dated right to one case for partner agency workers, prison offender supervisors and inspectors."""

    offender = models.ForeignKey("cases.Offender", on_delete=models.CASCADE, related_name="access_grants")
    staff = models.ForeignKey("organisation.Staff", on_delete=models.CASCADE, related_name="case_grants")
    reason = models.CharField(max_length=200)
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    granted_by = models.ForeignKey(
        "organisation.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["staff", "valid_from", "valid_until"])]


class ApiTokenScope(models.TextChoices):
    READ = "read", "Read only"
    READ_WRITE = "read_write", "Read and write"


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored: the token itself is shown once, at creation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=20, choices=ApiTokenScope.choices, default=ApiTokenScope.READ)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class RequestCounter(models.Model):
    """How many requests one caller (a token, a user, an address) has made in one fixed window.

    Counted with one atomic upsert in the shared database (oms/accounts/rate_limits.py), so the count
    is exact across every app server and process (the database cache's get-then-set is not).
    """

    key = models.CharField(max_length=200)
    window = models.BigIntegerField(help_text="Seconds since the epoch at which the window opened")
    expires = models.BigIntegerField(db_index=True, help_text="Seconds since the epoch; then deleted")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="one_counter_per_window")]
