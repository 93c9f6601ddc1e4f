/**
 * Ingest: turns an uploaded, messy CSV or TSV file into normalised chunk parts. It owns sniffing
 * (encoding with or without a byte-order mark, delimiter among {@code , \t ; |}, header row, quoting),
 * the check for the required column, the record limit and the split into chunk parts of a fixed number
 * of records, written as plain UTF-8 CSV that {@link dev.sluice.core.ingest.ChunkReader} reads back.
 * A file that cannot be read fails as a whole with a {@link dev.sluice.core.ingest.MalformedReason};
 * a strange row is kept as data. It uses FastCSV for all CSV parsing and writing and nothing of ours.
 */
package dev.sluice.core.ingest;
