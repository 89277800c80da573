from django.contrib.auth import views as auth_views
from django.urls import include, path

from satupintu.identity import views

app_name = "identity"
urlpatterns = [
    path("masuk/", views.login_view, name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("daftar/", views.signup, name="signup"),
    path("daftar/<uuid:reference>/", views.signup_next, name="signup_next"),
    path("daftar/<uuid:reference>/lanjutkan/", views.signup_resume, name="signup_resume"),
    path("daftar/<uuid:reference>/kirim-ulang/", views.signup_resend, name="signup_resend"),
    path("lupa-kata-sandi/", views.reset_start, name="reset_start"),
    path("lupa-kata-sandi/<uuid:reference>/", views.reset_confirm, name="reset_confirm"),
    path("lupa-kata-sandi/<uuid:reference>/kirim-ulang/", views.reset_resend, name="reset_resend"),
    path("akun/", views.account, name="account"),
    path("akun/keluarga/", views.family, name="family"),
    path("akun/keluarga/tambah/", views.family_add, name="family_add"),
    path("akun/mandat/<uuid:code>/cabut/", views.mandate_revoke, name="mandate_revoke"),
    path("akun/persetujuan/<uuid:code>/tarik/", views.consent_withdraw, name="consent_withdraw"),
    path("data-saya/", views.my_data, name="my_data"),
    path("data-saya/unduh.json", views.my_data_json, name="my_data_json"),
    path("data-saya/unduh.pdf", views.my_data_pdf, name="my_data_pdf"),
    path("data-saya/perbaikan/", views.correction, name="correction"),
    path("privasi/", views.privacy, name="privacy"),
    # officer sign-in (TOTP), officer management and OIDC live in officer_urls.py
    path("", include("satupintu.identity.officer_urls")),
]
