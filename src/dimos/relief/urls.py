"""Relief's public pages, at /relief/ (the manifest's ``urls``)."""

from django.urls import path

from dimos.relief import task_views, views

app_name = "relief"

urlpatterns = [
    path("", views.start, name="start"),
    path("ask/", views.ask, name="ask"),
    path("mine/", views.mine, name="mine"),
    path("mine/<int:pk>/", views.detail, name="detail"),
    # Volunteers' tasks (task_views).
    path("tasks/", task_views.tasks, name="tasks"),
    path("tasks/history/", task_views.history, name="task_history"),
    path("tasks/<int:pk>/", task_views.task, name="task"),
    path("tasks/<int:pk>/accept/", task_views.accept, name="task_accept"),
    path("tasks/<int:pk>/decline/", task_views.decline, name="task_decline"),
    path("tasks/<int:pk>/hand-back/", task_views.hand_back, name="task_hand_back"),
    path("tasks/<int:pk>/hours/", task_views.hours, name="task_hours"),
    path("tasks/<int:pk>/done/<slug:how>/", task_views.complete, name="task_complete"),
]
