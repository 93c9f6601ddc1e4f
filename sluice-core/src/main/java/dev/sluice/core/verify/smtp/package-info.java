/**
 * SMTP for verification: RCPT TO probing with connection reuse, catch-all detection, greylisting retries,
 * per-domain concurrency and rate limits. Plain sockets; depends only on {@code verify.dns} records.
 */
package dev.sluice.core.verify.smtp;
