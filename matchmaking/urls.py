from django.urls import path

from matchmaking.views import outcomes, rounds, workshops

app_name = "matchmaking"

urlpatterns = [
    # Workshops: setup, supply and demand, the organisers' dashboard, JSON import/export.
    path("", workshops.workshop_list, name="workshop_list"),
    path("import/", workshops.import_view, name="workshop_import"),
    # Outcomes across the workshops a user organises.
    path("outcomes/<slug:report>/", outcomes.cross_workshop_report,
         name="cross_outcome_report"),
    path("outcomes/<slug:report>.<str:file_format>", outcomes.cross_workshop_report,
         name="cross_outcome_report_file"),
    path("<slug:slug>/", workshops.workshop_detail, name="workshop_detail"),
    path("<slug:slug>/export.json", workshops.export_view, name="workshop_export"),
    path("<slug:slug>/dashboard/", workshops.dashboard_view, name="dashboard"),
    path("<slug:slug>/dashboard/reminders/", workshops.send_reminders_view, name="send_reminders"),
    path("<slug:slug>/delegations/<slug:key>/offers/", workshops.supply_view, name="supply"),
    path("<slug:slug>/delegations/<slug:key>/requests/", workshops.demand_view, name="demand"),
    # Outcomes: cooperation intentions, their follow-up, the reports and the public report.
    path("<slug:slug>/outcomes/", outcomes.intention_list, name="intention_list"),
    path("<slug:slug>/outcomes/new/", outcomes.intention_record, name="intention_record"),
    path("<slug:slug>/outcomes/<int:number>/", outcomes.intention_detail,
         name="intention_detail"),
    path("<slug:slug>/outcomes/<int:number>/edit/", outcomes.intention_edit,
         name="intention_edit"),
    path("<slug:slug>/outcomes/<int:number>/move/", outcomes.intention_move,
         name="intention_move"),
    path("<slug:slug>/outcomes/<int:number>/funding/", outcomes.intention_fund,
         name="intention_fund"),
    path("<slug:slug>/outcomes/reports/<slug:report>/", outcomes.workshop_report,
         name="outcome_workshop_report"),
    path("<slug:slug>/outcomes/reports/<slug:report>.<str:file_format>",
         outcomes.workshop_report, name="outcome_report_file"),
    path("<slug:slug>/outcomes/report/", outcomes.outcome_report, name="outcome_report"),
    path("<slug:slug>/outcomes/report/edit/", outcomes.outcome_report_edit,
         name="outcome_report_edit"),
    # Rounds: optimiser runs, schedule editor, publishing, agendas and exports.
    path("<slug:slug>/schedule/build/", rounds.schedule_build, name="schedule_build"),
    path("<slug:slug>/schedule/build/start/", rounds.schedule_solve, name="schedule_solve"),
    path("<slug:slug>/schedule/build/<int:job_id>/cancel/", rounds.schedule_cancel,
         name="schedule_cancel"),
    path("<slug:slug>/schedule/build/<int:job_id>/", rounds.schedule_job_status,
         name="schedule_job_status"),
    path("<slug:slug>/schedule/", rounds.schedule_editor, name="schedule_editor"),
    path("<slug:slug>/schedule/edit/", rounds.schedule_edit, name="schedule_edit"),
    path("<slug:slug>/schedule/publish/", rounds.schedule_publish, name="schedule_publish"),
    path("<slug:slug>/schedule/import/", rounds.schedule_import, name="schedule_import"),
    path("<slug:slug>/schedule/export.<str:file_format>", rounds.schedule_export,
         name="schedule_export"),
    path("<slug:slug>/schedule/rooms/<slug:room_key>.pdf", rounds.schedule_room_sheet,
         name="schedule_room_sheet"),
    path("<slug:slug>/agenda/", rounds.agenda_mine, name="agenda_mine"),
    path("<slug:slug>/agenda/<slug:key>/", rounds.agenda_delegation, name="agenda_delegation"),
    path("<slug:slug>/agenda/<slug:key>/agenda.pdf", rounds.agenda_pdf, name="agenda_pdf"),
    path("<slug:slug>/agenda/<slug:key>/agenda.ics", rounds.agenda_ics, name="agenda_ics"),
    path("<slug:slug>/agenda/<slug:key>/feed/<str:token>.ics", rounds.agenda_feed,
         name="agenda_feed"),
    path("<slug:slug>/delegates/<int:delegate_id>/agenda/", rounds.agenda_delegate,
         name="agenda_delegate"),
]
