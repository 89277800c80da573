from django.urls import path

from satupintu.identity import officer_views as views
from satupintu.identity.oidc import oidc_callback, oidc_start

urlpatterns = [
    path("petugas/masuk/", views.officer_login, name="officer_login"),
    path("petugas/masuk/kode/", views.officer_verify, name="officer_verify"),
    path("petugas/masuk/daftar-autentikator/", views.officer_enrol, name="officer_enrol"),
    path("petugas/", views.officer_home, name="officer_home"),
    path("petugas/kelola/", views.officer_staff, name="officer_staff"),
    path("petugas/kelola/peran/<uuid:code>/cabut/", views.officer_membership_revoke, name="officer_membership_revoke"),
    path("petugas/kelola/peran/<uuid:code>/atur-ulang-autentikator/", views.officer_totp_reset,
         name="officer_totp_reset"),
    path("petugas/warga/", views.officer_person_lookup, name="officer_person_lookup"),
    path("petugas/warga/mandat/", views.officer_mandate_create, name="officer_mandate_create"),
    path("petugas/warga/<uuid:code>/", views.officer_person, name="officer_person"),
    path("petugas/mandat/<uuid:code>/cabut/", views.officer_mandate_revoke, name="officer_mandate_revoke"),
    path("sso/masuk/", oidc_start, name="oidc_start"),
    path("sso/kembali/", oidc_callback, name="oidc_callback"),
]
