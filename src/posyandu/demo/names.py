"""Indonesian-sounding names for the demo kabupaten: places, people, facilities, topics.

Made-up lists (West Java flavour, where names such as Sukamaju are common); no external data.
People's names follow their birth cohort: grandparents are Karsih and Odang, toddlers are
Zahra and Arkan.
"""

from __future__ import annotations

PROVINCE = ("32", "Jawa Barat")
KABUPATEN = ("32.19", "Sukamaju Raya")

# The first kecamatan and its first desa are the personas' (tests/personas.py mirrors them).
KECAMATAN = ("Sukamaju", "Cikaret", "Pasirjaya", "Margahayu", "Sindangsari", "Cibeureum")
DESA = (
    "Sukasari", "Mekarsari", "Cibodas", "Sirnagalih", "Girimukti", "Tanjungsari", "Cijambu",
    "Neglasari", "Margamulya", "Karangsari", "Sukaresmi", "Jayamukti", "Bojongsari", "Cikadu",
    "Wangunsari", "Kertajaya", "Cisalak", "Mekarjaya", "Sindanglaya", "Pasirhalang",
    "Sukamulya", "Cimanggu", "Rancasari", "Gunungsari", "Babakanjaya", "Cipanas",
)  # fmt: skip
POSYANDU = (
    "Melati", "Mawar", "Anggrek", "Kenanga", "Dahlia", "Cempaka", "Flamboyan", "Teratai",
    "Seruni", "Kamboja", "Bougenvil", "Asoka", "Soka", "Aster", "Nusa Indah", "Kemuning",
    "Matahari", "Bakung", "Tanjung", "Lili", "Sedap Malam", "Alamanda", "Gardenia", "Wijaya Kusuma",
)  # fmt: skip
DUSUN = (
    "Kaler", "Kidul", "Wetan", "Kulon", "Tengah", "Babakan", "Cipeundeuy", "Sukaluyu", "Pasir",
    "Leuwisari", "Cikoneng", "Ciherang", "Pabuaran", "Sindangrasa", "Bojong", "Cibuntu",
    "Karanganyar", "Jatisari", "Nangela", "Pangkalan",
)  # fmt: skip
ROMAN = ("", " II", " III", " IV", " V", " VI")

DELIVERY_PLACES = (
    ("Puskesmas {puskesmas}", 38),
    ("Pustu {pustu}", 14),
    ("Praktik Mandiri Bidan", 20),
    ("RSUD Sukamaju Raya", 22),
    ("Rumah", 6),
)

# Given names by birth cohort; a person gets one or two of them.
_FEMALE_OLD = (
    "Karsih", "Enok", "Atikah", "Sumarni", "Eem", "Iyah", "Onah", "Cucu", "Imas", "Popon",
    "Titin", "Aisah", "Nani", "Euis", "Entin", "Juju", "Omah", "Ade", "Dedeh", "Ratna",
)  # fmt: skip
_FEMALE_MID = (
    "Siti", "Nur", "Dewi", "Sri", "Ani", "Rina", "Neneng", "Lilis", "Yanti", "Tuti", "Yuli",
    "Wati", "Rini", "Eka", "Ida", "Heni", "Ratih", "Nining", "Elis", "Teti", "Yeni", "Rika",
    "Iis", "Susi", "Mulyani", "Kurniasih", "Fitri", "Nurhayati", "Rohmah", "Lia",
)  # fmt: skip
_FEMALE_YOUNG = (
    "Putri", "Ayu", "Intan", "Fitri", "Rahma", "Wulan", "Citra", "Nabila", "Salsabila", "Aulia",
    "Anisa", "Dinda", "Nadia", "Riska", "Mega", "Indah", "Tiara", "Sinta", "Novi", "Desi",
)  # fmt: skip
_FEMALE_CHILD = (
    "Zahra", "Aisyah", "Alifa", "Khanza", "Naura", "Azzahra", "Syifa", "Kirana", "Adiba", "Hana",
    "Nayla", "Humaira", "Keisha", "Almira", "Safa", "Qanita", "Shakila", "Arsyila", "Zalfa",
)  # fmt: skip
_MALE_OLD = (
    "Odang", "Sukarna", "Warsita", "Suparman", "Udin", "Endang", "Momon", "Jajang", "Oman",
    "Aceng", "Dadi", "Karna", "Uu", "Engkos", "Ujang", "Asep", "Dede", "Maman", "Cecep", "Ayi",
)  # fmt: skip
_MALE_MID = (
    "Asep", "Dedi", "Dadang", "Agus", "Budi", "Hendra", "Iwan", "Wahyu", "Yusuf", "Ujang",
    "Cecep", "Deden", "Rudi", "Eko", "Hadi", "Yayan", "Ade", "Dodi", "Heri", "Toto", "Ridwan",
    "Iman", "Aris", "Tatang", "Nandang", "Dani", "Wawan", "Irwan", "Sutisna", "Kusnadi",
)  # fmt: skip
_MALE_YOUNG = (
    "Rizky", "Fajar", "Dimas", "Ilham", "Galih", "Rendi", "Aldi", "Bayu", "Arya", "Reza",
    "Fikri", "Gilang", "Rafli", "Yoga", "Rian", "Andika", "Firman", "Eki", "Hilman", "Rangga",
)  # fmt: skip
_MALE_CHILD = (
    "Arkan", "Rafa", "Azka", "Kenzie", "Alfarizi", "Raffasya", "Athar", "Zidan", "Rayyan",
    "Fatih", "Abizar", "Daffa", "Hafiz", "Alvaro", "Gibran", "Arsenio", "Atharizz", "Ziyad",
)  # fmt: skip
# Second names (Indonesians seldom have family names; a second given name is common).
_SECOND_FEMALE = (
    "Nurhasanah", "Komariah", "Rohayati", "Suryani", "Maryam", "Fauziah", "Lestari", "Rahayu",
    "Handayani", "Wulandari", "Purnamasari", "Kartika", "Permata", "Aprilia", "Sholehah",
    "Nuraeni", "Hasanah", "Maesaroh", "Rosita", "Septiani",
)  # fmt: skip
_SECOND_MALE = (
    "Saepudin", "Hidayat", "Supriatna", "Kurniawan", "Setiawan", "Gunawan", "Hermawan",
    "Sopandi", "Ramdani", "Firmansyah", "Maulana", "Nugraha", "Permana", "Saputra", "Rahmat",
    "Sulaeman", "Mulyana", "Suherman", "Sobari", "Ruhiyat",
)  # fmt: skip


