package dev.sluice.server.dataset.imports;

/** The outcome of the record at 0-based {@code index} of a batch; {@code error} only for failed ones. */
public record RecordOutcome(long index, Outcome outcome, String error) {
}
