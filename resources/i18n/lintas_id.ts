<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="id_ID" sourcelanguage="en">
<context>
    <name>AuditPanel</name>
    <message>
        <location filename="../../ui/audit_panel.py" line="45" />
        <source>Filter by action, user or details…</source>
        <translation>Saring menurut tindakan, pengguna, atau rincian…</translation>
    </message>
    <message>
        <location filename="../../ui/audit_panel.py" line="48" />
        <source>Verify again</source>
        <translation>Verifikasi ulang</translation>
    </message>
    <message>
        <location filename="../../ui/audit_panel.py" line="52" />
        <source>Seq</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../ui/audit_panel.py" line="52" />
        <source>Time (UTC)</source>
        <translation>Waktu (UTC)</translation>
    </message>
    <message>
        <location filename="../../ui/audit_panel.py" line="52" />
        <source>User</source>
        <translation>Pengguna</translation>
    </message>
    <message>
        <location filename="../../ui/audit_panel.py" line="52" />
        <source>Action</source>
        <translation>Tindakan</translation>
    </message>
    <message>
        <location filename="../../ui/audit_panel.py" line="52" />
        <source>Details</source>
        <translation>Rincian</translation>
    </message>
    <message>
        <location filename="../../ui/audit_panel.py" line="101" />
        <source>Audit log intact: {0} entries, hash chain verified</source>
        <translation>Log audit utuh: {0} entri, rantai hash terverifikasi</translation>
    </message>
    <message>
        <location filename="../../ui/audit_panel.py" line="104" />
        <source>AUDIT LOG TAMPERED: first bad entry {0} — {1}</source>
        <translation>LOG AUDIT DIUBAH: entri rusak pertama {0} — {1}</translation>
    </message>
