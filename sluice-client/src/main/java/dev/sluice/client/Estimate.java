package dev.sluice.client;

import java.util.Map;

/**
 * The quote of a completed estimate batch ({@link CreateJob#estimate}): what a verify of the same file would find
 * without SMTP, cost and take.
 *
 * @param records            records in the file
 * @param distinct           distinct addresses (records less duplicates)
 * @param duplicates         records repeating an earlier record's address
 * @param alreadyInvalid     distinct addresses already invalid (syntax, lists, account rules, cache, DNS)
 * @param cached             distinct addresses whose verdict the verification cache holds
 * @param decidedByRules     distinct addresses an account rule decides
 * @param needSmtp           distinct addresses a verify would still ask a mail server about
 * @param needSmtpByProvider those by provider (the provider table's name for the domain's MX hosts), most first
 * @param credits            what a verify would cost: one credit per distinct address that needs the network
 * @param etaSeconds         how long the SMTP stage would take at the server's current limits
 */
public record Estimate(long records, long distinct, long duplicates, long alreadyInvalid, long cached,
        long decidedByRules, long needSmtp, Map<String, Long> needSmtpByProvider, long credits, long etaSeconds) {
}
