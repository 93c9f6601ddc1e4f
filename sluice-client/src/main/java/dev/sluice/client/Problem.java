package dev.sluice.client;

/**
 * An RFC 9457 problem detail as the server sends it with every error answer.
 *
 * @param type   URI identifying the kind of problem
 * @param title  short summary of the kind of problem
 * @param status HTTP status code
 * @param detail what went wrong with this request
 * @param code   Sluice's stable error code, for programs (e.g. {@code batch_not_completed})
 */
public record Problem(String type, String title, int status, String detail, String code) {
}
