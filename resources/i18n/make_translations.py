"""Build the UI translations: extract with pyside6-lupdate, fill Bahasa Indonesia, compile.

    .venv/bin/python resources/i18n/make_translations.py

English is the source language.  ``ID`` below is the Indonesian catalogue, keyed by
the English text; the build fails (and names the text) when a visible string has no
translation, so the two languages stay complete together.  TLP labels are never
translated (FIRST's rule) and are not in ``self.tr()``.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TS = HERE / "lintas_id.ts"
QM = HERE / "lintas_id.qm"
QT_TS = HERE / "qt_id.ts"
QT_QM = HERE / "qt_id.qm"

# Qt's own words (standard buttons, the wizard's buttons, message-box details, the edit menus):
# Qt ships no Indonesian translation of them, so the UI brings its own (context, English, Indonesian).
QT_ID: list[tuple[str, str, str]] = [
    *[("QPlatformTheme", en, idn) for en, idn in (
        ("OK", "OK"), ("&OK", "&OK"), ("Save", "Simpan"), ("&Save", "&Simpan"), ("Save All", "Simpan semua"),
        ("Open", "Buka"), ("&Yes", "&Ya"), ("Yes to &All", "Ya untuk &semua"), ("&No", "&Tidak"),
        ("N&o to All", "T&idak untuk semua"), ("Abort", "Batalkan"), ("Retry", "Coba lagi"),
        ("Ignore", "Abaikan"), ("Close", "Tutup"), ("&Close", "&Tutup"), ("Cancel", "Batal"),
        ("&Cancel", "&Batal"), ("Discard", "Buang"), ("Close without Saving", "Tutup tanpa menyimpan"),
        ("Help", "Bantuan"), ("Apply", "Terapkan"), ("Reset", "Atur ulang"),
        ("Restore Defaults", "Kembalikan bawaan"))],
    *[("QWizard", en, idn) for en, idn in (
        ("< &Back", "< &Kembali"), ("&Next >", "&Lanjut >"), ("&Next", "&Lanjut"), ("&Finish", "&Selesai"),
        ("Cancel", "Batal"), ("&Help", "&Bantuan"), ("Help", "Bantuan"), ("Go Back", "Kembali"),
        ("Continue", "Lanjut"), ("Commit", "Terapkan"), ("Done", "Selesai"))],
    ("QMessageBox", "Show Details...", "Tampilkan rincian..."),
    ("QMessageBox", "Hide Details...", "Sembunyikan rincian..."),
    *[(ctx, en, idn) for ctx in ("QLineEdit", "QWidgetTextControl") for en, idn in (
        ("&Undo", "&Urungkan"), ("&Redo", "&Ulangi"), ("Cu&t", "Po&tong"), ("&Copy", "&Salin"),
        ("&Paste", "&Tempel"), ("Delete", "Hapus"), ("Select All", "Pilih semua"))],
    ("QWidgetTextControl", "Copy &Link Location", "Salin &lokasi tautan"),
    # the file chooser (Qt's own dialog: File → Import a bundle folder, and every chooser off a native desktop)
    *[("QFileDialog", en, idn) for en, idn in (
        ("&Look in:", "&Cari di:"), ("Directory:", "Direktori:"), ("&Choose", "&Pilih"),
        ("File &name:", "&Nama berkas:"), ("Files of &type:", "&Jenis berkas:"), ("Directories", "Direktori"),
        ("Files", "Berkas"), ("All Files (*)", "Semua berkas (*)"), ("All files (*)", "Semua berkas (*)"),
        ("&Open", "&Buka"), ("Open", "Buka"), ("&Save", "&Simpan"), ("Save As", "Simpan sebagai"),
        ("Back", "Kembali"), ("Forward", "Maju"), ("Go back", "Kembali"), ("Go forward", "Maju"),
        ("Parent Directory", "Direktori induk"), ("Go to the parent directory", "Ke direktori induk"),
        ("Create New Folder", "Buat folder baru"), ("Create a New Folder", "Buat folder baru"),
        ("New Folder", "Folder baru"), ("&New Folder", "Folder &baru"), ("List View", "Tampilan daftar"),
        ("Detail View", "Tampilan rinci"), ("Change to list view mode", "Beralih ke tampilan daftar"),
        ("Change to detail view mode", "Beralih ke tampilan rinci"), ("Recent Places", "Tempat terakhir"),
        ("Show &hidden files", "Tampilkan berkas &tersembunyi"), ("&Rename", "&Ganti nama"),
        ("&Delete", "&Hapus"), ("Delete", "Hapus"), ("Remove", "Hapus"), ("Find Directory", "Cari direktori"),
        ("Sidebar", "Bilah samping"), ("List of places and bookmarks", "Daftar tempat dan penanda"),
        ("%1 already exists.\nDo you want to replace it?", "%1 sudah ada.\nGanti?"),
        ("%1\nFile not found.\nPlease verify the correct file name was given.",
         "%1\nBerkas tidak ditemukan.\nPeriksa apakah nama berkas sudah benar."),
        ("%1\nDirectory not found.\nPlease verify the correct directory name was given.",
         "%1\nDirektori tidak ditemukan.\nPeriksa apakah nama direktori sudah benar."))],
    *[("QFileSystemModel", en, idn) for en, idn in (
        ("Name", "Nama"), ("Size", "Ukuran"), ("Type", "Jenis"), ("Kind", "Jenis"),
        ("Date Modified", "Tanggal diubah"), ("Computer", "Komputer"), ("My Computer", "Komputer saya"))],
    *[("QAbstractFileIconProvider", en, idn) for en, idn in (
        ("Folder", "Folder"), ("File Folder", "Folder berkas"), ("File", "Berkas"), ("Drive", "Drive"),
        ("Unknown", "Tidak dikenal"), ("Shortcut", "Pintasan"), ("Alias", "Alias"))],
]

ID: dict[str, str] = {
    # audit
    "Filter by action, user or details…": "Saring menurut tindakan, pengguna, atau rincian…",
    "Verify again": "Verifikasi ulang",
    "Seq": "No.",
    "Time (UTC)": "Waktu (UTC)",
    "User": "Pengguna",
    "Action": "Tindakan",
    "Details": "Rincian",
    "Audit log intact: {0} entries, hash chain verified":
        "Log audit utuh: {0} entri, rantai hash terverifikasi",
    "AUDIT LOG TAMPERED: first bad entry {0} — {1}": "LOG AUDIT DIUBAH: entri rusak pertama {0} — {1}",
    # console
    "SELECT * FROM calls LIMIT 100   — Ctrl+Enter runs, Ctrl+Space completes table and column names":
        "SELECT * FROM calls LIMIT 100   — Ctrl+Enter menjalankan, Ctrl+Space melengkapi nama tabel dan kolom",
    "Run": "Jalankan",
    "Run the query (Ctrl+Enter)": "Jalankan kueri (Ctrl+Enter)",
    "Cancel": "Batal",
    "Stop the running query (Esc)": "Hentikan kueri yang berjalan (Esc)",
    "Save query…": "Simpan kueri…",
    "Export…": "Ekspor…",
    "Write the whole result to CSV, XLSX or Parquet": "Tulis seluruh hasil ke CSV, XLSX, atau Parquet",
    "Filter rows (any column contains…)": "Saring baris (kolom mana pun memuat…)",
    "Write a query and press Ctrl+Enter.": "Tulis kueri lalu tekan Ctrl+Enter.",
    "Saved queries": "Kueri tersimpan",
    "History": "Riwayat",
    "{0}\n\n{1} rows, by {2}": "{0}\n\n{1} baris, oleh {2}",
    "Running…": "Sedang berjalan…",
    "Query": "Kueri",
    "{0} rows in {1:.2f} s": "{0} baris dalam {1:.2f} dtk",
    "Cancelled.": "Dibatalkan.",
    "The query failed: {0}": "Kueri gagal: {0}",
    "Sorting and filtering…": "Mengurutkan dan menyaring…",
    "Sort/filter": "Urut/saring",
    "{0} of {1} rows": "{0} dari {1} baris",
    "Save query": "Simpan kueri",
    "Name of the query:": "Nama kueri:",
    "Export result": "Ekspor hasil",
    "CSV (*.csv);;Excel workbook (*.xlsx);;Parquet (*.parquet)":
        "CSV (*.csv);;Buku kerja Excel (*.xlsx);;Parquet (*.parquet)",
    "Exporting…": "Mengekspor…",
    "Export": "Ekspor",
    "{0} rows written to {1}": "{0} baris ditulis ke {1}",
    # dossier
    "Produce a dossier": "Buat dosir",
    "Only what this recipient may receive goes into the dossier":
        "Hanya yang boleh diterima penerima ini yang masuk ke dosir",
    "Recipient:": "Penerima:",
    "Language:": "Bahasa:",
    "Empty: the whole case (as far as the recipient may receive it)":
        "Kosong: seluruh perkara (sejauh boleh diterima penerima)",
    "Subjects:": "Subjek:",
    "Browse…": "Telusuri…",
    "PDF file:": "Berkas PDF:",
    "Produce": "Buat",
    "Dossier": "Dosir",
    # import
    "Import": "Impor",
    "Open or create a case first.": "Buka atau buat perkara terlebih dahulu.",
    "Reading {0}": "Membaca {0}",
    "{0}: refused, the bundle does not check out; the case was not changed":
        "{0}: ditolak, bundel tidak lolos pemeriksaan; perkara tidak diubah",
    "Importing {0}": "Mengimpor {0}",
    "Not imported.": "Tidak diimpor.",
    "Imported {0}: {1} rows": "Diimpor {0}: {1} baris",
    "Import of {0} cancelled; the case was not changed.": "Impor {0} dibatalkan; perkara tidak diubah.",
    "Cancel this job (Esc in its panel)": "Batalkan pekerjaan ini (Esc di panelnya)",
    "(+{0} more)": "(+{0} lagi)",
    # main window
    "Case": "Perkara",
    "Double-click a kind to list its rows, a saved query to run it":
        "Klik dua kali sebuah jenis untuk menampilkan barisnya, atau kueri tersimpan untuk menjalankannya",
    "#": "#",
    "TLP": "TLP",
    "Title": "Judul",
    "Producer": "Pembuat",
    "Verification": "Verifikasi",
    "Releasable to": "Boleh dibagikan ke",
    "Legal basis": "Dasar hukum",
    "Imported": "Diimpor",
    "Sources": "Sumber",
    "SQL console": "Konsol SQL",
    "Audit log": "Log audit",
    "Open a case (File → Open) or create one (File → New).\nDrop bundles or files here to import them.":
        "Buka perkara (Berkas → Buka) atau buat baru (Berkas → Baru).\n"
        "Jatuhkan bundel atau berkas di sini untuk mengimpornya.",
    "Case explorer": "Penjelajah perkara",
    "No case open": "Tidak ada perkara terbuka",
    "Search": "Cari",
    "Network": "Jaringan",
    "{0} subjects for the next dossier (File → Produce dossier…)":
        "{0} subjek untuk dosir berikutnya (Berkas → Buat dosir…)",
    "Dossier for {0}": "Dosir untuk {0}",
    "Dossier written: {0} ({1} pages, TLP:{2})": "Dosir ditulis: {0} ({1} halaman, TLP:{2})",
    "&File": "&Berkas",
    "&New case…": "Perkara &baru…",
    "&Open case…": "&Buka perkara…",
    "Open &recent": "Buka &terakhir",
    "&Import…": "&Impor…",
    "Produce &dossier…": "Buat &dosir…",
    "&Settings…": "&Pengaturan…",
    "&Quit": "&Keluar",
    "&View": "&Tampilan",
    "Refresh": "Segarkan",
    "&Help": "Ban&tuan",
    "Keyboard shortcuts": "Pintasan papan ketik",
    "About Lintas": "Tentang Lintas",
    "Ctrl+O  open a case\nCtrl+N  new case\nCtrl+I  import\nCtrl+D  produce a dossier\nCtrl+1…5  switch tabs\n"
    "Ctrl+Enter  run the query\nCtrl+Space  complete a name\nEsc  cancel the running job\nF5  refresh\n"
    "Ctrl+F  search\nCtrl+M  find matches (the same person across sources)":
        "Ctrl+O  buka perkara\nCtrl+N  perkara baru\nCtrl+I  impor\nCtrl+D  buat dosir\nCtrl+1…5  pindah tab\n"
        "Ctrl+Enter  jalankan kueri\nCtrl+Space  lengkapi nama\nEsc  batalkan pekerjaan yang berjalan\n"
        "F5  segarkan\nCtrl+F  cari\nCtrl+M  cari kecocokan (orang yang sama di berbagai sumber)",
    "Lintas {0}\nEvidence and intelligence analysis workstation.\nOffline: no part of the program opens a "
    "network connection.":
        "Lintas {0}\nStasiun kerja analisis barang bukti dan intelijen.\nLuring: tidak ada bagian program yang "
        "membuka koneksi jaringan.",
    "New case": "Perkara baru",
    "Case title:": "Judul perkara:",
    "Open case": "Buka perkara",
    "Bundles, partner packages and tables (*.zip *.json *.jsonl *.ndjson *.csv *.xlsx *.parquet);;All files (*)":
        "Bundel, paket mitra, dan tabel (*.zip *.json *.jsonl *.ndjson *.csv *.xlsx *.parquet);;Semua berkas (*)",
    "The new language applies when Lintas starts again.": "Bahasa baru berlaku saat Lintas dijalankan lagi.",
    "{0} · {1} sources · {2} rows · {3} entities": "{0} · {1} sumber · {2} baris · {3} entitas",
    "{0} — {1} sources, {2} rows": "{0} — {1} sumber, {2} baris",
    "#{0} · {1} · signature: {2}": "#{0} · {1} · tanda tangan: {2}",
    "producer unknown": "pembuat tidak diketahui",
    "Rows by kind": "Baris per jenis",
    "Table in the SQL console: {0}": "Tabel di konsol SQL: {0}",
    "Entities": "Entitas",
    "Dossiers and exports": "Dosir dan ekspor",
    " · {0} rows set aside": " · {0} baris disisihkan",
    # network
    "Choose “Show in network” on an entity profile.": "Pilih “Tampilkan di jaringan” pada profil entitas.",
    "hops: ": "langkah: ",
    "Building the network…": "Membangun jaringan…",
    "Refreshing the case": "Memperbarui tampilan kasus",
    "{0} nodes, {1} ties within {2} hop(s) of {3}": "{0} simpul, {1} hubungan dalam {2} langkah dari {3}",
    # plain wizard
    "Import a plain file: {0}": "Impor berkas biasa: {0}",
    "What is in this file?": "Apa isi berkas ini?",
    "The first rows as written. Choose the kind of its rows, or a saved mapping.":
        "Baris-baris pertama sebagaimana tertulis. Pilih jenis barisnya, atau pemetaan tersimpan.",
    "Kind of rows:": "Jenis baris:",
    "(none)": "(tidak ada)",
    "Saved mapping:": "Pemetaan tersimpan:",
    "Where does it come from, and who may see it?": "Dari mana asalnya, dan siapa yang boleh melihatnya?",
    "Title:": "Judul:",
    "For times written without an offset (an IANA name)": "Untuk waktu yang ditulis tanpa selisih zona (nama IANA)",
    "Time zone of the times:": "Zona waktu:",
    "ISO 3166 code; national phone numbers are read with it": "Kode ISO 3166; nomor telepon nasional dibaca dengannya",
    "Producer country:": "Negara pembuat:",
    "Producer agency:": "Instansi pembuat:",
    "TLP:": "TLP:",
    "Releasable to:": "Boleh dibagikan ke:",
    "Legal basis:": "Dasar hukum:",
    "a name, to reuse this mapping next time": "sebuah nama, agar pemetaan ini dapat dipakai lagi",
    "Save mapping as:": "Simpan pemetaan sebagai:",
    "separated by ;": "dipisahkan dengan ;",
    "Caveats:": "Catatan pembatasan:",
    "Which column holds what?": "Kolom mana berisi apa?",
    "Suggested from the column names; required columns are marked *. Columns not mapped are kept as extra data.":
        "Disarankan dari nama kolom; kolom wajib ditandai *. Kolom yang tidak dipetakan disimpan sebagai data "
        "tambahan.",
    "(not in the file)": "(tidak ada di berkas)",
    # problems
    "Import refused": "Impor ditolak",
    "File": "Berkas",
    "Row": "Baris",
    "Column": "Kolom",
    "Reason": "Alasan",
    "Copy all": "Salin semua",
    "Copy every problem as tab-separated text (paste into a spreadsheet)":
        "Salin semua masalah sebagai teks dipisah tab (tempel ke lembar kerja)",
    # profile
    "Choose a search hit to see its profile.": "Pilih hasil pencarian untuk melihat profilnya.",
    "Value": "Nilai",
    "Source": "Sumber",
    "Score": "Skor",
    "Possibly the same as": "Mungkin sama dengan",
    "Why": "Alasan",
    "Undo last judgement": "Batalkan penilaian terakhir",
    "Show in network": "Tampilkan di jaringan",
    "Add to dossier": "Tambahkan ke dosir",
    "Suggested matches (confirm, reject or mark unsure):":
        "Usulan kecocokan (konfirmasi, tolak, atau tandai ragu):",
    "Profile": "Profil",
    "Entity {0}": "Entitas {0}",
    "Records: {0} · sources: {1} · entities confirmed the same: {2}":
        "Catatan: {0} · sumber: {1} · entitas yang dikonfirmasi sama: {2}",
    "Names": "Nama",
    "Aliases": "Alias",
    "Birth dates": "Tanggal lahir",
    "Nationalities": "Kewarganegaraan",
    "Genders": "Jenis kelamin",
    "Kinds of organisation": "Jenis organisasi",
    "Countries": "Negara",
    "Registration numbers": "Nomor registrasi",
    "Notes": "Catatan",
    "Identifiers": "Identitas",
    "Addresses": "Alamat",
    "Relationships": "Hubungan",
    "Judgements": "Penilaian",
    "Events and mentions (by shared identifier)": "Peristiwa dan penyebutan (lewat identitas yang sama)",
    "via": "lewat",
    "undone": "dibatalkan",
    "standing": "berlaku",
    "Same": "Sama",
    "Not same": "Tidak sama",
    "Unsure": "Ragu",
    "Your judgement": "Penilaian Anda",
    "Judgement": "Penilaian",
    "Undo": "Batalkan",
    "{0} (source #{1}, entity {2})": "{0} (sumber #{1}, entitas {2})",
    # review
    "Import {0}": "Impor {0}",
    "File:": "Berkas:",
    "Read as:": "Dibaca sebagai:",
    "Producer:": "Pembuat:",
    "Handling:": "Penanganan:",
    "Case reference:": "Nomor perkara:",
    "Signature:": "Tanda tangan:",
    "NOT SIGNED — nothing proves who made this bundle or that it is unchanged.":
        "TIDAK DITANDATANGANI — tidak ada yang membuktikan siapa pembuat bundel ini atau bahwa isinya tidak berubah.",
    "I accept this unsigned bundle for this import": "Saya menerima bundel tanpa tanda tangan ini untuk impor ini",
    "Verified: signed by {0} (key {1})": "Terverifikasi: ditandatangani oleh {0} (kunci {1})",
    "Valid signature by a key NOT in your keyring: {0}\nCheck this key id with its sender (by phone or in person) "
    "before you accept it.":
        "Tanda tangan sah oleh kunci yang TIDAK ada di ring kunci Anda: {0}\nPeriksa id kunci ini dengan "
        "pengirimnya (lewat telepon atau langsung) sebelum menerimanya.",
    "I checked this key with its sender; accept it for this import only":
        "Saya sudah memeriksa kunci ini dengan pengirimnya; terima hanya untuk impor ini",
    "Kind": "Jenis",
    "Rows": "Baris",
    "Bytes": "Bita",
    "Trust once: accept this key for this import only": "Percayai sekali: terima kunci ini hanya untuk impor ini",
    "Add to my keyring: trust this partner's key from now on":
        "Tambahkan ke ring kunci saya: percayai kunci mitra ini mulai sekarang",
    "the partner agency, e.g. Royal Malaysia Police": "instansi mitra, mis. Royal Malaysia Police",
    "I checked this key id with its sender": "Saya sudah memeriksa id kunci ini dengan pengirimnya",
    "Name of the key's owner:": "Nama pemilik kunci:",
    "Country:": "Negara:",
    "not stated in the file": "tidak disebutkan dalam berkas",
    "rows: {0}": "baris: {0}",
    "Change handling:": "Ubah penanganan:",
    "Rows with their own marking:": "Baris dengan penanda sendiri:",
    "NOT SIGNED — this format carries no signature: nothing proves who made this file or that it is "
    "unchanged. Check where it came from.":
        "TIDAK DITANDATANGANI — format ini tidak membawa tanda tangan: tidak ada yang membuktikan siapa "
        "pembuat berkas ini atau bahwa isinya tidak berubah. Periksa asal-usulnya.",
    "Review before import": "Tinjau sebelum impor",
    "This is what comes into the case, and how it will be handled.":
        "Inilah yang akan masuk ke perkara, dan bagaimana data ini akan ditangani.",
    "Columns:": "Kolom:",
    "not stated": "tidak disebutkan",
    "none: every time must carry an offset": "tidak ada: setiap waktu harus memuat selisih UTC",
    "NOT SIGNED — a plain file carries no signature: the source is recorded as unsigned, with the producer "
    "and handling you stated.":
        "TIDAK DITANDATANGANI — berkas biasa tidak membawa tanda tangan: sumber dicatat sebagai tidak "
        "ditandatangani, dengan pembuat dan penanganan yang Anda nyatakan.",
    "The handling of every row that carries no marking of its own":
        "Penanganan setiap baris yang tidak membawa penanda sendiri",
    "Source's handling:": "Penanganan sumber:",
    "Already in this case as source #{0} ({1}, imported {2}): it is not imported again.":
        "Sudah ada di perkara ini sebagai sumber #{0} ({1}, diimpor {2}): tidak diimpor lagi.",
    "Already imported": "Sudah diimpor",
    "{0} is already in this case as source #{1}; it was not imported again.":
        "{0} sudah ada di perkara ini sebagai sumber #{1}; tidak diimpor lagi.",
    "This input": "Masukan ini",
    "The first {0} problems are listed.": "Hanya {0} masalah pertama yang dicantumkan.",
    "Import the good rows, set the bad ones aside": "Impor baris yang baik, sisihkan yang buruk",
    "The good rows come in; each bad row is kept in the case with its reason (double-click the source in the "
    "sources list to see them)":
        "Baris yang baik masuk; setiap baris buruk disimpan di perkara beserta alasannya (klik dua kali sumbernya "
        "di daftar sumber untuk melihatnya)",
    "Imported {0}: {1} rows; {2} rows set aside (double-click its source to list them)":
        "Diimpor {0}: {1} baris; {2} baris disisihkan (klik dua kali sumbernya untuk menampilkannya)",
    "Double-click to list the rows set aside": "Klik dua kali untuk menampilkan baris yang disisihkan",
    # problems (one line per problem in status bar and details)
    "row {0}": "baris {0}",
    "column '{0}'": "kolom '{0}'",
    # verification: an unsigned source marked wherever its rows are shown
    "verified": "terverifikasi",
    "UNVERIFIED: not signed": "TIDAK TERVERIFIKASI: tidak ditandatangani",
    "UNVERIFIED signer: key not in keyring, accepted once":
        "PENANDA TANGAN TIDAK TERVERIFIKASI: kunci tidak ada di ring kunci, diterima sekali",
    "UNVERIFIED": "TIDAK TERVERIFIKASI",
    "UNVERIFIED signer": "PENANDA TANGAN TIDAK TERVERIFIKASI",
    "Not signed: nothing proves who made this source or that it is unchanged.":
        "Tidak ditandatangani: tidak ada yang membuktikan siapa pembuat sumber ini atau bahwa isinya tidak diubah.",
    "Signed by a key that is not in your keyring; it was accepted for this import only.":
        "Ditandatangani dengan kunci yang tidak ada di ring kunci Anda; kunci itu diterima untuk impor ini saja.",
    "Records from an unverified source: {0}. Nothing proves who made it or that it is unchanged; check its "
    "origin before relying on it.":
        "Catatan dari sumber yang tidak terverifikasi: {0}. Tidak ada yang membuktikan siapa pembuatnya atau "
        "bahwa isinya tidak diubah; periksa asal-usulnya sebelum mengandalkannya.",
    # search
    "Search names, aliases, numbers, passports, accounts, places…":
        "Cari nama, alias, nomor, paspor, rekening, tempat…",
    "Text": "Teks",
    "Found in": "Ditemukan di",
    "Id · row": "Id · baris",
    "Searching…": "Mencari…",
    "All kinds": "Semua jenis",
    "All sources": "Semua sumber",
    "matched: {0}": "cocok: {0}",
    "{0} hits, best first. Click a hit for its profile; double-click a number's hit to list its rows "
    "in the SQL console.":
        "{0} hasil, terbaik lebih dulu. Klik sebuah hasil untuk profilnya; klik dua kali hasil sebuah nomor "
        "untuk menampilkan barisnya di konsol SQL.",
    "Country": "Negara",
    "Only hits of this country: an ISO code or a name (MY, Malaysia)":
        "Hanya hasil dari negara ini: kode ISO atau nama (MY, Malaysia)",
    "Only hits whose rows are on or after this day (UTC)":
        "Hanya hasil yang barisnya pada atau sesudah hari ini (UTC)",
    "Only hits whose rows are on or before this day (UTC)":
        "Hanya hasil yang barisnya pada atau sebelum hari ini (UTC)",
    "from": "dari",
    "to": "sampai",
    "any day": "hari apa pun",
    "Find matches": "Cari kecocokan",
    "Compare every person and organisation across the sources and list the pairs that are likely or possibly "
    "the same, with the reasons":
        "Bandingkan setiap orang dan organisasi di semua sumber dan tampilkan pasangan yang kemungkinan besar atau "
        "mungkin sama, beserta alasannya",
    "One": "Yang satu",
    "The other": "Yang lain",
    "Hits": "Hasil",
    "Suggested matches": "Usulan kecocokan",
    "Suggested matches ({0})": "Usulan kecocokan ({0})",
    "Comparing every person and organisation across the sources…":
        "Membandingkan setiap orang dan organisasi di semua sumber…",
    "{0} suggested pairs, best first. Click a pair to open its profile, where you confirm, reject or mark it "
    "unsure.":
        "{0} pasangan diusulkan, terbaik lebih dulu. Klik sebuah pasangan untuk membuka profilnya; di sana Anda "
        "mengonfirmasi, menolak, atau menandainya ragu.",
    "Undo the judgement chosen under Judgements, or else your last one; a confirmed pair is split again":
        "Batalkan penilaian yang dipilih di bawah Penilaian, atau penilaian terakhir Anda; pasangan yang sudah "
        "dikonfirmasi dipisah lagi",
    "Undo this judgement": "Batalkan penilaian ini",
    "same": "sama",
    "not the same": "tidak sama",
    "unsure": "ragu",
    "also held by": "juga dimiliki oleh",
    "in a contact list": "dalam daftar kontak",
    "owner of a contact list": "pemilik daftar kontak",
    "calls from it": "panggilan darinya",
    "calls to it": "panggilan kepadanya",
    "messages from it": "pesan darinya",
    "messages to it": "pesan kepadanya",
    "transfers from it": "transfer darinya",
    "transfers to it": "transfer kepadanya",
    "travel on it": "perjalanan dengannya",
    "sightings of it": "pengamatan atasnya",
    "Double-click: the profile of this record": "Klik dua kali: profil catatan ini",
    "{0}: {1} rows": "{0}: {1} baris",
    "Double-click: list these rows in the SQL console": "Klik dua kali: tampilkan baris ini di konsol SQL",
    "{0}: {1} records, {2} rows": "{0}: {1} catatan, {2} baris",
    "Reading and verifying the audit log…": "Membaca dan memverifikasi log audit…",
    "Import a bundle &folder…": "Impor &folder bundel…",
    "Import a bundle folder": "Impor folder bundel",
    "Marked {0} by {1}": "Ditandai {0} oleh {1}",
    "The best {0} hits; there may be more — add words or filter by kind, source, country or time to see them. "
    "Click a hit for its profile; double-click a number's hit to list its rows in the SQL console.":
        "{0} hasil terbaik; mungkin masih ada lagi — tambahkan kata atau saring menurut jenis, sumber, negara, "
        "atau waktu untuk melihatnya. Klik sebuah hasil untuk profilnya; klik dua kali hasil sebuah nomor untuk "
        "menampilkan barisnya di konsol SQL.",
    "The best {0} of {1} suggested pairs are listed. Click a pair to open its profile, where you confirm, "
    "reject or mark it unsure.":
        "{0} pasangan terbaik dari {1} yang diusulkan ditampilkan. Klik sebuah pasangan untuk membuka profilnya; "
        "di sana Anda mengonfirmasi, menolak, atau menandainya ragu.",
    "Suggested matches ({0} of {1})": "Usulan kecocokan ({0} dari {1})",
    # settings
    "Settings": "Pengaturan",
    "A new language applies when Lintas starts again.": "Bahasa baru berlaku saat Lintas dijalankan lagi.",
    "Light": "Terang",
    "Dark": "Gelap",
    "Theme:": "Tema:",
    "your name, recorded with your judgements": "nama Anda, dicatat bersama penilaian Anda",
    "Analyst:": "Analis:",
    "Used to read national phone numbers in plain files": "Dipakai untuk membaca nomor telepon nasional di berkas biasa",
    "Default country:": "Negara bawaan:",
    # errors
    "Something went wrong: {0}\n\nDetails were written to the log in {1}.":
        "Terjadi kesalahan: {0}\n\nRinciannya ditulis ke log di {1}.",
}


def build() -> list[str]:
    """Extract, fill and compile; return the source texts that have no translation."""
    bin_dir = Path(sys.executable).parent
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ui").glob("*.py"))
    subprocess.run([str(bin_dir / "pyside6-lupdate"), *sources, "-ts", str(TS), "-no-obsolete", "-silent"],
                   cwd=ROOT, check=True)
    tree = ET.parse(TS)
    root = tree.getroot()
    root.set("language", "id_ID")
    root.set("sourcelanguage", "en")
    missing = []
    for msg in root.iter("message"):
        src = msg.find("source").text or ""
        tr = msg.find("translation")
        text = ID.get(src)
        if text is None:
            missing.append(src)
            continue
        tr.text = text
        tr.attrib.pop("type", None)
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    subprocess.run([str(bin_dir / "pyside6-lrelease"), str(TS), "-qm", str(QM), "-silent"], check=True)
    build_qt(bin_dir)
    return missing


def build_qt(bin_dir: Path) -> None:
    """qt_id.ts / qt_id.qm from ``QT_ID``: Qt's own words in Bahasa Indonesia."""
    root = ET.Element("TS", version="2.1", language="id_ID", sourcelanguage="en")
    contexts: dict[str, ET.Element] = {}
    for ctx, en, idn in QT_ID:
        if ctx not in contexts:
            contexts[ctx] = ET.SubElement(root, "context")
            ET.SubElement(contexts[ctx], "name").text = ctx
        msg = ET.SubElement(contexts[ctx], "message")
        ET.SubElement(msg, "source").text = en
        ET.SubElement(msg, "translation").text = idn
    ET.indent(root)
    ET.ElementTree(root).write(QT_TS, encoding="utf-8", xml_declaration=True)
    subprocess.run([str(bin_dir / "pyside6-lrelease"), str(QT_TS), "-qm", str(QT_QM), "-silent"], check=True)


if __name__ == "__main__":
    gaps = build()
    for g in gaps:
        print(f"no Indonesian translation for: {g!r}", file=sys.stderr)
    raise SystemExit(1 if gaps else 0)
