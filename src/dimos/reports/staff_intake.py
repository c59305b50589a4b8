"""Staff file a report on behalf of someone who phoned or came to the desk."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dimos.accounts.models import User
from dimos.core.permissions import staff_required
from dimos.reports import services
from dimos.reports.models import Category, Report


class PhoneReportForm(forms.Form):
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"),
        queryset=Category.objects.filter(is_active=True, notice_blocks=False),
    )
    lat = forms.FloatField(label=gettext_lazy("Latitude"), min_value=-90, max_value=90)
    lon = forms.FloatField(label=gettext_lazy("Longitude"), min_value=-180, max_value=180)
    address = forms.CharField(label=gettext_lazy("Address or landmark"), max_length=300)
    description = forms.CharField(
        label=gettext_lazy("What is the problem?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    caller_name = forms.CharField(label=gettext_lazy("Caller's name"), max_length=200)
    caller_phone = forms.CharField(
        label=gettext_lazy("Caller's phone"), max_length=30, required=False
    )
    caller_email = forms.EmailField(
        label=gettext_lazy("Caller's email (to send them news)"), required=False
    )
    submission = forms.CharField(widget=forms.HiddenInput, max_length=100)


@staff_required(perm="reports.change_report")
def phone_report(request: HttpRequest) -> HttpResponse:
    form = PhoneReportForm(request.POST or None, initial={"submission": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actor: User = request.user  # type: ignore[assignment]
        try:
            report, _created = services.submit_report(
                category=data["category"],
                location=services.Location(
                    lat=data["lat"], lon=data["lon"], address=data["address"]
                ),
                description=data["description"],
                email=data["caller_email"],
                name=data["caller_name"],
                phone=data["caller_phone"],
                source=Report.Source.PHONE,
                idempotency_key=f"phone:{actor.pk}:{data['submission']}",
                actor=actor,
                request=request,
            )
        except services.ReportError as exc:
            form.add_error("lat", str(exc))
        else:
            messages.success(
                request,
                _("Report #%(number)s was filed for the caller.") % {"number": report.pk},
            )
            return redirect("reports_staff:report", pk=report.pk)
    return render(request, "reports/staff/phone_report.html", {"form": form})
