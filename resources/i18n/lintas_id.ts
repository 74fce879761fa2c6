<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="id_ID" sourcelanguage="en">
<context>
    <name>AuditPanel</name>
    <message>
        <location filename="../../ui/audit_panel.py" line="146" />
        <source>Filter by action, user or details…</source>
        <translation>Saring menurut tindakan, pengguna, atau rincian…</translation>
    </message>
    <message>
        <location filename="../../ui/audit_panel.py" line="150" />
        <source>Verify again</source>
        <translation>Verifikasi ulang</translation>
    </message>
    <message>
        <location filename="../../ui/audit_panel.py" line="152" />
        <source>Seq</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../ui/audit_panel.py" line="152" />
        <source>Time (UTC)</source>
        <translation>Waktu (UTC)</translation>
    </message>
    <message>
        <location filename="../../ui/audit_panel.py" line="152" />
        <source>User</source>
        <translation>Pengguna</translation>
    </message>
    <message>
        <location filename="../../ui/audit_panel.py" line="152" />
        <source>Action</source>
        <translation>Tindakan</translation>
    </message>
    <message>
        <location filename="../../ui/audit_panel.py" line="153" />
        <source>Details</source>
        <translation>Rincian</translation>
    </message>
    <message>
        <location filename="../../ui/audit_panel.py" line="200" />
        <source>Reading and verifying the audit log…</source>
        <translation>Membaca dan memverifikasi log audit…</translation>
    </message>
    <message>
        <location filename="../../ui/audit_panel.py" line="202" />
        <source>Audit log</source>
        <translation>Log audit</translation>
    </message>
    <message>
        <location filename="../../ui/audit_panel.py" line="211" />
        <source>Audit log intact: {0} entries, hash chain verified</source>
        <translation>Log audit utuh: {0} entri, rantai hash terverifikasi</translation>
    </message>
    <message>
        <location filename="../../ui/audit_panel.py" line="214" />
        <source>AUDIT LOG TAMPERED: first bad entry {0} — {1}</source>
        <translation>LOG AUDIT DIUBAH: entri rusak pertama {0} — {1}</translation>
    </message>
