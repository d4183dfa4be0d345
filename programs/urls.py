from django.urls import path

from programs.urls_registry import urlpatterns as registry_urlpatterns
from programs.views import profiles as profile_views

app_name = "programs"

# The programs index and the profiles themselves are Wagtail pages (/en/programs/...,
# /es/programas/...); these are the Django views beside them.
urlpatterns = [
    path("export/", profile_views.export_profiles, name="export"),
    path("import/", profile_views.import_upload, name="import"),
    path("import/template.<str:file_format>", profile_views.import_template,
         name="import_template"),
    path("import/<int:batch_id>/", profile_views.import_review, name="import_review"),
    *registry_urlpatterns,
]
