package dev.sluice.core.verify;

import dev.sluice.core.verify.dns.MxHost;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An account's own verdicts, decided before any network check: {@code email:a@b.com}, {@code domain:example.com}
 * and {@code tld:ru} match an address by itself, {@code mx:*.example.net} (or an exact host) matches once DNS
 * named the domain's mail servers, before SMTP. Pure and immutable: hash maps for the address kinds (one look-up
 * each, so 10,000 rules cost no more than one) and a short list of host suffixes for the mail server kind.
 *
 * <p>When several rules match, the most specific decides: email, then domain, then top-level domain (the first
 * of equal rules in list order). A domain rule matches that domain only, not its subdomains, as a user who lists
 * {@code domain:example.com} means the addresses written that way.
 */
public final class AccountRules {

    /** Most rules an account keeps. */
    public static final int MAX_RULES = 10_000;

    private static final AccountRules NONE = new AccountRules(List.of());

    private static final Pattern HOST = Pattern.compile(
            "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+");

    private static final Pattern TLD = Pattern.compile("[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?");

    private static final EmailVerifier SYNTAX = new EmailVerifier();

    /** What a rule is matched against. */
    public enum Kind {
        /** One whole address, compared in its normalised form. */
        EMAIL,
        /** The domain of an address, exactly. */
        DOMAIN,
        /** A mail server of the domain: {@code *.example.net} for any host under it, or one host exactly. */
        MX,
        /** The last label of the domain. */
        TLD;

        String prefix() {
            return name().toLowerCase(Locale.ROOT) + ":";
        }
    }

    /**
     * One rule.
     *
     * @param kind   what it matches against
     * @param value  the normalised value after the prefix ({@code *.example.net}, {@code ru}...)
     * @param status the verdict it gives: {@code valid}, {@code invalid} or {@code unknown}
     */
    public record Rule(Kind kind, String value, VerdictStatus status) {

        public Rule {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(status, "status");
        }

        /** The rule as written back to clients, e.g. {@code domain:example.com}. */
        public String match() {
            return kind.prefix() + value;
        }

        /**
         * Reads a rule as a client writes it; {@link IllegalArgumentException} says what is wrong with it.
         *
         * @param match  {@code email:}, {@code domain:}, {@code mx:} or {@code tld:} followed by its value
         * @param status {@code valid}, {@code invalid} or {@code unknown}
         */
        public static Rule parse(String match, String status) {
            if (match == null) {
                throw new IllegalArgumentException("'match' is missing");
            }
            return new Rule(kindOf(match), valueOf(kindOf(match), match), statusOf(status));
        }

        private static Kind kindOf(String match) {
            for (Kind kind : Kind.values()) {
                if (match.startsWith(kind.prefix())) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("'match' must start with email:, domain:, mx: or tld:");
        }

        private static String valueOf(Kind kind, String match) {
            String raw = match.substring(kind.prefix().length());
            return switch (kind) {
                case EMAIL -> {
                    Verdict verdict = SYNTAX.verify(raw);
                    if (verdict.status() == VerdictStatus.INVALID) {
                        throw new IllegalArgumentException("'" + raw + "' is not a valid email address ("
                                + verdict.reason().code() + ")");
                    }
                    yield verdict.normalized();
                }
                case DOMAIN -> {
                    Verdict verdict = SYNTAX.verify("postmaster@" + raw);
                    if (raw.isBlank() || raw.contains("@") || verdict.status() == VerdictStatus.INVALID) {
                        throw new IllegalArgumentException("'" + raw + "' is not a mail domain under a public suffix");
                    }
                    yield verdict.normalized().substring("postmaster@".length());
                }
                case MX -> {
                    String host = raw.toLowerCase(Locale.ROOT);
                    String name = host.startsWith("*.") ? host.substring(2) : host;
                    if (!HOST.matcher(name).matches()) {
                        throw new IllegalArgumentException("'" + raw + "' is not a host name or *.suffix pattern");
                    }
                    yield host;
                }
                case TLD -> {
                    String tld = raw.toLowerCase(Locale.ROOT);
                    if (!TLD.matcher(tld).matches()) {
                        throw new IllegalArgumentException("'" + raw + "' is not a top-level domain (one label)");
                    }
                    yield tld;
                }
            };
        }

        private static VerdictStatus statusOf(String status) {
            if (status != null) {
                switch (status) {
                    case "valid" -> {
                        return VerdictStatus.VALID;
                    }
                    case "invalid" -> {
                        return VerdictStatus.INVALID;
                    }
                    case "unknown" -> {
                        return VerdictStatus.UNKNOWN;
                    }
                    default -> {
                    }
                }
            }
            throw new IllegalArgumentException("'status' must be valid, invalid or unknown");
        }
    }

    private final List<Rule> rules;
    private final Map<String, Rule> emails = new HashMap<>();
    private final Map<String, Rule> domains = new HashMap<>();
    private final Map<String, Rule> tlds = new HashMap<>();
    private final Map<String, Rule> hosts = new HashMap<>();
    private final List<Rule> suffixes = new ArrayList<>();

    private AccountRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        for (Rule rule : this.rules) {
            switch (rule.kind()) {
                case EMAIL -> emails.putIfAbsent(rule.value(), rule);
                case DOMAIN -> domains.putIfAbsent(rule.value(), rule);
                case TLD -> tlds.putIfAbsent(rule.value(), rule);
                case MX -> {
                    if (rule.value().startsWith("*.")) {
                        suffixes.add(rule);
                    } else {
                        hosts.putIfAbsent(rule.value(), rule);
                    }
                }
            }
        }
    }

    /** The rules in list order; more than {@link #MAX_RULES} are refused. */
    public static AccountRules of(List<Rule> rules) {
        if (rules.size() > MAX_RULES) {
            throw new IllegalArgumentException("an account keeps at most " + MAX_RULES + " rules, not " + rules.size());
        }
        return rules.isEmpty() ? NONE : new AccountRules(rules);
    }

    /** No rules: every address goes through every stage. */
    public static AccountRules none() {
        return NONE;
    }

    public List<Rule> rules() {
        return rules;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Whether some rule can only be decided once DNS answered (an {@code mx:} rule). */
    public boolean hasMxRules() {
        return !hosts.isEmpty() || !suffixes.isEmpty();
    }

    /** The most specific email, domain or tld rule matching a normalised address, or null. */
    public Rule forAddress(String normalized) {
        if (emails.isEmpty() && domains.isEmpty() && tlds.isEmpty()) {
            return null;
        }
        Rule email = emails.get(normalized);
        if (email != null) {
            return email;
        }
        String domain = normalized.substring(normalized.lastIndexOf('@') + 1);
        Rule byDomain = domains.get(domain);
        if (byDomain != null) {
            return byDomain;
        }
        return tlds.get(domain.substring(domain.lastIndexOf('.') + 1));
    }

    /** The first {@code mx:} rule matching one of the domain's mail servers (in preference order), or null. */
    public Rule forMx(List<MxHost> mxHosts) {
        if (!hasMxRules()) {
            return null;
        }
        for (MxHost mx : mxHosts) {
            String host = mx.host().toLowerCase(Locale.ROOT);
            if (host.endsWith(".")) {
                host = host.substring(0, host.length() - 1);
            }
            Rule exact = hosts.get(host);
            if (exact != null) {
                return exact;
            }
            for (Rule suffix : suffixes) {
                // "*.example.net" holds ".example.net" after its star: a host strictly under it matches
                if (host.endsWith(suffix.value().substring(1))) {
                    return suffix;
                }
            }
        }
        return null;
    }
}