</context>
<context>
    <name>ConsolePanel</name>
    <message>
        <location filename="../../ui/console.py" line="189" />
        <source>SELECT * FROM calls LIMIT 100   — Ctrl+Enter runs, Ctrl+Space completes table and column names</source>
        <translation>SELECT * FROM calls LIMIT 100   — Ctrl+Enter menjalankan, Ctrl+Space melengkapi nama tabel dan kolom</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="192" />
        <source>Run</source>
        <translation>Jalankan</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="193" />
        <source>Run the query (Ctrl+Enter)</source>
        <translation>Jalankan kueri (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="195" />
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="196" />
        <source>Stop the running query (Esc)</source>
        <translation>Hentikan kueri yang berjalan (Esc)</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="199" />
        <source>Save query…</source>
        <translation>Simpan kueri…</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="201" />
        <source>Export…</source>
        <translation>Ekspor…</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="202" />
        <source>Write the whole result to CSV, XLSX or Parquet</source>
        <translation>Tulis seluruh hasil ke CSV, XLSX, atau Parquet</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="206" />
        <source>Filter rows (any column contains…)</source>
        <translation>Saring baris (kolom mana pun memuat…)</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="211" />
        <source>Write a query and press Ctrl+Enter.</source>
        <translation>Tulis kueri lalu tekan Ctrl+Enter.</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="241" />
        <source>Saved queries</source>
        <translation>Kueri tersimpan</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="242" />
        <source>History</source>
        <translation>Riwayat</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="307" />
        <source>{0}

{1} rows, by {2}</source>
        <translation>{0}

{1} baris, oleh {2}</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="327" />
        <source>Running…</source>
        <translation>Sedang berjalan…</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="341" />
        <source>Query</source>
        <translation>Kueri</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="357" />
        <source>{0} rows in {1:.2f} s</source>
        <translation>{0} baris dalam {1:.2f} dtk</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="374" />
        <source>Cancelled.</source>
        <translation>Dibatalkan.</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="377" />
        <source>The query failed: {0}</source>
        <translation>Kueri gagal: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="399" />
        <source>Sorting and filtering…</source>
        <translation>Mengurutkan dan menyaring…</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="400" />
        <source>Sort/filter</source>
        <translation>Urut/saring</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="409" />
        <source>{0} of {1} rows</source>
        <translation>{0} dari {1} baris</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="426" />
        <location filename="../../ui/console.py" line="430" />
        <location filename="../../ui/console.py" line="431" />
        <source>Save query</source>
        <translation>Simpan kueri</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="426" />
        <source>Name of the query:</source>
        <translation>Nama kueri:</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="442" />
        <source>Export result</source>
        <translation>Ekspor hasil</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="443" />
        <source>CSV (*.csv);;Excel workbook (*.xlsx);;Parquet (*.parquet)</source>
        <translation>CSV (*.csv);;Buku kerja Excel (*.xlsx);;Parquet (*.parquet)</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="455" />
        <source>Exporting…</source>
        <translation>Mengekspor…</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="456" />
        <source>Export</source>
        <translation>Ekspor</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="457" />
        <source>{0} rows written to {1}</source>
        <translation>{0} baris ditulis ke {1}</translation>
    </message>
</context>
<context>
    <name>DossierDialog</name>
    <message>
        <location filename="../../ui/dossier_dialog.py" line="22" />
        <source>Produce a dossier</source>
        <translation>Buat dosir</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_dialog.py" line="27" />
        <source>Only what this recipient may receive goes into the dossier</source>
        <translation>Hanya yang boleh diterima penerima ini yang masuk ke dosir</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_dialog.py" line="28" />
        <source>Recipient:</source>
        <translation>Penerima:</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_dialog.py" line="32" />
        <source>Language:</source>
        <translation>Bahasa:</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_dialog.py" line="37" />
        <source>Empty: the whole case (as far as the recipient may receive it)</source>
        <translation>Kosong: seluruh perkara (sejauh boleh diterima penerima)</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_dialog.py" line="38" />
        <source>Subjects:</source>
        <translation>Subjek:</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_dialog.py" line="43" />
        <source>Browse…</source>
        <translation>Telusuri…</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_dialog.py" line="47" />
        <source>PDF file:</source>
        <translation>Berkas PDF:</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_dialog.py" line="49" />
        <source>Produce</source>
        <translation>Buat</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_dialog.py" line="57" />
        <source>Dossier</source>
        <translation>Dosir</translation>
    </message>
</context>
<context>
    <name>ImportController</name>
    <message>
        <location filename="../../ui/import_dialog.py" line="715" />
        <location filename="../../ui/import_dialog.py" line="817" />
        <source>Import</source>
        <translation>Impor</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="715" />
        <source>Open or create a case first.</source>
        <translation>Buka atau buat perkara terlebih dahulu.</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="728" />
        <source>Reading {0}</source>
        <translation>Membaca {0}</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="733" />
        <source>{0}: refused, the bundle does not check out; the case was not changed</source>
        <translation>{0}: ditolak, bundel tidak lolos pemeriksaan; perkara tidak diubah</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="788" />
        <source>Importing {0}</source>
        <translation>Mengimpor {0}</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="794" />
        <source>Already imported</source>
        <translation>Sudah diimpor</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="795" />
        <source>{0} is already in this case as source #{1}; it was not imported again.</source>
        <translation>{0} sudah ada di perkara ini sebagai sumber #{1}; tidak diimpor lagi.</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="796" />
        <source>This input</source>
        <translation>Masukan ini</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="800" />
        <source>Not imported.</source>
        <translation>Tidak diimpor.</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="803" />
        <source>Imported {0}: {1} rows; {2} rows set aside (double-click its source to list them)</source>
        <translation>Diimpor {0}: {1} baris; {2} baris disisihkan (klik dua kali sumbernya untuk menampilkannya)</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="806" />
        <source>Imported {0}: {1} rows</source>
        <translation>Diimpor {0}: {1} baris</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="812" />
        <source>Import of {0} cancelled; the case was not changed.</source>
        <translation>Impor {0} dibatalkan; perkara tidak diubah.</translation>
    </message>
</context>
<context>
    <name>JobsIndicator</name>
    <message>
        <location filename="../../ui/workers.py" line="212" />
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <location filename="../../ui/workers.py" line="213" />
        <source>Cancel this job (Esc in its panel)</source>
        <translation>Batalkan pekerjaan ini (Esc di panelnya)</translation>
    </message>
    <message>
        <location filename="../../ui/workers.py" line="239" />
        <source>(+{0} more)</source>
        <translation>(+{0} lagi)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="86" />
        <source>Case</source>
        <translation>Perkara</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="86" />
        <source>Details</source>
        <translation>Rincian</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="93" />
        <source>Double-click a kind to list its rows, a saved query to run it</source>
        <translation>Klik dua kali sebuah jenis untuk menampilkan barisnya, atau kueri tersimpan untuk menjalankannya</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="98" />
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="98" />
        <source>TLP</source>
        <translation>TLP</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="98" />
        <source>Title</source>
        <translation>Judul</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="98" />
        <source>Producer</source>
        <translation>Pembuat</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="99" />
        <source>Verification</source>
        <translation>Verifikasi</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="99" />
        <source>Releasable to</source>
        <translation>Boleh dibagikan ke</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="99" />
        <source>Legal basis</source>
        <translation>Dasar hukum</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="99" />
        <source>Imported</source>
        <translation>Diimpor</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="117" />
        <location filename="../../ui/main_window.py" line="469" />
        <source>Sources</source>
        <translation>Sumber</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="118" />
        <source>SQL console</source>
        <translation>Konsol SQL</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="122" />
        <source>Audit log</source>
        <translation>Log audit</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="124" />
        <source>Open a case (File → Open) or create one (File → New).
Drop bundles or files here to import them.</source>
        <translation>Buka perkara (Berkas → Buka) atau buat baru (Berkas → Baru).
Jatuhkan bundel atau berkas di sini untuk mengimpornya.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="128" />
        <source>Case explorer</source>
        <translation>Penjelajah perkara</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="144" />
        <source>No case open</source>
        <translation>Tidak ada perkara terbuka</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="169" />
        <location filename="../../ui/main_window.py" line="255" />
        <source>Search</source>
        <translation>Cari</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="170" />
        <source>Network</source>
        <translation>Jaringan</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="194" />
        <source>{0} subjects for the next dossier (File → Produce dossier…)</source>
        <translation>{0} subjek untuk dosir berikutnya (Berkas → Buat dosir…)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="219" />
        <source>Dossier for {0}</source>
        <translation>Dosir untuk {0}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="220" />
        <source>Dossier</source>
        <translation>Dosir</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="225" />
        <source>Dossier written: {0} ({1} pages, TLP:{2})</source>
        <translation>Dosir ditulis: {0} ({1} halaman, TLP:{2})</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="231" />
        <source>&amp;File</source>
        <translation>&amp;Berkas</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="232" />
        <source>&amp;New case…</source>
        <translation>Perkara &amp;baru…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="233" />
        <source>&amp;Open case…</source>
        <translation>&amp;Buka perkara…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="234" />
        <source>Open &amp;recent</source>
        <translation>Buka &amp;terakhir</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="237" />
        <source>&amp;Import…</source>
        <translation>&amp;Impor…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="238" />
        <source>Import a bundle &amp;folder…</source>
        <translation>Impor &amp;folder bundel…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="239" />
        <source>Produce &amp;dossier…</source>
        <translation>Buat &amp;dosir…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="242" />
        <source>&amp;Settings…</source>
        <translation>&amp;Pengaturan…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="244" />
        <source>&amp;Quit</source>
        <translation>&amp;Keluar</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="246" />
        <source>&amp;View</source>
        <translation>&amp;Tampilan</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="253" />
        <location filename="../../ui/main_window.py" line="410" />
        <location filename="../../ui/main_window.py" line="444" />
        <source>Refresh</source>
        <translation>Segarkan</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="256" />
        <source>Find matches</source>
        <translation>Cari kecocokan</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="258" />
        <source>&amp;Help</source>
        <translation>Ban&amp;tuan</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="259" />
        <location filename="../../ui/main_window.py" line="283" />
        <source>Keyboard shortcuts</source>
        <translation>Pintasan papan ketik</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="260" />
        <location filename="../../ui/main_window.py" line="292" />
        <source>About Lintas</source>
        <translation>Tentang Lintas</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="284" />
        <source>Ctrl+O  open a case
Ctrl+N  new case
Ctrl+I  import
Ctrl+D  produce a dossier
Ctrl+1…5  switch tabs
Ctrl+Enter  run the query
Ctrl+Space  complete a name
Esc  cancel the running job
F5  refresh
Ctrl+F  search
Ctrl+M  find matches (the same person across sources)</source>
        <translation>Ctrl+O  buka perkara
Ctrl+N  perkara baru
Ctrl+I  impor
Ctrl+D  buat dosir
Ctrl+1…5  pindah tab
Ctrl+Enter  jalankan kueri
Ctrl+Space  lengkapi nama
Esc  batalkan pekerjaan yang berjalan
F5  segarkan
Ctrl+F  cari
Ctrl+M  cari kecocokan (orang yang sama di berbagai sumber)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="293" />
        <source>Lintas {0}
Evidence and intelligence analysis workstation.
Offline: no part of the program opens a network connection.</source>
        <translation>Lintas {0}
Stasiun kerja analisis barang bukti dan intelijen.
Luring: tidak ada bagian program yang membuka koneksi jaringan.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="304" />
        <location filename="../../ui/main_window.py" line="307" />
        <location filename="../../ui/main_window.py" line="315" />
        <source>New case</source>
        <translation>Perkara baru</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="307" />
        <source>Case title:</source>
        <translation>Judul perkara:</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="320" />
        <location filename="../../ui/main_window.py" line="387" />
        <source>Open case</source>
        <translation>Buka perkara</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="327" />
        <source>Import</source>
        <translation>Impor</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="328" />
        <source>Bundles, partner packages and tables (*.zip *.json *.jsonl *.ndjson *.csv *.xlsx *.parquet);;All files (*)</source>
        <translation>Bundel, paket mitra, dan tabel (*.zip *.json *.jsonl *.ndjson *.csv *.xlsx *.parquet);;Semua berkas (*)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="335" />
        <source>Import a bundle folder</source>
        <translation>Impor folder bundel</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="359" />
        <source>The new language applies when Lintas starts again.</source>
        <translation>Bahasa baru berlaku saat Lintas dijalankan lagi.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="442" />
        <source>Refreshing the case</source>
        <translation>Memperbarui tampilan kasus</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="459" />
        <source>{0} · {1} sources · {2} rows · {3} entities</source>
        <translation>{0} · {1} sumber · {2} baris · {3} entitas</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="461" />
        <source>{0} — {1} sources, {2} rows</source>
        <translation>{0} — {1} sumber, {2} baris</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="476" />
        <source>#{0} · {1} · signature: {2}</source>
        <translation>#{0} · {1} · tanda tangan: {2}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="477" />
        <location filename="../../ui/main_window.py" line="480" />
        <source>producer unknown</source>
        <translation>pembuat tidak diketahui</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="484" />
        <source>Rows by kind</source>
        <translation>Baris per jenis</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="488" />
        <source>Table in the SQL console: {0}</source>
        <translation>Tabel di konsol SQL: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="492" />
        <source>Entities</source>
        <translation>Entitas</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="498" />
        <source>Saved queries</source>
        <translation>Kueri tersimpan</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="505" />
        <source>Dossiers and exports</source>
        <translation>Dosir dan ekspor</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="529" />
        <source> · {0} rows set aside</source>
        <translation> · {0} baris disisihkan</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="545" />
        <source>Double-click to list the rows set aside</source>
        <translation>Klik dua kali untuk menampilkan baris yang disisihkan</translation>
    </message>
</context>
<context>
    <name>NetworkPanel</name>
    <message>
        <location filename="../../ui/network_panel.py" line="62" />
        <source>Choose “Show in network” on an entity profile.</source>
        <translation>Pilih “Tampilkan di jaringan” pada profil entitas.</translation>
    </message>
    <message>
        <location filename="../../ui/network_panel.py" line="67" />
        <source>hops: </source>
        <translation>langkah: </translation>
    </message>
    <message>
        <location filename="../../ui/network_panel.py" line="91" />
        <source>Building the network…</source>
        <translation>Membangun jaringan…</translation>
    </message>
    <message>
        <location filename="../../ui/network_panel.py" line="92" />
        <source>Network</source>
        <translation>Jaringan</translation>
    </message>
    <message>
        <location filename="../../ui/network_panel.py" line="96" />
        <source>Cancelled.</source>
        <translation>Dibatalkan.</translation>
    </message>
    <message>
        <location filename="../../ui/network_panel.py" line="123" />
        <source>{0} nodes, {1} ties within {2} hop(s) of {3}</source>
        <translation>{0} simpul, {1} hubungan dalam {2} langkah dari {3}</translation>
    </message>
</context>
<context>
    <name>PlainWizard</name>
    <message>
        <location filename="../../ui/import_dialog.py" line="514" />
        <source>Import a plain file: {0}</source>
        <translation>Impor berkas biasa: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="522" />
        <source>What is in this file?</source>
        <translation>Apa isi berkas ini?</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="523" />
        <source>The first rows as written. Choose the kind of its rows, or a saved mapping.</source>
        <translation>Baris-baris pertama sebagaimana tertulis. Pilih jenis barisnya, atau pemetaan tersimpan.</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="542" />
        <source>Kind of rows:</source>
        <translation>Jenis baris:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="544" />
        <source>(none)</source>
        <translation>(tidak ada)</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="548" />
        <source>Saved mapping:</source>
        <translation>Pemetaan tersimpan:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="559" />
        <source>Where does it come from, and who may see it?</source>
        <translation>Dari mana asalnya, dan siapa yang boleh melihatnya?</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="562" />
        <source>Title:</source>
        <translation>Judul:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="567" />
        <source>For times written without an offset (an IANA name)</source>
        <translation>Untuk waktu yang ditulis tanpa selisih zona (nama IANA)</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="568" />
        <source>Time zone of the times:</source>
        <translation>Zona waktu:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="570" />
        <source>ISO 3166 code; national phone numbers are read with it</source>
        <translation>Kode ISO 3166; nomor telepon nasional dibaca dengannya</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="571" />
        <source>Producer country:</source>
        <translation>Negara pembuat:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="573" />
        <source>Producer agency:</source>
        <translation>Instansi pembuat:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="577" />
        <source>TLP:</source>
        <translation>TLP:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="580" />
        <source>Releasable to:</source>
        <translation>Boleh dibagikan ke:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="582" />
        <source>Legal basis:</source>
        <translation>Dasar hukum:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="584" />
        <source>separated by ;</source>
        <translation>dipisahkan dengan ;</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="585" />
        <source>Caveats:</source>
        <translation>Catatan pembatasan:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="587" />
        <source>a name, to reuse this mapping next time</source>
        <translation>sebuah nama, agar pemetaan ini dapat dipakai lagi</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="588" />
        <source>Save mapping as:</source>
        <translation>Simpan pemetaan sebagai:</translation>
    </message>
</context>
<context>
    <name>ProblemsDialog</name>
    <message>
        <location filename="../../ui/import_dialog.py" line="168" />
        <source>Import refused</source>
        <translation>Impor ditolak</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="176" />
        <source>The first {0} problems are listed.</source>
        <translation>Hanya {0} masalah pertama yang dicantumkan.</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="180" />
        <source>File</source>
        <translation>Berkas</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="180" />
        <source>Row</source>
        <translation>Baris</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="180" />
        <source>Column</source>
        <translation>Kolom</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="181" />
        <source>Reason</source>
        <translation>Alasan</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="198" />
        <source>Copy all</source>
        <translation>Salin semua</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="199" />
        <source>Copy every problem as tab-separated text (paste into a spreadsheet)</source>
        <translation>Salin semua masalah sebagai teks dipisah tab (tempel ke lembar kerja)</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="204" />
        <source>Import the good rows, set the bad ones aside</source>
        <translation>Impor baris yang baik, sisihkan yang buruk</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="205" />
        <source>The good rows come in; each bad row is kept in the case with its reason (double-click the source in the sources list to see them)</source>
        <translation>Baris yang baik masuk; setiap baris buruk disimpan di perkara beserta alasannya (klik dua kali sumbernya di daftar sumber untuk melihatnya)</translation>
    </message>
</context>
<context>
    <name>ProfilePanel</name>
    <message>
        <location filename="../../ui/search_panel.py" line="484" />
        <source>Choose a search hit to see its profile.</source>
        <translation>Pilih hasil pencarian untuk melihat profilnya.</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="498" />
        <source>Value</source>
        <translation>Nilai</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="498" />
        <source>Source</source>
        <translation>Sumber</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="498" />
        <source>Row</source>
        <translation>Baris</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="498" />
        <source>File</source>
        <translation>Berkas</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="505" />
        <source>Score</source>
        <translation>Skor</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="505" />
        <source>Possibly the same as</source>
        <translation>Mungkin sama dengan</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="506" />
        <source>Why</source>
        <translation>Alasan</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="506" />
        <source>Your judgement</source>
        <translation>Penilaian Anda</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="511" />
        <location filename="../../ui/search_panel.py" line="841" />
        <source>Undo last judgement</source>
        <translation>Batalkan penilaian terakhir</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="513" />
        <source>Undo the judgement chosen under Judgements, or else your last one; a confirmed pair is split again</source>
        <translation>Batalkan penilaian yang dipilih di bawah Penilaian, atau penilaian terakhir Anda; pasangan yang sudah dikonfirmasi dipisah lagi</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="518" />
        <source>Show in network</source>
        <translation>Tampilkan di jaringan</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="520" />
        <source>Add to dossier</source>
        <translation>Tambahkan ke dosir</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="546" />
        <source>Suggested matches (confirm, reject or mark unsure):</source>
        <translation>Usulan kecocokan (konfirmasi, tolak, atau tandai ragu):</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="577" />
        <location filename="../../ui/search_panel.py" line="578" />
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="584" />
        <source>Entity {0}</source>
        <translation>Entitas {0}</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="586" />
        <source>Records: {0} · sources: {1} · entities confirmed the same: {2}</source>
        <translation>Catatan: {0} · sumber: {1} · entitas yang dikonfirmasi sama: {2}</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="593" />
        <source>Records from an unverified source: {0}. Nothing proves who made it or that it is unchanged; check its origin before relying on it.</source>
        <translation>Catatan dari sumber yang tidak terverifikasi: {0}. Tidak ada yang membuktikan siapa pembuatnya atau bahwa isinya tidak diubah; periksa asal-usulnya sebelum mengandalkannya.</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="600" />
        <source>Names</source>
        <translation>Nama</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="600" />
        <source>Aliases</source>
        <translation>Alias</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="601" />
        <source>Birth dates</source>
        <translation>Tanggal lahir</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="601" />
        <source>Nationalities</source>
        <translation>Kewarganegaraan</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="602" />
        <source>Genders</source>
        <translation>Jenis kelamin</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="602" />
        <source>Kinds of organisation</source>
        <translation>Jenis organisasi</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="603" />
        <source>Countries</source>
        <translation>Negara</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="603" />
        <source>Registration numbers</source>
        <translation>Nomor registrasi</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="604" />
        <source>Identifiers</source>
        <translation>Identitas</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="604" />
        <source>Addresses</source>
        <translation>Alamat</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="605" />
        <source>Relationships</source>
        <translation>Hubungan</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="605" />
        <source>Notes</source>
        <translation>Catatan</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="606" />
        <source>Events and mentions (by shared identifier)</source>
        <translation>Peristiwa dan penyebutan (lewat identitas yang sama)</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="607" />
        <source>Judgements</source>
        <translation>Penilaian</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="636" />
        <source>also held by</source>
        <translation>juga dimiliki oleh</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="637" />
        <source>in a contact list</source>
        <translation>dalam daftar kontak</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="638" />
        <source>owner of a contact list</source>
        <translation>pemilik daftar kontak</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="639" />
        <source>calls from it</source>
        <translation>panggilan darinya</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="640" />
        <source>calls to it</source>
        <translation>panggilan kepadanya</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="641" />
        <source>messages from it</source>
        <translation>pesan darinya</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="642" />
        <source>messages to it</source>
        <translation>pesan kepadanya</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="643" />
        <source>transfers from it</source>
        <translation>transfer darinya</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="644" />
        <source>transfers to it</source>
        <translation>transfer kepadanya</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="645" />
        <source>travel on it</source>
        <translation>perjalanan dengannya</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="646" />
        <source>sightings of it</source>
        <translation>pengamatan atasnya</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="665" />
        <source>Double-click: the profile of this record</source>
        <translation>Klik dua kali: profil catatan ini</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="686" />
        <source>{0}: {1} rows</source>
        <translation>{0}: {1} baris</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="687" />
        <source>Double-click: list these rows in the SQL console</source>
        <translation>Klik dua kali: tampilkan baris ini di konsol SQL</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="694" />
        <source>{0}: {1} records, {2} rows</source>
        <translation>{0}: {1} catatan, {2} baris</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="716" />
        <source>undone</source>
        <translation>dibatalkan</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="716" />
        <source>standing</source>
        <translation>berlaku</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="632" />
        <source>same</source>
        <translation>sama</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="632" />
        <source>not the same</source>
        <translation>tidak sama</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="633" />
        <source>unsure</source>
        <translation>ragu</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="754" />
        <source>{0} (source #{1}, entity {2})</source>
        <translation>{0} (sumber #{1}, entitas {2})</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="771" />
        <source>Marked {0} by {1}</source>
        <translation>Ditandai {0} oleh {1}</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="777" />
        <source>Same</source>
        <translation>Sama</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="777" />
        <source>Not same</source>
        <translation>Tidak sama</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="778" />
        <source>Unsure</source>
        <translation>Ragu</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="830" />
        <source>Judgement</source>
        <translation>Penilaian</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="841" />
        <source>Undo this judgement</source>
        <translation>Batalkan penilaian ini</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="854" />
        <location filename="../../ui/search_panel.py" line="869" />
        <source>Undo</source>
        <translation>Batalkan</translation>
    </message>
</context>
<context>
    <name>ReviewDialog</name>
    <message>
        <location filename="../../ui/import_dialog.py" line="279" />
        <source>Import {0}</source>
        <translation>Impor {0}</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="290" />
        <source>Already in this case as source #{0} ({1}, imported {2}): it is not imported again.</source>
        <translation>Sudah ada di perkara ini sebagai sumber #{0} ({1}, diimpor {2}): tidak diimpor lagi.</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="296" />
        <source>File:</source>
        <translation>Berkas:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="299" />
        <source>Read as:</source>
        <translation>Dibaca sebagai:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="306" />
        <source>Trust once: accept this key for this import only</source>
        <translation>Percayai sekali: terima kunci ini hanya untuk impor ini</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="307" />
        <source>Add to my keyring: trust this partner's key from now on</source>
        <translation>Tambahkan ke ring kunci saya: percayai kunci mitra ini mulai sekarang</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="309" />
        <source>the partner agency, e.g. Royal Malaysia Police</source>
        <translation>instansi mitra, mis. Royal Malaysia Police</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="340" />
        <location filename="../../ui/import_dialog.py" line="399" />
        <source>Title:</source>
        <translation>Judul:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="341" />
        <location filename="../../ui/import_dialog.py" line="400" />
        <source>Producer:</source>
        <translation>Pembuat:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="342" />
        <location filename="../../ui/import_dialog.py" line="403" />
        <source>Handling:</source>
        <translation>Penanganan:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="343" />
        <source>Case reference:</source>
        <translation>Nomor perkara:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="344" />
        <location filename="../../ui/import_dialog.py" line="442" />
        <source>Signature:</source>
        <translation>Tanda tangan:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="348" />
        <source>NOT SIGNED — nothing proves who made this bundle or that it is unchanged.</source>
        <translation>TIDAK DITANDATANGANI — tidak ada yang membuktikan siapa pembuat bundel ini atau bahwa isinya tidak berubah.</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="351" />
        <source>I accept this unsigned bundle for this import</source>
        <translation>Saya menerima bundel tanpa tanda tangan ini untuk impor ini</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="355" />
        <source>Verified: signed by {0} (key {1})</source>
        <translation>Terverifikasi: ditandatangani oleh {0} (kunci {1})</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="361" />
        <source>Valid signature by a key NOT in your keyring: {0}
Check this key id with its sender (by phone or in person) before you accept it.</source>
        <translation>Tanda tangan sah oleh kunci yang TIDAK ada di ring kunci Anda: {0}
Periksa id kunci ini dengan pengirimnya (lewat telepon atau langsung) sebelum menerimanya.</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="364" />
        <source>I checked this key id with its sender</source>
        <translation>Saya sudah memeriksa id kunci ini dengan pengirimnya</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="389" />
        <source>Name of the key's owner:</source>
        <translation>Nama pemilik kunci:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="390" />
        <source>Country:</source>
        <translation>Negara:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="401" />
        <source>not stated in the file</source>
        <translation>tidak disebutkan dalam berkas</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="414" />
        <source>rows: {0}</source>
        <translation>baris: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="438" />
        <source>Change handling:</source>
        <translation>Ubah penanganan:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="416" />
        <source>Rows with their own marking:</source>
        <translation>Baris dengan penanda sendiri:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="428" />
        <source>TLP:</source>
        <translation>TLP:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="431" />
        <source>Releasable to:</source>
        <translation>Boleh dibagikan ke:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="433" />
        <source>Legal basis:</source>
        <translation>Dasar hukum:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="435" />
        <source>separated by ;</source>
        <translation>dipisahkan dengan ;</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="436" />
        <source>Caveats:</source>
        <translation>Catatan pembatasan:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="437" />
        <source>The handling of every row that carries no marking of its own</source>
        <translation>Penanganan setiap baris yang tidak membawa penanda sendiri</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="444" />
        <source>NOT SIGNED — this format carries no signature: nothing proves who made this file or that it is unchanged. Check where it came from.</source>
        <translation>TIDAK DITANDATANGANI — format ini tidak membawa tanda tangan: tidak ada yang membuktikan siapa pembuat berkas ini atau bahwa isinya tidak berubah. Periksa asal-usulnya.</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="368" />
        <source>File</source>
        <translation>Berkas</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="368" />
        <location filename="../../ui/import_dialog.py" line="449" />
        <source>Kind</source>
        <translation>Jenis</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="368" />
        <location filename="../../ui/import_dialog.py" line="449" />
        <source>Rows</source>
        <translation>Baris</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="368" />
        <source>Bytes</source>
        <translation>Bita</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="322" />
        <source>Import</source>
        <translation>Impor</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <location filename="../../ui/search_panel.py" line="116" />
        <source>Search names, aliases, numbers, passports, accounts, places…</source>
        <translation>Cari nama, alias, nomor, paspor, rekening, tempat…</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="119" />
        <location filename="../../ui/search_panel.py" line="281" />
        <source>Search</source>
        <translation>Cari</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="143" />
        <source>All kinds</source>
        <translation>Semua jenis</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="154" />
        <source>Country</source>
        <translation>Negara</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="155" />
        <source>Only hits of this country: an ISO code or a name (MY, Malaysia)</source>
        <translation>Hanya hasil dari negara ini: kode ISO atau nama (MY, Malaysia)</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="160" />
        <source>Only hits whose rows are on or after this day (UTC)</source>
        <translation>Hanya hasil yang barisnya pada atau sesudah hari ini (UTC)</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="161" />
        <source>Only hits whose rows are on or before this day (UTC)</source>
        <translation>Hanya hasil yang barisnya pada atau sebelum hari ini (UTC)</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="130" />
        <location filename="../../ui/search_panel.py" line="166" />
        <source>Score</source>
        <translation>Skor</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="123" />
        <location filename="../../ui/search_panel.py" line="345" />
        <source>Find matches</source>
        <translation>Cari kecocokan</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="124" />
        <source>Compare every person and organisation across the sources and list the pairs that are likely or possibly the same, with the reasons</source>
        <translation>Bandingkan setiap orang dan organisasi di semua sumber dan tampilkan pasangan yang kemungkinan besar atau mungkin sama, beserta alasannya</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="130" />
        <source>One</source>
        <translation>Yang satu</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="130" />
        <source>The other</source>
        <translation>Yang lain</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="131" />
        <source>Why</source>
        <translation>Alasan</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="166" />
        <source>Text</source>
        <translation>Teks</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="166" />
        <source>Found in</source>
        <translation>Ditemukan di</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="166" />
        <source>TLP</source>
        <translation>TLP</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="166" />
        <source>Source</source>
        <translation>Sumber</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="167" />
        <source>Id · row</source>
        <translation>Id · baris</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="186" />
        <source>from</source>
        <translation>dari</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="188" />
        <source>to</source>
        <translation>sampai</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="200" />
        <source>Hits</source>
        <translation>Hasil</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="201" />
        <location filename="../../ui/search_panel.py" line="365" />
        <source>Suggested matches</source>
        <translation>Usulan kecocokan</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="231" />
        <source>All sources</source>
        <translation>Semua sumber</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="245" />
        <source>any day</source>
        <translation>hari apa pun</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="279" />
        <source>Searching…</source>
        <translation>Mencari…</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="286" />
        <source>Cancelled.</source>
        <translation>Dibatalkan.</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="313" />
        <source>matched: {0}</source>
        <translation>cocok: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="331" />
        <source>The best {0} hits; there may be more — add words or filter by kind, source, country or time to see them. Click a hit for its profile; double-click a number's hit to list its rows in the SQL console.</source>
        <translation>{0} hasil terbaik; mungkin masih ada lagi — tambahkan kata atau saring menurut jenis, sumber, negara, atau waktu untuk melihatnya. Klik sebuah hasil untuk profilnya; klik dua kali hasil sebuah nomor untuk menampilkan barisnya di konsol SQL.</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="336" />
        <source>{0} hits, best first. Click a hit for its profile; double-click a number's hit to list its rows in the SQL console.</source>
        <translation>{0} hasil, terbaik lebih dulu. Klik sebuah hasil untuk profilnya; klik dua kali hasil sebuah nomor untuk menampilkan barisnya di konsol SQL.</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="344" />
        <source>Comparing every person and organisation across the sources…</source>
        <translation>Membandingkan setiap orang dan organisasi di semua sumber…</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="353" />
        <source>The best {0} of {1} suggested pairs are listed. Click a pair to open its profile, where you confirm, reject or mark it unsure.</source>
        <translation>{0} pasangan terbaik dari {1} yang diusulkan ditampilkan. Klik sebuah pasangan untuk membuka profilnya; di sana Anda mengonfirmasi, menolak, atau menandainya ragu.</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="357" />
        <source>{0} suggested pairs, best first. Click a pair to open its profile, where you confirm, reject or mark it unsure.</source>
        <translation>{0} pasangan diusulkan, terbaik lebih dulu. Klik sebuah pasangan untuk membuka profilnya; di sana Anda mengonfirmasi, menolak, atau menandainya ragu.</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="386" />
        <source>{0} (source #{1}, entity {2})</source>
        <translation>{0} (sumber #{1}, entitas {2})</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="401" />
        <source>Suggested matches ({0})</source>
        <translation>Usulan kecocokan ({0})</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="402" />
        <source>Suggested matches ({0} of {1})</source>
        <translation>Usulan kecocokan ({0} dari {1})</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../ui/settings_dialog.py" line="15" />
        <source>Settings</source>
        <translation>Pengaturan</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="22" />
        <source>Language:</source>
        <translation>Bahasa:</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="23" />
        <source>A new language applies when Lintas starts again.</source>
        <translation>Bahasa baru berlaku saat Lintas dijalankan lagi.</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="27" />
        <source>Light</source>
        <translation>Terang</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="28" />
        <source>Dark</source>
        <translation>Gelap</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="30" />
        <source>Theme:</source>
        <translation>Tema:</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="32" />
        <source>your name, recorded with your judgements</source>
        <translation>nama Anda, dicatat bersama penilaian Anda</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="33" />
        <source>Analyst:</source>
        <translation>Analis:</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="35" />
        <source>Used to read national phone numbers in plain files</source>
        <translation>Dipakai untuk membaca nomor telepon nasional di berkas biasa</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="36" />
        <source>Default country:</source>
        <translation>Negara bawaan:</translation>
    </message>
</context>
<context>
    <name>_MappingPage</name>
    <message>
        <location filename="../../ui/import_dialog.py" line="662" />
        <source>Which column holds what?</source>
        <translation>Kolom mana berisi apa?</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="663" />
        <source>Suggested from the column names; required columns are marked *. Columns not mapped are kept as extra data.</source>
        <translation>Disarankan dari nama kolom; kolom wajib ditandai *. Kolom yang tidak dipetakan disimpan sebagai data tambahan.</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="679" />
        <source>(not in the file)</source>
        <translation>(tidak ada di berkas)</translation>
    </message>
</context>
<context>
    <name>_PlainReviewPage</name>
    <message>
        <location filename="../../ui/import_dialog.py" line="631" />
        <source>Review before import</source>
        <translation>Tinjau sebelum impor</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="632" />
        <source>This is what comes into the case, and how it will be handled.</source>
        <translation>Inilah yang akan masuk ke perkara, dan bagaimana data ini akan ditangani.</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="640" />
        <source>File:</source>
        <translation>Berkas:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="641" />
        <source>Kind of rows:</source>
        <translation>Jenis baris:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="644" />
        <source>Columns:</source>
        <translation>Kolom:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="645" />
        <source>Title:</source>
        <translation>Judul:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="646" />
        <source>Producer:</source>
        <translation>Pembuat:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="646" />
        <source>not stated</source>
        <translation>tidak disebutkan</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="647" />
        <source>Time zone of the times:</source>
        <translation>Zona waktu:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="647" />
        <source>none: every time must carry an offset</source>
        <translation>tidak ada: setiap waktu harus memuat selisih UTC</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="649" />
        <source>Handling:</source>
        <translation>Penanganan:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="650" />
        <source>NOT SIGNED — a plain file carries no signature: the source is recorded as unsigned, with the producer and handling you stated.</source>
        <translation>TIDAK DITANDATANGANI — berkas biasa tidak membawa tanda tangan: sumber dicatat sebagai tidak ditandatangani, dengan pembuat dan penanganan yang Anda nyatakan.</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="654" />
        <source>Signature:</source>
        <translation>Tanda tangan:</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../../ui/errors.py" line="26" />
        <source>Something went wrong: {0}

Details were written to the log in {1}.</source>
        <translation>Terjadi kesalahan: {0}

Rinciannya ditulis ke log di {1}.</translation>
    </message>
</context>
<context>
    <name>problems</name>
    <message>
        <location filename="../../ui/i18n.py" line="74" />
        <source>row {0}</source>
        <translation>baris {0}</translation>
    </message>
    <message>
        <location filename="../../ui/i18n.py" line="76" />
        <source>column '{0}'</source>
        <translation>kolom '{0}'</translation>
    </message>
</context>
<context>
    <name>verification</name>
    <message>
        <location filename="../../ui/verification.py" line="26" />
        <source>verified</source>
        <translation>terverifikasi</translation>
    </message>
    <message>
        <location filename="../../ui/verification.py" line="28" />
        <source>UNVERIFIED: not signed</source>
        <translation>TIDAK TERVERIFIKASI: tidak ditandatangani</translation>
    </message>
    <message>
        <location filename="../../ui/verification.py" line="30" />
        <source>UNVERIFIED signer: key not in keyring, accepted once</source>
        <translation>PENANDA TANGAN TIDAK TERVERIFIKASI: kunci tidak ada di ring kunci, diterima sekali</translation>
    </message>
    <message>
        <location filename="../../ui/verification.py" line="37" />
        <source>UNVERIFIED</source>
        <translation>TIDAK TERVERIFIKASI</translation>
    </message>
    <message>
        <location filename="../../ui/verification.py" line="39" />
        <source>UNVERIFIED signer</source>
        <translation>PENANDA TANGAN TIDAK TERVERIFIKASI</translation>
    </message>
    <message>
        <location filename="../../ui/verification.py" line="46" />
        <source>Not signed: nothing proves who made this source or that it is unchanged.</source>
        <translation>Tidak ditandatangani: tidak ada yang membuktikan siapa pembuat sumber ini atau bahwa isinya tidak diubah.</translation>
    </message>
    <message>
        <location filename="../../ui/verification.py" line="49" />
        <source>Signed by a key that is not in your keyring; it was accepted for this import only.</source>
        <translation>Ditandatangani dengan kunci yang tidak ada di ring kunci Anda; kunci itu diterima untuk impor ini saja.</translation>
    </message>
</context>
</TS>