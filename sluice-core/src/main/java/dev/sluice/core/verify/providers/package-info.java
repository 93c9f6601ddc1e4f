/**
 * Providers: which mail provider hosts a domain, told by its MX host names, and what Sluice assumes
 * about that provider (connection and RCPT rate limits, whether its RCPT answers mean anything). The
 * table ships in the jar and can be replaced by a file. Depends on the JDK only.
 */
package dev.sluice.core.verify.providers;
