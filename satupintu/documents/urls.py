from django.urls import path

from satupintu.documents import views

app_name = "documents"
urlpatterns = [
    path("dokumen/", views.my_documents, name="my_documents"),
    path("dokumen/<uuid:code>/buka/", views.open_vault_document, name="open"),
    path("dokumen/<uuid:code>/ganti/", views.replace, name="replace"),
    path("dokumen/<uuid:code>/hapus/", views.delete, name="delete"),
    path("dokumen/terbit/<uuid:code>/buka/", views.open_issued_document, name="open_issued"),
    path("dokumen/unduh/<str:token>/", views.download, name="download"),
    path("verifikasi/<str:token>/", views.verify, name="verify"),
]
