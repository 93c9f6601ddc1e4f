/**
 * DNS for verification: MX lookup with RFC 7505 null MX and the A/AAAA fallback, the MX hosts'
 * addresses, asynchronous and cached with TTL (dnsjava). Depends on nothing of ours.
 */
package dev.sluice.core.verify.dns;
