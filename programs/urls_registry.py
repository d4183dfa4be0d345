"""URLs of the articulator registry (the registration form itself is a Wagtail page)."""

from django.urls import path

from programs.views import registry

urlpatterns = [
    path("articulators/", registry.directory, name="articulator_directory"),
    path("articulators/<int:pk>/", registry.detail, name="articulator_detail"),
    path("articulators/<int:pk>/edit/", registry.edit_own, name="articulator_edit_own"),
    path("articulators/dashboard/", registry.dashboard, name="articulator_dashboard"),
    path("articulators/dashboard.csv", registry.dashboard_csv,
         name="articulator_dashboard_csv"),
    path("articulators/export.<str:file_format>", registry.export, name="articulator_export"),
    path("articulators/confirm/<str:token>/", registry.confirm_email,
         name="articulator_confirm_email"),
    path("articulators/edit/", registry.edit_link_request, name="articulator_edit_request"),
    path("articulators/edit/<str:token>/", registry.edit_with_token,
         name="articulator_edit_with_token"),
    path("articulators/still-current/<str:token>/", registry.reconfirm,
         name="articulator_reconfirm"),
]
