from django.urls import path  # noqa: F401 - patterns are added as the app gains views

app_name = "matchmaking"

urlpatterns = []
