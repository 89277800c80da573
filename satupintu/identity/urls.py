from django.contrib.auth import views as auth_views
from django.urls import include, path

app_name = "identity"
urlpatterns = [
    path("masuk/", auth_views.LoginView.as_view(template_name="identity/login.html"), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    # officer sign-in (TOTP), officer management and OIDC live in officer_urls.py
    path("", include("satupintu.identity.officer_urls")),
]
