"""The ideas competitions in the admin: setting up a competition (its phases, themes,
criteria, prizes and jury). Residents' ideas are moderated at /staff/ideas/, not here."""

from django.contrib import admin

from dimos.ideas.models import Competition, Criterion, JuryMember, Prize, Theme


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


class PrizeInline(admin.TabularInline):
    model = Prize
    extra = 0


class JuryInline(admin.TabularInline):
    model = JuryMember
    extra = 0
    raw_id_fields = ("account",)


@admin.register(Competition)
class CompetitionAdmin(admin.ModelAdmin):
    list_display = ("title_el", "slug", "submission_opens", "voting_closes", "is_published")
    prepopulated_fields = {"slug": ("title_en",)}
    inlines = (ThemeInline, CriterionInline, PrizeInline, JuryInline)
