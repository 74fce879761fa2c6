"""Numbered schema migrations of the case file (STYLE habit 6).

A migration is frozen once released: never edit one, add the next.  Each runs
in a transaction on open; ``case_meta.schema_version`` records the last applied.
"""

from __future__ import annotations

MIGRATION_1 = r"""
CREATE TABLE case_meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);
CREATE SEQUENCE seq_source START 1;
CREATE SEQUENCE seq_entity START 1;
CREATE SEQUENCE seq_handling START 1;
CREATE SEQUENCE seq_judgement START 1;
CREATE SEQUENCE seq_note START 1;
CREATE TABLE sources (
    source_id INTEGER PRIMARY KEY,
    bundle_id VARCHAR,
    title VARCHAR,
    format VARCHAR NOT NULL,
    importer VARCHAR NOT NULL,
    container_name VARCHAR,
    container_sha256 VARCHAR,
    manifest_sha256 VARCHAR,
    manifest JSON,
    producer_agency VARCHAR,
    producer_unit VARCHAR,
    producer_country VARCHAR,
    producer_contact VARCHAR,
    case_ref VARCHAR,
    created_at VARCHAR,
    default_timezone VARCHAR,
    tlp VARCHAR NOT NULL,
    releasable_to VARCHAR[],
    legal_basis VARCHAR,
    caveats VARCHAR[],
    signature_status VARCHAR NOT NULL,
    signer_key_id VARCHAR,
    signer_name VARCHAR,
    imported_at TIMESTAMP NOT NULL,
    imported_by VARCHAR,
    audit_seq BIGINT,
    row_counts JSON
);
CREATE TABLE source_files (
    source_id INTEGER NOT NULL,
    path VARCHAR NOT NULL,
    kind VARCHAR,
    format VARCHAR,
    sha256 VARCHAR,
    bytes BIGINT,
    rows BIGINT,
    personal_data VARCHAR[],
    columns JSON
);
CREATE TABLE handlings (
    handling_id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL,
    tlp VARCHAR NOT NULL,
    releasable_to VARCHAR[],
    legal_basis VARCHAR,
    caveats VARCHAR[],
    label VARCHAR
);
CREATE TABLE entities (
    entity_id BIGINT PRIMARY KEY,
    kind VARCHAR NOT NULL,
    source_id INTEGER NOT NULL,
    source_row BIGINT,
    local_id VARCHAR,
    name VARCHAR,
    name_folded VARCHAR
);
CREATE TABLE attachments (
    source_id INTEGER NOT NULL,
    path VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    bytes BIGINT,
    media_type VARCHAR,
    title VARCHAR,
    describes VARCHAR[]
);
CREATE TABLE attachment_blobs (
    sha256 VARCHAR PRIMARY KEY,
    content BLOB NOT NULL
);
CREATE TABLE attachment_links (
    sha256 VARCHAR NOT NULL,
    source_id INTEGER NOT NULL,
    local_id VARCHAR NOT NULL,
    entity_id BIGINT
);
CREATE TABLE judgements (
    judgement_id BIGINT PRIMARY KEY,
    entity_a BIGINT NOT NULL,
    entity_b BIGINT NOT NULL,
    verdict VARCHAR NOT NULL,
    analyst VARCHAR,
    time_utc TIMESTAMP NOT NULL,
    reason VARCHAR,
    score DOUBLE,
    undone_utc TIMESTAMP,
    undone_by VARCHAR,
    audit_seq BIGINT
);
CREATE TABLE notes (
    note_id BIGINT PRIMARY KEY,
    entity_id BIGINT,
    source_id INTEGER,
    text VARCHAR NOT NULL,
    author VARCHAR,
    created_utc TIMESTAMP NOT NULL
);
CREATE TABLE saved_queries (
    name VARCHAR PRIMARY KEY,
    sql VARCHAR NOT NULL,
    description VARCHAR,
    created_utc TIMESTAMP NOT NULL
);
CREATE TABLE audit (
    seq BIGINT PRIMARY KEY,
    time_utc VARCHAR NOT NULL,
    os_user VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    params JSON NOT NULL,
    result JSON NOT NULL,
    prev_hash VARCHAR NOT NULL,
    hash VARCHAR NOT NULL
);

CREATE TABLE persons (
    "source_id" INTEGER NOT NULL,
    "source_row" BIGINT NOT NULL,
    "id" VARCHAR,
    "name" VARCHAR,
    "aliases" VARCHAR[],
    "birth_date" VARCHAR,
    "birth_date_iso" VARCHAR,
    "nationality" VARCHAR,
    "nationality_iso" VARCHAR,
    "gender" VARCHAR,
    "notes" VARCHAR,
    "entity_id" BIGINT,
    "name_folded" VARCHAR,
    "birth_year" INTEGER,
    "role" VARCHAR,
    "handling_id" INTEGER,
    "extra" JSON
);
CREATE TABLE organizations (
    "source_id" INTEGER NOT NULL,
    "source_row" BIGINT NOT NULL,
    "id" VARCHAR,
    "name" VARCHAR,
    "country" VARCHAR,
    "country_iso" VARCHAR,
    "registration_number" VARCHAR,
    "kind" VARCHAR,
    "entity_id" BIGINT,
    "name_folded" VARCHAR,
    "handling_id" INTEGER,
    "extra" JSON
);
CREATE TABLE identifiers (
    "source_id" INTEGER NOT NULL,
    "source_row" BIGINT NOT NULL,
    "owner" VARCHAR,
    "kind" VARCHAR,
    "value" VARCHAR,
    "country" VARCHAR,
    "country_iso" VARCHAR,
    "valid_from" VARCHAR,
    "valid_from_iso" VARCHAR,
    "valid_to" VARCHAR,
    "valid_to_iso" VARCHAR,
    "owner_entity_id" BIGINT,
    "value_norm" VARCHAR,
    "handling_id" INTEGER,
    "extra" JSON
);
CREATE TABLE relationships (
    "source_id" INTEGER NOT NULL,
    "source_row" BIGINT NOT NULL,
    "source" VARCHAR,
    "target" VARCHAR,
    "kind" VARCHAR,
    "start" VARCHAR,
    "start_iso" VARCHAR,
    "end" VARCHAR,
    "end_iso" VARCHAR,
    "note" VARCHAR,
    "source_entity_id" BIGINT,
    "target_entity_id" BIGINT,
    "handling_id" INTEGER,
    "extra" JSON
);
CREATE TABLE addresses (
    "source_id" INTEGER NOT NULL,
    "source_row" BIGINT NOT NULL,
    "owner" VARCHAR,
    "full" VARCHAR,
    "city" VARCHAR,
    "region" VARCHAR,
    "country" VARCHAR,
    "country_iso" VARCHAR,
    "lat" DOUBLE,
    "lon" DOUBLE,
    "valid_from" VARCHAR,
    "valid_from_iso" VARCHAR,
    "valid_to" VARCHAR,
    "valid_to_iso" VARCHAR,
    "owner_entity_id" BIGINT,
    "handling_id" INTEGER,
    "extra" JSON
);
CREATE TABLE contacts (
    "source_id" INTEGER NOT NULL,
    "source_row" BIGINT NOT NULL,
    "owner" VARCHAR,
    "label" VARCHAR,
    "value" VARCHAR,
    "value_norm" VARCHAR,
    "kind" VARCHAR,
    "owner_entity_id" BIGINT,
    "owner_norm" VARCHAR,
    "label_folded" VARCHAR,
    "handling_id" INTEGER,
    "extra" JSON
);
CREATE TABLE calls (
    "source_id" INTEGER NOT NULL,
    "source_row" BIGINT NOT NULL,
    "caller" VARCHAR,
    "caller_e164" VARCHAR,
    "callee" VARCHAR,
    "callee_e164" VARCHAR,
    "start" VARCHAR,
    "start_utc" TIMESTAMP,
    "duration_s" DOUBLE,
    "kind" VARCHAR,
    "cell_id" VARCHAR,
    "lat" DOUBLE,
    "lon" DOUBLE,
    "handling_id" INTEGER,
    "extra" JSON
);
CREATE TABLE messages (
    "source_id" INTEGER NOT NULL,
    "source_row" BIGINT NOT NULL,
    "sender" VARCHAR,
    "sender_norm" VARCHAR,
    "recipient" VARCHAR,
    "recipient_norm" VARCHAR,
    "time" VARCHAR,
    "time_utc" TIMESTAMP,
    "app" VARCHAR,
    "body" VARCHAR,
    "thread" VARCHAR,
    "direction" VARCHAR,
    "handling_id" INTEGER,
    "extra" JSON
);
CREATE TABLE transfers (
    "source_id" INTEGER NOT NULL,
    "source_row" BIGINT NOT NULL,
    "from_account" VARCHAR,
    "to_account" VARCHAR,
    "time" VARCHAR,
    "time_utc" TIMESTAMP,
    "amount" DECIMAL(24,4),
    "currency" VARCHAR,
    "channel" VARCHAR,
    "reference" VARCHAR,
    "handling_id" INTEGER,
    "extra" JSON
);
CREATE TABLE travel (
    "source_id" INTEGER NOT NULL,
    "source_row" BIGINT NOT NULL,
    "time" VARCHAR,
    "time_utc" TIMESTAMP,
    "kind" VARCHAR,
    "person" VARCHAR,
    "document" VARCHAR,
    "place_from" VARCHAR,
    "place_to" VARCHAR,
    "carrier" VARCHAR,
    "voyage" VARCHAR,
    "person_entity_id" BIGINT,
    "document_norm" VARCHAR,
    "handling_id" INTEGER,
    "extra" JSON
);
CREATE TABLE sightings (
    "source_id" INTEGER NOT NULL,
    "source_row" BIGINT NOT NULL,
    "subject" VARCHAR,
    "time" VARCHAR,
    "time_utc" TIMESTAMP,
    "lat" DOUBLE,
    "lon" DOUBLE,
    "place" VARCHAR,
    "kind" VARCHAR,
    "note" VARCHAR,
    "subject_entity_id" BIGINT,
    "subject_norm" VARCHAR,
    "handling_id" INTEGER,
    "extra" JSON
);
CREATE TABLE incidents (
    "source_id" INTEGER NOT NULL,
    "source_row" BIGINT NOT NULL,
    "id" VARCHAR,
    "time" VARCHAR,
    "time_utc" TIMESTAMP,
    "kind" VARCHAR,
    "lat" DOUBLE,
    "lon" DOUBLE,
    "place" VARCHAR,
    "description" VARCHAR,
    "status" VARCHAR,
    "handling_id" INTEGER,
    "extra" JSON
);"""