def given_names(sex: str, birth_year: int) -> tuple[str, ...]:
    """Return the given names in fashion for a birth year."""
    female = sex == "F"
    if birth_year < 1965:
        return _FEMALE_OLD if female else _MALE_OLD
    if birth_year < 1990:
        return _FEMALE_MID if female else _MALE_MID
    if birth_year < 2012:
        return _FEMALE_YOUNG if female else _MALE_YOUNG
    return _FEMALE_CHILD if female else _MALE_CHILD


def second_names(sex: str) -> tuple[str, ...]:
    """Return the second names for a sex."""
    return _SECOND_FEMALE if sex == "F" else _SECOND_MALE


# Referral feedback of the Pustu/Puskesmas, by the kind of problem (data, entered by nakes).
FEEDBACK = {
    "child": (
        "Sudah diperiksa bidan. Diberi PMT pemulihan 56 hari, timbang ulang 2 minggu lagi.",
        "Sudah diperiksa, tanpa penyakit penyerta. Konseling MP-ASI, kontrol bulan depan.",
        "Dirujuk lanjut ke dokter anak RSUD. Mohon kader pantau saat kunjungan rumah.",
        "Anak diare 5 hari, sudah diberi oralit dan zinc. Pantau berat badan minggu depan.",
    ),
    "pregnant": (
        "ANC lengkap di Pustu. Diberi MT ibu hamil KEK dan TTD, kontrol 2 minggu.",
        "Hb rendah, TTD dilanjutkan 2x sehari. Cek Hb ulang 1 bulan lagi.",
        "Tekanan darah tinggi, dirujuk ke dokter Puskesmas. Mohon ingatkan jadwal kontrol.",
    ),
    "adult": (
        "Tekanan darah tetap tinggi, diberi amlodipin 5 mg. Kontrol bulanan di Pustu.",
        "Gula darah puasa tinggi, diberi metformin. Edukasi diet, kontrol 2 minggu.",
        "Diperiksa dokter, dianjurkan kurangi garam dan rokok. Ukur ulang di posyandu bulan depan.",
    ),
}
CLASS_TOPICS = {
    "ibu_hamil": (
        "Perubahan tubuh dan keluhan selama kehamilan",
        "Tanda bahaya kehamilan dan persiapan persalinan",
        "Gizi ibu hamil dan tablet tambah darah",
        "Perawatan bayi baru lahir dan ASI eksklusif",
    ),
    "ibu_balita": (
        "ASI eksklusif dan MP-ASI dari pangan lokal",
        "Stimulasi tumbuh kembang anak",
        "Pencegahan stunting dan pemantauan pertumbuhan",
        "Imunisasi lengkap dan tanda bahaya anak sakit",
    ),
}
TRAINERS = ("Puskesmas {puskesmas}", "Dinas Kesehatan Kabupaten", "Bidan Pustu {pustu}")
PHONE_PREFIXES = ("0812", "0813", "0821", "0822", "0852", "0853", "0857", "0878", "0896")
