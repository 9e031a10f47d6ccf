from __future__ import annotations

from django.contrib import admin

from surveys.models import BankQuestion, Channel, InvitationBatch, Question, QuestionEdit, Survey


@admin.register(BankQuestion)
class BankQuestionAdmin(admin.ModelAdmin):
    list_display = ["code", "section", "indicator", "type", "reverse_scored", "suggested"]
    list_filter = ["section", "indicator", "type", "suggested"]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["code", "section", "indicator", "type", "position", "required", "hidden"]
    readonly_fields = ["code", "section", "indicator", "type"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "municipality", "status", "created_at"]
    list_filter = ["status", "municipality"]
    inlines = [QuestionInline]


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "survey", "partner", "active"]
    readonly_fields = ["public_id", "salt", "token_hash"]


@admin.register(InvitationBatch)
class InvitationBatchAdmin(admin.ModelAdmin):
    list_display = ["label", "survey", "size", "active", "created_at"]


@admin.register(QuestionEdit)
class QuestionEditAdmin(admin.ModelAdmin):
    list_display = ["question", "field", "edited_by", "edited_at"]
    readonly_fields = ["question", "field", "before", "after", "edited_by", "edited_at"]