# 2: rows set aside by --skip-bad-rows, and where dossiers and exports went.
MIGRATION_2 = r"""
CREATE TABLE rejects (
    source_id INTEGER NOT NULL,
    file VARCHAR,
    kind VARCHAR,
    "row" BIGINT,
    "column" VARCHAR,
    reason VARCHAR NOT NULL,
    raw JSON
);
CREATE TABLE exports (
    export_id VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL,
    recipient VARCHAR,
    path VARCHAR,
    sha256 VARCHAR,
    tlp VARCHAR,
    created_utc TIMESTAMP NOT NULL,
    audit_seq BIGINT
);
"""

# 3: generic entities of partner formats that no canonical kind holds (FtM schemata,
#    STIX SDOs and observables, MISP objects), kept whole with their properties.
MIGRATION_3 = r"""
CREATE TABLE objects (
    source_id INTEGER NOT NULL,
    source_row BIGINT NOT NULL,
    "id" VARCHAR NOT NULL,
    "type" VARCHAR NOT NULL,
    name VARCHAR,
    properties JSON,
    entity_id BIGINT,
    handling_id INTEGER,
    extra JSON
);
"""

# 4: the search index (DuckDB 2.0.1 has no FTS extension offline: a term index of our own)
#    and the latest entity-resolution suggestions, kept so a window can page through them.
MIGRATION_4 = r"""
CREATE TABLE search_docs (
    doc_id BIGINT NOT NULL,
    kind VARCHAR NOT NULL,
    source_id INTEGER,
    source_row BIGINT,
    entity_id BIGINT,
    local_id VARCHAR,
    field VARCHAR NOT NULL,
    text VARCHAR,
    country VARCHAR,
    time_utc TIMESTAMP
);
CREATE TABLE search_terms (
    term_id INTEGER NOT NULL,
    term VARCHAR NOT NULL,
    canon VARCHAR NOT NULL,
    phon VARCHAR,
    df BIGINT NOT NULL
);
CREATE TABLE search_postings (
    term_id INTEGER NOT NULL,
    doc_id BIGINT NOT NULL
);
CREATE TABLE xref_candidates (
    kind VARCHAR NOT NULL,
    entity_a BIGINT NOT NULL,
    entity_b BIGINT NOT NULL,
    score DOUBLE NOT NULL,
    band VARCHAR NOT NULL,
    reasons VARCHAR[],
    name_a VARCHAR,
    name_b VARCHAR,
    run_utc TIMESTAMP NOT NULL
);
"""

