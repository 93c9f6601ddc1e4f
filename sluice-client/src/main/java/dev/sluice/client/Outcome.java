package dev.sluice.client;

/**
 * What a dataset operation did with one input record.
 *
 * @param index   0-based record number in the input
 * @param outcome {@code completed}, {@code failed} or {@code ignored}
 * @param error   why it failed; null otherwise
 */
public record Outcome(long index, String outcome, String error) {
}