</context>
<context>
    <name>ConsolePanel</name>
    <message>
        <location filename="../../ui/console.py" line="188" />
        <source>SELECT * FROM calls LIMIT 100   — Ctrl+Enter runs, Ctrl+Space completes table and column names</source>
        <translation>SELECT * FROM calls LIMIT 100   — Ctrl+Enter menjalankan, Ctrl+Space melengkapi nama tabel dan kolom</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="191" />
        <source>Run</source>
        <translation>Jalankan</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="192" />
        <source>Run the query (Ctrl+Enter)</source>
        <translation>Jalankan kueri (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="194" />
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="195" />
        <source>Stop the running query (Esc)</source>
        <translation>Hentikan kueri yang berjalan (Esc)</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="198" />
        <source>Save query…</source>
        <translation>Simpan kueri…</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="200" />
        <source>Export…</source>
        <translation>Ekspor…</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="201" />
        <source>Write the whole result to CSV, XLSX or Parquet</source>
        <translation>Tulis seluruh hasil ke CSV, XLSX, atau Parquet</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="205" />
        <source>Filter rows (any column contains…)</source>
        <translation>Saring baris (kolom mana pun memuat…)</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="210" />
        <source>Write a query and press Ctrl+Enter.</source>
        <translation>Tulis kueri lalu tekan Ctrl+Enter.</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="240" />
        <source>Saved queries</source>
        <translation>Kueri tersimpan</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="241" />
        <source>History</source>
        <translation>Riwayat</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="302" />
        <source>{0}

{1} rows, by {2}</source>
        <translation>{0}

{1} baris, oleh {2}</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="322" />
        <source>Running…</source>
        <translation>Sedang berjalan…</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="336" />
        <source>Query</source>
        <translation>Kueri</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="352" />
        <source>{0} rows in {1:.2f} s</source>
        <translation>{0} baris dalam {1:.2f} dtk</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="369" />
        <source>Cancelled.</source>
        <translation>Dibatalkan.</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="372" />
        <source>The query failed: {0}</source>
        <translation>Kueri gagal: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="394" />
        <source>Sorting and filtering…</source>
        <translation>Mengurutkan dan menyaring…</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="395" />
        <source>Sort/filter</source>
        <translation>Urut/saring</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="404" />
        <source>{0} of {1} rows</source>
        <translation>{0} dari {1} baris</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="421" />
        <location filename="../../ui/console.py" line="425" />
        <location filename="../../ui/console.py" line="426" />
        <source>Save query</source>
        <translation>Simpan kueri</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="421" />
        <source>Name of the query:</source>
        <translation>Nama kueri:</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="437" />
        <source>Export result</source>
        <translation>Ekspor hasil</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="438" />
        <source>CSV (*.csv);;Excel workbook (*.xlsx);;Parquet (*.parquet)</source>
        <translation>CSV (*.csv);;Buku kerja Excel (*.xlsx);;Parquet (*.parquet)</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="450" />
        <source>Exporting…</source>
        <translation>Mengekspor…</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="451" />
        <source>Export</source>
        <translation>Ekspor</translation>
    </message>
    <message>
        <location filename="../../ui/console.py" line="452" />
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
        <location filename="../../ui/import_dialog.py" line="410" />
        <location filename="../../ui/import_dialog.py" line="480" />
        <source>Import</source>
        <translation>Impor</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="410" />
        <source>Open or create a case first.</source>
        <translation>Buka atau buat perkara terlebih dahulu.</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="420" />
        <source>Reading {0}</source>
        <translation>Membaca {0}</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="425" />
        <source>{0}: refused, the bundle does not check out; the case was not changed</source>
        <translation>{0}: ditolak, bundel tidak lolos pemeriksaan; perkara tidak diubah</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="460" />
        <source>Importing {0}</source>
        <translation>Mengimpor {0}</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="467" />
        <source>Not imported.</source>
        <translation>Tidak diimpor.</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="469" />
        <source>Imported {0}: {1} rows</source>
        <translation>Diimpor {0}: {1} baris</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="475" />
        <source>Import of {0} cancelled; the case was not changed.</source>
        <translation>Impor {0} dibatalkan; perkara tidak diubah.</translation>
    </message>
</context>
<context>
    <name>JobsIndicator</name>
    <message>
        <location filename="../../ui/workers.py" line="203" />
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <location filename="../../ui/workers.py" line="204" />
        <source>Cancel this job (Esc in its panel)</source>
        <translation>Batalkan pekerjaan ini (Esc di panelnya)</translation>
    </message>
    <message>
        <location filename="../../ui/workers.py" line="230" />
        <source>(+{0} more)</source>
        <translation>(+{0} lagi)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="70" />
        <source>Case</source>
        <translation>Perkara</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="70" />
        <source>Details</source>
        <translation>Rincian</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="77" />
        <source>Double-click a kind to list its rows, a saved query to run it</source>
        <translation>Klik dua kali sebuah jenis untuk menampilkan barisnya, atau kueri tersimpan untuk menjalankannya</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="82" />
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="82" />
        <source>TLP</source>
        <translation>TLP</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="82" />
        <source>Title</source>
        <translation>Judul</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="82" />
        <source>Producer</source>
        <translation>Pembuat</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="83" />
        <source>Verification</source>
        <translation>Verifikasi</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="83" />
        <source>Releasable to</source>
        <translation>Boleh dibagikan ke</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="83" />
        <source>Legal basis</source>
        <translation>Dasar hukum</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="83" />
        <source>Imported</source>
        <translation>Diimpor</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="99" />
        <location filename="../../ui/main_window.py" line="412" />
        <source>Sources</source>
        <translation>Sumber</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="100" />
        <source>SQL console</source>
        <translation>Konsol SQL</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="104" />
        <source>Audit log</source>
        <translation>Log audit</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="106" />
        <source>Open a case (File → Open) or create one (File → New).
Drop bundles or files here to import them.</source>
        <translation>Buka perkara (Berkas → Buka) atau buat baru (Berkas → Baru).
Jatuhkan bundel atau berkas di sini untuk mengimpornya.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="110" />
        <source>Case explorer</source>
        <translation>Penjelajah perkara</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="126" />
        <source>No case open</source>
        <translation>Tidak ada perkara terbuka</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="151" />
        <location filename="../../ui/main_window.py" line="228" />
        <source>Search</source>
        <translation>Cari</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="152" />
        <source>Network</source>
        <translation>Jaringan</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="168" />
        <source>{0} subjects for the next dossier (File → Produce dossier…)</source>
        <translation>{0} subjek untuk dosir berikutnya (Berkas → Buat dosir…)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="193" />
        <source>Dossier for {0}</source>
        <translation>Dosir untuk {0}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="194" />
        <source>Dossier</source>
        <translation>Dosir</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="199" />
        <source>Dossier written: {0} ({1} pages, TLP:{2})</source>
        <translation>Dosir ditulis: {0} ({1} halaman, TLP:{2})</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="205" />
        <source>&amp;File</source>
        <translation>&amp;Berkas</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="206" />
        <source>&amp;New case…</source>
        <translation>Perkara &amp;baru…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="207" />
        <source>&amp;Open case…</source>
        <translation>&amp;Buka perkara…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="208" />
        <source>Open &amp;recent</source>
        <translation>Buka &amp;terakhir</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="211" />
        <source>&amp;Import…</source>
        <translation>&amp;Impor…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="212" />
        <source>Produce &amp;dossier…</source>
        <translation>Buat &amp;dosir…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="215" />
        <source>&amp;Settings…</source>
        <translation>&amp;Pengaturan…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="217" />
        <source>&amp;Quit</source>
        <translation>&amp;Keluar</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="219" />
        <source>&amp;View</source>
        <translation>&amp;Tampilan</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="226" />
        <location filename="../../ui/main_window.py" line="392" />
        <source>Refresh</source>
        <translation>Segarkan</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="230" />
        <source>&amp;Help</source>
        <translation>Ban&amp;tuan</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="231" />
        <location filename="../../ui/main_window.py" line="248" />
        <source>Keyboard shortcuts</source>
        <translation>Pintasan papan ketik</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="232" />
        <location filename="../../ui/main_window.py" line="257" />
        <source>About Lintas</source>
        <translation>Tentang Lintas</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="249" />
        <source>Ctrl+O  open a case
Ctrl+N  new case
Ctrl+I  import
Ctrl+D  produce a dossier
Ctrl+1…5  switch tabs
Ctrl+Enter  run the query
Ctrl+Space  complete a name
Esc  cancel the running job
F5  refresh
Ctrl+F  search</source>
        <translation>Ctrl+O  buka perkara
Ctrl+N  perkara baru
Ctrl+I  impor
Ctrl+D  buat dosir
Ctrl+1…5  pindah tab
Ctrl+Enter  jalankan kueri
Ctrl+Space  lengkapi nama
Esc  batalkan pekerjaan yang berjalan
F5  segarkan
Ctrl+F  cari</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="258" />
        <source>Lintas {0}
Evidence and intelligence analysis workstation.
Offline: no part of the program opens a network connection.</source>
        <translation>Lintas {0}
Stasiun kerja analisis barang bukti dan intelijen.
Luring: tidak ada bagian program yang membuka koneksi jaringan.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="269" />
        <location filename="../../ui/main_window.py" line="272" />
        <location filename="../../ui/main_window.py" line="280" />
        <source>New case</source>
        <translation>Perkara baru</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="272" />
        <source>Case title:</source>
        <translation>Judul perkara:</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="285" />
        <location filename="../../ui/main_window.py" line="341" />
        <source>Open case</source>
        <translation>Buka perkara</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="292" />
        <source>Import</source>
        <translation>Impor</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="293" />
        <source>Bundles, partner packages and tables (*.zip *.json *.jsonl *.ndjson *.csv *.xlsx *.parquet);;All files (*)</source>
        <translation>Bundel, paket mitra, dan tabel (*.zip *.json *.jsonl *.ndjson *.csv *.xlsx *.parquet);;Semua berkas (*)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="313" />
        <source>The new language applies when Lintas starts again.</source>
        <translation>Bahasa baru berlaku saat Lintas dijalankan lagi.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="403" />
        <source>{0} · {1} sources · {2} rows · {3} entities</source>
        <translation>{0} · {1} sumber · {2} baris · {3} entitas</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="405" />
        <source>{0} — {1} sources, {2} rows</source>
        <translation>{0} — {1} sumber, {2} baris</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="419" />
        <source>#{0} · {1} · signature: {2}</source>
        <translation>#{0} · {1} · tanda tangan: {2}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="420" />
        <location filename="../../ui/main_window.py" line="423" />
        <source>producer unknown</source>
        <translation>pembuat tidak diketahui</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="426" />
        <source>Rows by kind</source>
        <translation>Baris per jenis</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="433" />
        <source>Entities</source>
        <translation>Entitas</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="440" />
        <source>Saved queries</source>
        <translation>Kueri tersimpan</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="447" />
        <source>Dossiers and exports</source>
        <translation>Dosir dan ekspor</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="463" />
        <source> · {0} rows set aside</source>
        <translation> · {0} baris disisihkan</translation>
    </message>
</context>
<context>
    <name>NetworkPanel</name>
    <message>
        <location filename="../../ui/network_panel.py" line="61" />
        <source>Choose “Show in network” on an entity profile.</source>
        <translation>Pilih “Tampilkan di jaringan” pada profil entitas.</translation>
    </message>
    <message>
        <location filename="../../ui/network_panel.py" line="66" />
        <source>hops: </source>
        <translation>langkah: </translation>
    </message>
    <message>
        <location filename="../../ui/network_panel.py" line="89" />
        <source>Building the network…</source>
        <translation>Membangun jaringan…</translation>
    </message>
    <message>
        <location filename="../../ui/network_panel.py" line="90" />
        <source>Network</source>
        <translation>Jaringan</translation>
    </message>
    <message>
        <location filename="../../ui/network_panel.py" line="94" />
        <source>Cancelled.</source>
        <translation>Dibatalkan.</translation>
    </message>
    <message>
        <location filename="../../ui/network_panel.py" line="121" />
        <source>{0} nodes, {1} ties within {2} hop(s) of {3}</source>
        <translation>{0} simpul, {1} hubungan dalam {2} langkah dari {3}</translation>
    </message>
</context>
<context>
    <name>PlainWizard</name>
    <message>
        <location filename="../../ui/import_dialog.py" line="246" />
        <source>Import a plain file: {0}</source>
        <translation>Impor berkas biasa: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="254" />
        <source>What is in this file?</source>
        <translation>Apa isi berkas ini?</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="255" />
        <source>The first rows as written. Choose the kind of its rows, or a saved mapping.</source>
        <translation>Baris-baris pertama sebagaimana tertulis. Pilih jenis barisnya, atau pemetaan tersimpan.</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="274" />
        <source>Kind of rows:</source>
        <translation>Jenis baris:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="276" />
        <source>(none)</source>
        <translation>(tidak ada)</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="280" />
        <source>Saved mapping:</source>
        <translation>Pemetaan tersimpan:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="291" />
        <source>Where does it come from, and who may see it?</source>
        <translation>Dari mana asalnya, dan siapa yang boleh melihatnya?</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="294" />
        <source>Title:</source>
        <translation>Judul:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="299" />
        <source>For times written without an offset (an IANA name)</source>
        <translation>Untuk waktu yang ditulis tanpa selisih zona (nama IANA)</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="300" />
        <source>Time zone of the times:</source>
        <translation>Zona waktu:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="302" />
        <source>ISO 3166 code; national phone numbers are read with it</source>
        <translation>Kode ISO 3166; nomor telepon nasional dibaca dengannya</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="303" />
        <source>Producer country:</source>
        <translation>Negara pembuat:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="305" />
        <source>Producer agency:</source>
        <translation>Instansi pembuat:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="309" />
        <source>TLP:</source>
        <translation>TLP:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="312" />
        <source>Releasable to:</source>
        <translation>Boleh dibagikan ke:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="314" />
        <source>Legal basis:</source>
        <translation>Dasar hukum:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="316" />
        <source>separated by ;</source>
        <translation>dipisahkan dengan ;</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="317" />
        <source>Caveats:</source>
        <translation>Catatan pembatasan:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="319" />
        <source>a name, to reuse this mapping next time</source>
        <translation>sebuah nama, agar pemetaan ini dapat dipakai lagi</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="320" />
        <source>Save mapping as:</source>
        <translation>Simpan pemetaan sebagai:</translation>
    </message>
</context>
<context>
    <name>ProblemsDialog</name>
    <message>
        <location filename="../../ui/import_dialog.py" line="101" />
        <source>Import refused</source>
        <translation>Impor ditolak</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="109" />
        <source>File</source>
        <translation>Berkas</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="109" />
        <source>Row</source>
        <translation>Baris</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="109" />
        <source>Column</source>
        <translation>Kolom</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="110" />
        <source>Reason</source>
        <translation>Alasan</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="124" />
        <source>Copy all</source>
        <translation>Salin semua</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="125" />
        <source>Copy every problem as tab-separated text (paste into a spreadsheet)</source>
        <translation>Salin semua masalah sebagai teks dipisah tab (tempel ke lembar kerja)</translation>
    </message>
</context>
<context>
    <name>ProfilePanel</name>
    <message>
        <location filename="../../ui/search_panel.py" line="199" />
        <source>Choose a search hit to see its profile.</source>
        <translation>Pilih hasil pencarian untuk melihat profilnya.</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="208" />
        <source>Value</source>
        <translation>Nilai</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="208" />
        <source>Source</source>
        <translation>Sumber</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="208" />
        <source>Row</source>
        <translation>Baris</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="214" />
        <source>Score</source>
        <translation>Skor</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="214" />
        <source>Possibly the same as</source>
        <translation>Mungkin sama dengan</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="215" />
        <source>Why</source>
        <translation>Alasan</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="215" />
        <source>Your judgement</source>
        <translation>Penilaian Anda</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="220" />
        <source>Undo last judgement</source>
        <translation>Batalkan penilaian terakhir</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="223" />
        <source>Show in network</source>
        <translation>Tampilkan di jaringan</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="225" />
        <source>Add to dossier</source>
        <translation>Tambahkan ke dosir</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="250" />
        <source>Suggested matches (confirm, reject or mark unsure):</source>
        <translation>Usulan kecocokan (konfirmasi, tolak, atau tandai ragu):</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="278" />
        <location filename="../../ui/search_panel.py" line="279" />
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="285" />
        <source>Entity {0}</source>
        <translation>Entitas {0}</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="287" />
        <source>Records: {0} · sources: {1} · entities confirmed the same: {2}</source>
        <translation>Catatan: {0} · sumber: {1} · entitas yang dikonfirmasi sama: {2}</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="292" />
        <source>Names</source>
        <translation>Nama</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="292" />
        <source>Aliases</source>
        <translation>Alias</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="293" />
        <source>Birth dates</source>
        <translation>Tanggal lahir</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="293" />
        <source>Nationalities</source>
        <translation>Kewarganegaraan</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="294" />
        <source>Identifiers</source>
        <translation>Identitas</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="294" />
        <source>Addresses</source>
        <translation>Alamat</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="295" />
        <source>Relationships</source>
        <translation>Hubungan</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="296" />
        <source>Events and mentions (by shared identifier)</source>
        <translation>Peristiwa dan penyebutan (lewat identitas yang sama)</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="297" />
        <source>Judgements</source>
        <translation>Penilaian</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="321" />
        <source>undone</source>
        <translation>dibatalkan</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="321" />
        <source>standing</source>
        <translation>berlaku</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="348" />
        <source>{0} (source #{1}, entity {2})</source>
        <translation>{0} (sumber #{1}, entitas {2})</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="358" />
        <source>Same</source>
        <translation>Sama</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="358" />
        <source>Not same</source>
        <translation>Tidak sama</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="359" />
        <source>Unsure</source>
        <translation>Ragu</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="405" />
        <location filename="../../ui/search_panel.py" line="406" />
        <source>Judgement</source>
        <translation>Penilaian</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="421" />
        <location filename="../../ui/search_panel.py" line="422" />
        <source>Undo</source>
        <translation>Batalkan</translation>
    </message>
</context>
<context>
    <name>ReviewDialog</name>
    <message>
        <location filename="../../ui/import_dialog.py" line="154" />
        <source>Import {0}</source>
        <translation>Impor {0}</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="159" />
        <source>File:</source>
        <translation>Berkas:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="160" />
        <source>Read as:</source>
        <translation>Dibaca sebagai:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="169" />
        <source>Title:</source>
        <translation>Judul:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="170" />
        <source>Producer:</source>
        <translation>Pembuat:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="183" />
        <source>Handling:</source>
        <translation>Penanganan:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="184" />
        <source>Case reference:</source>
        <translation>Nomor perkara:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="188" />
        <source>Signature:</source>
        <translation>Tanda tangan:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="192" />
        <source>NOT SIGNED — nothing proves who made this bundle or that it is unchanged.</source>
        <translation>TIDAK DITANDATANGANI — tidak ada yang membuktikan siapa pembuat bundel ini atau bahwa isinya tidak berubah.</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="195" />
        <source>I accept this unsigned bundle for this import</source>
        <translation>Saya menerima bundel tanpa tanda tangan ini untuk impor ini</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="199" />
        <source>Verified: signed by {0} (key {1})</source>
        <translation>Terverifikasi: ditandatangani oleh {0} (kunci {1})</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="205" />
        <source>Valid signature by a key NOT in your keyring: {0}
Check this key id with its sender (by phone or in person) before you accept it.</source>
        <translation>Tanda tangan sah oleh kunci yang TIDAK ada di ring kunci Anda: {0}
Periksa id kunci ini dengan pengirimnya (lewat telepon atau langsung) sebelum menerimanya.</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="208" />
        <source>I checked this key with its sender; accept it for this import only</source>
        <translation>Saya sudah memeriksa kunci ini dengan pengirimnya; terima hanya untuk impor ini</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="211" />
        <source>File</source>
        <translation>Berkas</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="211" />
        <source>Kind</source>
        <translation>Jenis</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="211" />
        <source>Rows</source>
        <translation>Baris</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="211" />
        <source>Bytes</source>
        <translation>Bita</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="223" />
        <source>Import</source>
        <translation>Impor</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <location filename="../../ui/search_panel.py" line="65" />
        <source>Search names, aliases, numbers, passports, accounts, places…</source>
        <translation>Cari nama, alias, nomor, paspor, rekening, tempat…</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="68" />
        <location filename="../../ui/search_panel.py" line="119" />
        <source>Search</source>
        <translation>Cari</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="73" />
        <source>Score</source>
        <translation>Skor</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="73" />
        <source>Text</source>
        <translation>Teks</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="73" />
        <source>Found in</source>
        <translation>Ditemukan di</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="73" />
        <source>TLP</source>
        <translation>TLP</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="73" />
        <source>Source</source>
        <translation>Sumber</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="74" />
        <source>Id · row</source>
        <translation>Id · baris</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="118" />
        <source>Searching…</source>
        <translation>Mencari…</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="122" />
        <source>Cancelled.</source>
        <translation>Dibatalkan.</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="136" />
        <source>matched: {0}</source>
        <translation>cocok: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/search_panel.py" line="147" />
        <source>{0} hits, best first. Double-click a hit to open its profile.</source>
        <translation>{0} hasil, terbaik lebih dulu. Klik dua kali sebuah hasil untuk membuka profilnya.</translation>
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
        <location filename="../../ui/import_dialog.py" line="358" />
        <source>Which column holds what?</source>
        <translation>Kolom mana berisi apa?</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="359" />
        <source>Suggested from the column names; required columns are marked *. Columns not mapped are kept as extra data.</source>
        <translation>Disarankan dari nama kolom; kolom wajib ditandai *. Kolom yang tidak dipetakan disimpan sebagai data tambahan.</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="375" />
        <source>(not in the file)</source>
        <translation>(tidak ada di berkas)</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../../ui/errors.py" line="25" />
        <source>Something went wrong: {0}

Details were written to the log in {1}.</source>
        <translation>Terjadi kesalahan: {0}

Rinciannya ditulis ke log di {1}.</translation>
    </message>
</context>
</TS>