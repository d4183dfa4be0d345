from django.urls import path

from matchmaking import views

app_name = "matchmaking"

urlpatterns = [
    path("", views.workshop_list, name="workshop_list"),
    path("import/", views.import_view, name="workshop_import"),
    path("<slug:slug>/", views.workshop_detail, name="workshop_detail"),
    path("<slug:slug>/export.json", views.export_view, name="workshop_export"),
    path("<slug:slug>/dashboard/", views.dashboard_view, name="dashboard"),
    path("<slug:slug>/dashboard/reminders/", views.send_reminders_view, name="send_reminders"),
    path("<slug:slug>/delegations/<slug:key>/offers/", views.supply_view, name="supply"),
    path("<slug:slug>/delegations/<slug:key>/requests/", views.demand_view, name="demand"),
]
