"""The people, places and ties of the demo scenario "Operasi Mawar" (all fictional).

A recruitment network in East Kalimantan sends workers, mostly women from NTT,
Sulawesi and Java, through Nunukan across the border to plantations around
Tawau (Sabah), with an onward route via Sandakan to Zamboanga (Philippines).

Every named person is a ``Member``: how each producer writes the name (the
spellings differ on purpose: Malaysian abbreviations, pre-1972 Indonesian
spelling, Interpol "SURNAME, Forename", family-first Chinese names, Arabic and
Chinese script), the phone(s), the documents, and the role.  ``TIES`` says who
talks to whom and how often; the organisers are the hubs and bridges of that
graph by construction.  Nothing here depends on the scale: the scale only adds
volume and background noise around this fixed core.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Bundle keys (the producers).  The bundle ids are derived from these and the seed.
BONTANG_REPORTS = "polres-bontang-laporan"
BONTANG_PHONE = "polres-bontang-ekstraksi"
PPATK = "ppatk-lhp"
PDRM = "pdrm-tawau"
INTERPOL = "interpol-notices"
PNP = "pnp-zamboanga"


@dataclass(frozen=True)
class Member:
    key: str
    role: str                      # suspect | victim | witness (the `role` column)
    function: str                  # organiser, financier, recruiter, courier, … (for the truth file)
    country: str                   # where the phone is registered: ID | MY | PH
    city: str                      # home area (cell sites, addresses)
    phones: tuple[str, ...]        # national significant numbers; two = a phone switch
    names: dict[str, str]          # bundle key -> the name as that producer writes it
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    birth: dict[str, str] = field(default_factory=dict)   # bundle key -> birth_date as written
    gender: str = "M"
    nationality: str = "ID"
    passport: tuple[str, str] | None = None              # (issuing country, number)
    national_id: str | None = None
    circle: int = 2                # personal contacts (family, friends) around the phone
    active: tuple[str, str] | None = None                # phone activity window (local dates)
    label: str | None = None       # the name as saved in the seized phone's contact book


B, E, F, M, IP, P = BONTANG_REPORTS, BONTANG_PHONE, PPATK, PDRM, INTERPOL, PNP

CAST: tuple[Member, ...] = (
    # --- the organisers -------------------------------------------------------------------
    Member("rizal", "suspect", "organiser", "ID", "Bontang", ("81234567890",),
           {B: "Muhammad Rizal bin Abdullah", M: "Mohd Rizal Abdullah", IP: "RIZAL, Mohamad",
            F: "MUHAMMAD RIZAL", E: "Rizal"},
           aliases={B: ("Rizal", "Bos Rizal"), M: ("Rizal Bontang",), IP: ("Muhamad Rizal",)},
           birth={B: "1981-04-12", M: "1981-04-12", IP: "1981-04-12", F: "1981-04-12"},
           passport=("ID", "C1234567"), national_id="6474011204810003", circle=12, label="Bos Rizal"),
    Member("abdulrahman", "suspect", "organiser", "MY", "Tawau", ("198765432",),
           {M: "Abd. Rahman bin Yusof", IP: "ABDUL RAHMAN BIN YUSOF", B: "Abdul Rahman",
            P: "Abdul Rahman Yusof"},
           aliases={M: ("عبد الرحمن بن يوسف", "Bos Tawau"), IP: ("Abdulrahman Yusuf",), B: ("Bos Tawau",)},
           birth={M: "1976-03-12", IP: "1976-03-12", P: "1976"},
           nationality="MY", passport=("MY", "A38811207"), national_id="760312-12-5531", circle=8,
           label="Bos Tawau"),
    Member("hendra", "suspect", "financier", "ID", "Samarinda", ("81155501234",),
           {B: "Hendra Tanoto", M: "Tan Hok Seng", IP: "TANOTO, Hendra", F: "HENDRA TANOTO"},
           aliases={B: ("Tan Hok Seng", "Koh Hendra"), M: ("陈福生", "Hendra Tanoto"), IP: ("TAN, Hok Seng",)},
           birth={B: "1969-09-03", M: "1969-09-03", IP: "1969-09", F: "1969-09-03"},
           passport=("ID", "B7765432"), national_id="6472010309690001", circle=4, label="Koh Hendra"),
    Member("djoko", "suspect", "transport", "ID", "Nunukan", ("85246810121", "82199012345"),
           {B: "Djoko Santoso", IP: "SANTOSO, Joko", M: "Joko Santoso", F: "DJOKO SANTOSO"},
           aliases={B: ("Pak Djoko",), M: ("Pak Joko",)},
           birth={B: "1975-01-22", IP: "1975-01-22", M: "1975-01-22", F: "1975-01-22"},
           passport=("ID", "C2468013"), national_id="6503012201750002", circle=5, label="Djoko Nunukan"),
    Member("soenarjo", "suspect", "documents", "ID", "Samarinda", ("81350607080",),
           {B: "Soenarjo Wibowo", M: "Sunaryo Wibowo"},
           aliases={B: ("Pak Narjo",), M: ("Narjo",)},
           birth={B: "1958-06-30", M: "1958-06"},
           passport=("ID", "A0991234"), national_id="6472013006580004", circle=3, label="Pak Narjo Paspor"),
    # --- recruiters and couriers in Indonesia ---------------------------------------------------
    Member("andi", "suspect", "recruiter", "ID", "Bontang", ("85250123456",),
           {B: "Andi Saputra", E: "Andi Saputra", F: "ANDI SAPUTRA"},
           birth={B: "1992-11-05", F: "1992-11-05"}, national_id="6474010511920007", circle=3,
           active=("2026-03-01", "2026-10-20")),
    Member("siti", "suspect", "recruiter", "ID", "Sangatta", ("81387654321",),
           {B: "Siti Rahmawati", F: "SITI RAHMAWATI"}, gender="F",
           birth={B: "1988-02-14"}, national_id="6408015402880003", circle=3, label="Bu Siti Sangatta"),
    Member("yohanes", "suspect", "recruiter", "ID", "Kupang", ("81339445566",),
           {B: "Yohanes Lado"}, birth={B: "1985-07-19"}, national_id="5371011907850001", circle=3,
           label="Yohanes Kupang"),
    Member("bambang", "suspect", "recruiter", "ID", "Balikpapan", ("81253535353",),
           {B: "Bambang Hermawan"}, birth={B: "1979-12-01"}, circle=3, label="Bambang Bpp"),
    Member("nuraisyah", "suspect", "recruiter", "ID", "Bontang", ("85391817161",),
           {B: "Nur Aisyah binti Hasan", M: "Noor Aisyah Hassan"}, gender="F",
           birth={B: "1990-05-08", M: "1990-08-05"}, passport=("ID", "C3355779"), circle=3, label="Kak Aisyah"),
    Member("agus", "suspect", "courier", "ID", "Bontang", ("87812312312",),
           {B: "Agus Salim", F: "AGUS SALIM"}, birth={B: "1995-03-03", F: "1995-03-03"}, circle=3,
           label="Agus Kurir"),
    Member("rudi", "suspect", "courier", "ID", "Nunukan", ("82255667788",),
           {B: "Rudi Hartono", M: "HARTONO, Rudy"}, birth={B: "1987-10-10", M: "1987"},
           passport=("ID", "C4455667"), circle=3, label="Rudi Nunukan"),
    # --- the Malaysian and Philippine side ----------------------------------------------------
    Member("faizal", "suspect", "courier", "MY", "Tawau", ("123456789",),
           {M: "Mohd Faizal bin Ismail"}, aliases={M: ("Faizal",)}, birth={M: "1989-06-21"},
           nationality="MY", national_id="890621-12-6113", circle=3),
    Member("lim", "suspect", "courier", "MY", "Tawau", ("167788990", "133344556"),
           {M: "Lim Kok Wai", IP: "LIM, Kok Wai"}, aliases={M: ("林国伟", "Ah Wai")},
           birth={M: "1983-09-17", IP: "1983-09-17"}, nationality="MY", passport=("MY", "A40022918"), circle=3),
    Member("rosli", "suspect", "employer", "MY", "Semporna", ("178899001",),
           {M: "Rosli bin Ahmad"}, birth={M: "1971-01-30"}, nationality="MY", circle=3),
    Member("awang", "suspect", "boatman", "MY", "Sandakan", ("194455667",),
           {M: "Awang Damit"}, birth={M: "1966"}, nationality="MY", circle=2),
    Member("jose", "suspect", "organiser-ph", "PH", "Zamboanga", ("9171234567",),
           {P: "Jose de la Cruz", IP: "DELA CRUZ, Jose"}, aliases={P: ("Pepe",)},
           birth={P: "1978-08-08", IP: "1978-08-08"}, nationality="PH", passport=("PH", "P1234567A"), circle=4),
    Member("theresa", "suspect", "recruiter", "PH", "Zamboanga", ("9189876543",),
           {P: "Ma. Theresa Santos"}, gender="F", birth={P: "1984-04-04"}, nationality="PH", circle=3),
    # --- witnesses ------------------------------------------------------------------------------
    Member("maryam", "witness", "landlady", "ID", "Bontang", ("81298765432",),
           {B: "Hj. Sitti Maryam"}, gender="F", birth={B: "1962-01-01"}, circle=2, label="Bu Haji Kos"),
    Member("made", "witness", "harbour official", "ID", "Nunukan", ("81244556677",),
           {B: "Drs. I Made Wirawan"}, birth={B: "1970-10-20"}, circle=2),
    Member("fauzan", "witness", "neighbour", "ID", "Bontang", ("89612345678",),
           {B: "Fauzan"}, birth={B: "1998"}, circle=2, label="Fauzan"),
    Member("zulkifli", "witness", "ferry terminal officer", "MY", "Tawau", ("138877665",),
           {M: "Ahmad Zulkifli bin Omar"}, birth={M: "1980-02-02"}, nationality="MY", circle=2),
    # --- decoys: similar names, other people (must NOT be matched) ----------------------------------
    Member("rizal_decoy", "witness", "decoy", "MY", "Kota Kinabalu", ("128765432",),
           {M: "Muhammad Rizal bin Ahmad"}, birth={M: "1994-07-30"}, nationality="MY", circle=2),
    Member("joko_decoy", "witness", "decoy", "ID", "Tarakan", ("81311223344",),
           {IP: "SANTOSO, Joko Widodo"}, birth={IP: "1961-05-05"}, circle=2),
)

# Victims: (key, name as Bontang writes it, other spellings, birth, recruiter, home, recruited on)
VICTIMS: tuple[tuple[str, str, dict[str, str], str, str, str, str], ...] = (
    ("v01", "Maria Goreti Bria", {M: "Maria Goretti Bria", IP: "BRIA, Maria Goreti"}, "2001-02-11",
     "yohanes", "Kupang", "2026-03-10"),
    ("v02", "Yuliana Seran", {M: "Juliana Seran"}, "2003-06-02", "yohanes", "Kupang", "2026-03-18"),
    ("v03", "Fransiska Nahak", {}, "2000-09-09", "yohanes", "Kupang", "2026-04-02"),
    ("v04", "Lusiana Tefa", {IP: "TEFA, Lusiana"}, "2004-12-24", "yohanes", "Kupang", "2026-05-15"),
    ("v05", "Nurhayati", {M: "Nurhayati"}, "1999-03-15", "andi", "Bontang", "2026-03-20"),
    ("v06", "Dewi Lestari", {M: "Dewi Lestari"}, "2002-07-09", "andi", "Bontang", "2026-04-11"),
    ("v07", "Hasnah", {}, "1997-01-01", "andi", "Bontang", "2026-06-01"),
    ("v08", "Wulan Sari", {}, "2003-10-30", "andi", "Samarinda", "2026-07-12"),
    ("v09", "Rina Marlina", {}, "2001-04-21", "siti", "Sangatta", "2026-03-25"),
    ("v10", "Sri Wahyuni", {M: "Sri Wahyuni"}, "2000-08-17", "siti", "Sangatta", "2026-05-02"),
    ("v11", "Ratna Dewi", {}, "1998-11-11", "siti", "Sangatta", "2026-08-08"),
    ("v12", "Ayu Kartika", {}, "2005-01-19", "bambang", "Balikpapan", "2026-04-18"),
    ("v13", "Erni Susanti", {}, "1996-05-25", "bambang", "Balikpapan", "2026-06-20"),
    ("v14", "Indah Permata", {}, "2004-03-03", "nuraisyah", "Bontang", "2026-04-28"),
    ("v15", "Sinta Bela", {}, "2002-02-22", "nuraisyah", "Bontang", "2026-07-30"),
    ("v16", "Margareta Lake", {IP: "LAKE, Margareta"}, "2003-09-14", "yohanes", "Kupang", "2026-08-20"),
)

# Victim phone numbers (ID mobiles), in the same order as VICTIMS.
VICTIM_PHONES = (
    "81337001001", "81337002002", "85239003003", "82145004004", "85250005005", "81350006006",
    "89650007007", "87850008008", "81350009009", "82150010010", "85350011011", "81250012012",
    "85250013013", "81350014014", "87850015015", "81337016016",
)

# (a, b, weight): how often the two talk, relative to the rest.
TIES: tuple[tuple[str, str, float], ...] = (
    ("rizal", "andi", 10), ("rizal", "siti", 8), ("rizal", "yohanes", 8), ("rizal", "bambang", 8),
    ("rizal", "nuraisyah", 8), ("rizal", "agus", 6), ("rizal", "rudi", 6), ("rizal", "djoko", 10),
    ("rizal", "hendra", 6), ("rizal", "soenarjo", 5), ("rizal", "abdulrahman", 8),
    ("hendra", "abdulrahman", 3), ("hendra", "agus", 4), ("hendra", "soenarjo", 1),
    ("djoko", "rudi", 6), ("djoko", "abdulrahman", 4), ("djoko", "made", 1),
    ("soenarjo", "andi", 2), ("soenarjo", "yohanes", 2),
    ("andi", "nuraisyah", 3), ("siti", "bambang", 2),
    ("abdulrahman", "faizal", 8), ("abdulrahman", "lim", 8), ("abdulrahman", "rosli", 6),
    ("abdulrahman", "awang", 5), ("abdulrahman", "jose", 6), ("abdulrahman", "theresa", 2),
    ("faizal", "rosli", 3), ("faizal", "lim", 3), ("lim", "rosli", 3), ("lim", "awang", 2),
    ("jose", "theresa", 5), ("faizal", "zulkifli", 1),
    ("maryam", "andi", 1), ("maryam", "nuraisyah", 1), ("fauzan", "andi", 1),
    ("rizal_decoy", "zulkifli", 1),
)

# The phone switches: member key -> the local date the new number takes over.
SWITCH_DATES = {"djoko": "2026-07-06", "lim": "2026-08-17"}

# Activity window of the scenario (local dates, WITA) and the seized phone's arrest date.
START, END = "2026-03-01", "2026-10-31"

# Places (name, lat, lon, region, country) for cells, incidents, addresses and travel.
PLACES: dict[str, tuple[float, float, str, str]] = {
    "Bontang": (0.1333, 117.5000, "Kalimantan Timur", "ID"),
    "Sangatta": (0.5030, 117.5500, "Kalimantan Timur", "ID"),
    "Samarinda": (-0.5022, 117.1536, "Kalimantan Timur", "ID"),
    "Balikpapan": (-1.2379, 116.8529, "Kalimantan Timur", "ID"),
    "Tarakan": (3.3000, 117.6333, "Kalimantan Utara", "ID"),
    "Nunukan": (4.1333, 117.6667, "Kalimantan Utara", "ID"),
    "Kupang": (-10.1772, 123.6070, "Nusa Tenggara Timur", "ID"),
    "Tawau": (4.2448, 117.8912, "Sabah", "MY"),
    "Semporna": (4.4818, 118.6110, "Sabah", "MY"),
    "Sandakan": (5.8402, 118.1179, "Sabah", "MY"),
    "Kota Kinabalu": (5.9804, 116.0735, "Sabah", "MY"),
    "Zamboanga": (6.9214, 122.0790, "Zamboanga Peninsula", "PH"),
}

# Labels as saved in the seized phone for personal contacts (family, friends).
FAMILY_LABELS = ("Mama", "Bapak", "Kakak", "Adik", "Om Udin", "Tante Lina", "Sepupu Dedi", "Mas Eko",
                 "Teman Kantor", "Ojek Pak Rahmat", "Bengkel Jaya", "Istri")

# WhatsApp messages of the seized phone (Bahasa Indonesia), by who the other side is.
MESSAGES = {
    "boss_out": ("Bos, {n} orang siap berangkat Kamis ke Nunukan.",
                 "Bos, paspor yang dua belum jadi, Pak Narjo minta tambahan.",
                 "Sudah transfer biaya tiket ke rekening CV ya bos.",
                 "Bos, ada yang tanya soal gaji, saya bilang 4 juta sebulan.",
                 "Siap bos, besok pagi saya antar ke pelabuhan."),
    "boss_in": ("Kumpulkan dulu di kos Bu Haji, jangan keluar rumah.",
                "Jangan pakai nomor lama lagi. Hapus semua chat.",
                "Kapal berangkat jam 7 dari Tunon Taka, Djoko yang jemput.",
                "Uang sudah masuk, bagi ke Yohanes juga.",
                "Kalau ada polisi tanya, bilang mereka ke Tawau untuk kerja di kebun."),
    "victim_out": ("Kak, lowongan kerja di kebun sawit Tawau, gaji 4 juta sebulan, paspor diurus.",
                   "Berangkat minggu depan ya, bawa KTP dan fotokopi KK.",
                   "Biaya pengurusan 5 juta, transfer ke rekening yang saya kirim.",
                   "Nanti di Tawau ada yang jemput, namanya Pak Faizal.",
                   "Jangan bilang orang tua dulu, nanti saja kalau sudah kerja."),
    "victim_in": ("Kak, kapan berangkat? Saya sudah siap.",
                  "Uangnya sudah saya transfer kak, tolong dicek.",
                  "Kak, paspor saya dipegang bos, saya tidak bisa pulang.",
                  "Kerjanya berat, gaji belum dibayar tiga bulan.",
                  "Tolong kak, saya mau pulang ke Indonesia."),
    "peer": ("Ada berapa orang minggu ini?", "Rekening CV masih aman?", "Besok ketemu di warung biasa.",
             "Bos marah, katanya kurang orang.", "Sudah, aman."),
    "other": ("Iya", "Sudah makan?", "Nanti malam pulang jam berapa?", "Ok siap", "Tolong belikan pulsa 50 ribu",
              "Hati-hati di jalan", "Ada di rumah?", "Makasih ya"),
}

INCIDENT_KINDS = {
    "laporan_orang_hilang": "Laporan orang hilang: {who} tidak pulang sejak berangkat kerja ke Malaysia.",
    "tppo": "Laporan dugaan TPPO: perekrutan tenaga kerja ke Sabah tanpa dokumen resmi.",
    "pemalsuan_dokumen": "Dugaan pemalsuan dokumen perjalanan (paspor/KTP) untuk calon pekerja migran.",
    "penampungan_ilegal": "Penampungan calon pekerja migran di rumah kos tanpa izin.",
    "penyelundupan_orang": "Pencegahan keberangkatan pekerja migran non-prosedural di pelabuhan.",
}
