"""PDPA records and the audit log: read-only in the admin."""

from django.contrib import admin

from portal.admin import ReadOnlyAdmin

from .models import AccountClosure, AuditEvent, PrivacyAcknowledgement


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "content_type", "object_repr", "ip_address"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "object_id", "actor__username"]
    list_select_related = ["actor", "content_type"]
    date_hierarchy = "at"


@admin.register(PrivacyAcknowledgement)
class PrivacyAcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ["user", "notice_version", "acknowledged_at"]
    list_filter = ["notice_version"]
    search_fields = ["user__username", "user__email"]


@admin.register(AccountClosure)
class AccountClosureAdmin(ReadOnlyAdmin):
    list_display = ["user", "requested_at", "anonymised_at"]
    list_filter = ["anonymised_at"]
