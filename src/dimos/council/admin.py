"""The council's reference data — terms, places, bodies and factions, members and their seats —
is kept in the admin; meetings, agendas, votes and decisions on the secretariat's pages
(/staff/council/), where every change is audited."""

from __future__ import annotations

from django.contrib import admin

from dimos.council.models import LegislativeTerm, Location, Membership, Organization, Person


@admin.register(LegislativeTerm)
class LegislativeTermAdmin(admin.ModelAdmin[LegislativeTerm]):
    list_display = ("name_el", "start_date", "end_date", "deleted")


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin[Location]):
    list_display = ("description_el", "street_address", "room", "locality", "deleted")


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin[Organization]):
    list_display = ("name_el", "kind", "short_name", "order", "deleted")
    list_filter = ("kind", "deleted")
    prepopulated_fields = {"slug": ("name_en",)}


class MembershipInline(admin.TabularInline[Membership, Person]):
    model = Membership
    fk_name = "person"
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = ("family_name", "given_name", "role_el", "deleted")
    search_fields = ("family_name", "given_name")
    prepopulated_fields = {"slug": ("family_name", "given_name")}
    inlines = (MembershipInline,)
    raw_id_fields = ("user",)
