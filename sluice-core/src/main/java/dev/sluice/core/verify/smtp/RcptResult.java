package dev.sluice.core.verify.smtp;

/**
 * One recipient's outcome with the server's last reply ({@code code} 0 when there was none).
 */
public record RcptResult(String address, RcptOutcome outcome, int code, String reply) {
}
