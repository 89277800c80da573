from django.urls import path

from satupintu.queue import views

app_name = "queue"
urlpatterns = [
    path("antrean/saya/", views.my_bookings, name="my_bookings"),
    path("antrean/pemesanan/<uuid:code>/", views.booking_detail, name="booking"),
    path("antrean/pemesanan/<uuid:code>/<str:action>/", views.booking_action, name="booking_action"),
    path("antrean/tiket/<uuid:code>/", views.ticket, name="ticket"),
    path("antrean/<slug:mall>/", views.mall_queue, name="mall"),
    path("antrean/<slug:mall>/<str:service>/", views.places, name="places"),
    path("antrean/<slug:mall>/<str:service>/sisa.json", views.places_json, name="places_json"),
    path("antrean/<slug:mall>/<str:service>/pesan/", views.book, name="book"),
    path("kios/<slug:mall>/", views.kiosk, name="kiosk"),
    path("kios/<slug:mall>/<str:action>/", views.kiosk_action, name="kiosk_action"),
    path("loket/", views.counters, name="counters"),
    path("loket/<uuid:code>/", views.counter, name="counter"),
    path("loket/<uuid:code>/<str:action>/", views.counter_action, name="counter_action"),
    path("layar/<slug:mall>/", views.board, name="board"),
    path("layar/<slug:mall>/data.json", views.board_json, name="board_json"),
]
