package dev.sluice.client;

/**
 * Why a batch ended {@link BatchStatus#FAILED failed} or {@link BatchStatus#MALFORMED malformed}.
 *
 * @param code    stable reason code, for programs
 * @param message what happened and what to do, for people
 */
public record BatchError(String code, String message) {
}
