"""The Advocate's public pages, at /advocate/ (the manifest's ``urls``)."""

from django.urls import path

from dimos.advocate import views

app_name = "advocate"

urlpatterns = [
    path("", views.start, name="start"),
    path("check/", views.screening, name="screening"),
    path("new/", views.new, name="new"),
    path("mine/", views.mine, name="mine"),
    path("cases/", views.summaries, name="summaries"),
    path("report/<int:year>/", views.annual_report, name="report"),
    path("report/<int:year>/pdf/", views.annual_report_pdf, name="report_pdf"),
    path("confirm/<uuid:token>/", views.confirm, name="confirm"),
    path("c/<uuid:token>/", views.track, name="track"),
    path("c/<uuid:token>/reply/", views.reply, name="reply"),
    path("c/<uuid:token>/withdraw/", views.withdraw, name="withdraw"),
    path("c/<uuid:token>/answer.pdf", views.answer_pdf, name="answer_pdf"),
]
