"""English for the survey's regulation texts (names, questions, answer labels), keyed by the
Indonesian text of the reference copy. The Indonesian stays the source of truth; a text with
no English here is shown in Indonesian."""

from __future__ import annotations

EN: dict[str, str] = {
    # unsur names
    "Persyaratan": "Requirements",
    "Sistem, Mekanisme, dan Prosedur": "Systems, mechanisms and procedures",
    "Waktu Penyelesaian": "Time to completion",
    "Biaya/Tarif": "Cost / fee",
    "Produk Spesifikasi Jenis Pelayanan": "The service's product",
    "Kompetensi Pelaksana": "Staff competence",
    "Perilaku Pelaksana": "Staff conduct",
    "Penanganan Pengaduan, Saran dan Masukan": "Handling of complaints, suggestions and feedback",
    "Sarana dan Prasarana": "Facilities and infrastructure",
    # questions
    "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?":
        "How well did the requirements fit the service you used?",
    "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?":
        "How easy was the procedure of this service?",
    "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?":
        "How fast was the service?",
    "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?":
        "How fair was the cost or fee of the service?",
    "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam standar pelayanan "
    "dengan hasil yang diberikan?":
        "How well did what you received match the product promised in the service standard?",
    "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?":
        "How competent were the staff who served you?",
    "Bagaimana pendapat Saudara perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?":
        "How polite and friendly were the staff?",
    "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?":
        "How are complaints from service users handled?",
    "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?":
        "How good are the facilities and infrastructure?",
    # answer labels
    "Tidak sesuai": "Not appropriate",
    "Kurang sesuai": "Somewhat inappropriate",
    "Sesuai": "Appropriate",
    "Sangat sesuai": "Very appropriate",
    "Tidak mudah": "Not easy",
    "Kurang mudah": "Not very easy",
    "Mudah": "Easy",
    "Sangat mudah": "Very easy",
    "Tidak cepat": "Not fast",
    "Kurang cepat": "Not very fast",
    "Cepat": "Fast",
    "Sangat cepat": "Very fast",
    "Sangat mahal": "Very expensive",
    "Cukup mahal": "Fairly expensive",
    "Murah": "Cheap",
    "Gratis": "Free",
    "Tidak kompeten": "Not competent",
    "Kurang kompeten": "Not very competent",
    "Kompeten": "Competent",
    "Sangat kompeten": "Very competent",
    "Tidak sopan dan ramah": "Not polite and friendly",
    "Kurang sopan dan ramah": "Not very polite and friendly",
    "Sopan dan ramah": "Polite and friendly",
    "Sangat sopan dan ramah": "Very polite and friendly",
    "Tidak ada": "There is none",
    "Ada tetapi tidak berfungsi": "There is one, but it does not work",
    "Berfungsi kurang maksimal": "It works, but not fully",
    "Dikelola dengan baik": "Well managed",
    "Buruk": "Poor",
    "Cukup": "Fair",
    "Baik": "Good",
    "Sangat Baik": "Very good",
    "Kurang Baik": "Not very good",
    "Tidak Baik": "Not good",
}


def text_en(text: str) -> str:
    return EN.get(text, text)