# Search docs that stand for many rows (a number in a call record, an account in transfers) keep
# the time of the first and of the last row: a time filter keeps them if the span overlaps it.
MIGRATION_5 = r"""
ALTER TABLE search_docs ADD COLUMN time_last_utc TIMESTAMP;
"""

# 6: the file of its bundle each row comes from (a source may hold several files of one kind, whose
#    row numbers repeat: source_id + source_file + source_row name one row).  Rows imported before
#    get it where their source has one file of their kind; else it stays NULL.
MIGRATION_6 = "\n".join(
    f"ALTER TABLE {t} ADD COLUMN source_file VARCHAR;\n"
    f"UPDATE {t} SET source_file = f.path FROM (SELECT source_id, any_value(path) AS path FROM source_files "
    f"WHERE kind = '{t}' GROUP BY source_id HAVING count(*) = 1) f WHERE f.source_id = {t}.source_id;"
    for t in ("persons", "organizations", "identifiers", "addresses", "relationships", "calls", "messages",
              "contacts", "transfers", "travel", "sightings", "incidents", "objects"))

# 7: the rows each search doc standing for many rows stands for (a number of calls, an account of
#    transfers), with their time, in doc order: a search with a time range reads the few best docs'
#    rows here (a range of row groups) instead of scanning the kind table.  Part of the search index
#    (rebuilt with it).
MIGRATION_7 = r"""
CREATE TABLE search_end_rows (
    doc_id BIGINT NOT NULL,
    time_utc TIMESTAMP,
    source_row BIGINT
);
"""

# 8: attachments' content in chunks (``workstation.attachments``): a file larger than memory is
#    stored and written out chunk by chunk.  ``attachment_blobs`` becomes a view of whole files.
MIGRATION_8 = r"""
CREATE TABLE attachment_chunks (
    sha256 VARCHAR NOT NULL,
    seq INTEGER NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY (sha256, seq)
);
INSERT INTO attachment_chunks SELECT sha256, 0, content FROM attachment_blobs;
DROP TABLE attachment_blobs;
CREATE VIEW attachment_blobs AS
    SELECT sha256, list_reduce(list(content ORDER BY seq), lambda x, y: x || y) AS content
    FROM attachment_chunks GROUP BY sha256;
"""

MIGRATIONS: list[str] = [MIGRATION_1, MIGRATION_2, MIGRATION_3, MIGRATION_4, MIGRATION_5, MIGRATION_6,
                         MIGRATION_7, MIGRATION_8]

LATEST = len(MIGRATIONS)
