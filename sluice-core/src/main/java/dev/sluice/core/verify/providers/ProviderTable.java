package dev.sluice.core.verify.providers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Maps MX host names to {@link Provider}s. A pattern is an exact host name or {@code *.suffix} (any host
 * under suffix); matching ignores case and a trailing dot, and the longest matching pattern wins. The
 * first MX host (in the order given, preference order) that any pattern matches decides; a domain whose
 * hosts match nothing is {@value #OTHER}.
 *
 * <p>File format (UTF-8, {@code #} starts a comment line): one provider per line, {@code name
 * max_connections rcpt_per_minute rcpt_meaningless patterns...}, separated by blanks. The table must
 * name {@value #OTHER}, without patterns. Immutable and thread-safe.
 */
public final class ProviderTable {

    /** The provider of every MX host no pattern matches. */
    public static final String OTHER = "other";

    private static final String SHIPPED = "/dev/sluice/core/verify/providers.txt";

    private final Map<String, Provider> providers;
    /** Patterns longest first, so the first hit is the most specific. */
    private final List<Rule> rules;

    private ProviderTable(Map<String, Provider> providers, List<Rule> rules) {
        this.providers = Map.copyOf(providers);
        this.rules = rules.stream().sorted(Comparator.comparingInt((Rule r) -> r.pattern.length()).reversed()).toList();
    }

    /** The table shipped in the jar. */
    public static ProviderTable shipped() {
        return Shipped.INSTANCE;
    }

    /** Reads a table replacing the shipped one; errors name the file and line. */
    public static ProviderTable load(Path file) {
        Objects.requireNonNull(file, "file");
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the provider table " + file + ": " + e.getMessage(), e);
        }
    }

    /** The provider of a domain served by these MX hosts (preference order); {@value #OTHER} when none matches. */
    public Provider forMxHosts(List<String> mxHosts) {
        for (String host : mxHosts) {
            Optional<Provider> hit = forHost(host);
            if (hit.isPresent()) {
                return hit.get();
            }
        }
        return other();
    }

    /** The provider named so, if the table has it. */
    public Optional<Provider> named(String name) {
        return Optional.ofNullable(providers.get(name));
    }

    /** The provider of hosts no pattern matches. */
    public Provider other() {
        return providers.get(OTHER);
    }

    /** Every provider of the table. */
    public Collection<Provider> providers() {
        return providers.values();
    }

    private Optional<Provider> forHost(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        for (Rule rule : rules) {
            if (rule.matches(name)) {
                return Optional.of(rule.provider);
            }
        }
        return Optional.empty();
    }

    private static ProviderTable parse(InputStream in, String source) throws IOException {
        Map<String, Provider> providers = new LinkedHashMap<>();
        List<Rule> rules = new ArrayList<>();
        Map<String, String> patternOwners = new LinkedHashMap<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        int number = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            number++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String where = source + " line " + number;
            String[] fields = text.split("\\s+");
            if (fields.length < 4) {
                throw new IllegalArgumentException(where
                        + ": expected 'name max_connections rcpt_per_minute rcpt_meaningless patterns...'");
            }
            Provider provider;
            try {
                provider = new Provider(fields[0], number(fields[1], where), number(fields[2], where),
                        bool(fields[3], where));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
            if (providers.putIfAbsent(provider.name(), provider) != null) {
                throw new IllegalArgumentException(where + ": provider " + provider.name() + " is named twice");
            }
            if (provider.name().equals(OTHER) && fields.length > 4) {
                throw new IllegalArgumentException(where + ": '" + OTHER + "' takes the hosts no pattern matches; "
                        + "it has no patterns");
            }
            for (int i = 4; i < fields.length; i++) {
                String pattern = fields[i].toLowerCase(Locale.ROOT);
                if (pattern.equals("*.") || pattern.indexOf('*', pattern.startsWith("*.") ? 1 : 0) >= 0) {
                    throw new IllegalArgumentException(where + ": pattern '" + fields[i]
                            + "' must be a host name or *.suffix");
                }
                String owner = patternOwners.putIfAbsent(pattern, provider.name());
                if (owner != null) {
                    throw new IllegalArgumentException(where + ": pattern " + pattern + " already belongs to " + owner);
                }
                rules.add(new Rule(pattern, provider));
            }
        }
        if (!providers.containsKey(OTHER)) {
            throw new IllegalArgumentException(source + ": the table must name the provider '" + OTHER + "'");
        }
        return new ProviderTable(providers, rules);
    }

    private static int number(String field, String where) {
        try {
            return Integer.parseInt(field);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": '" + field + "' is not a whole number");
        }
    }

    private static boolean bool(String field, String where) {
        return switch (field) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(where + ": rcpt_meaningless must be true or false, was '"
                    + field + "'");
        };
    }

    /** One MX host pattern and the provider it names. */
    private record Rule(String pattern, Provider provider) {
        boolean matches(String host) {
            return pattern.startsWith("*.") ? host.endsWith(pattern.substring(1)) : host.equals(pattern);
        }
    }

    /** Loaded once, on first use. */
    private static final class Shipped {
        static final ProviderTable INSTANCE = loadShipped();

        private static ProviderTable loadShipped() {
            try (InputStream in = ProviderTable.class.getResourceAsStream(SHIPPED)) {
                if (in == null) {
                    throw new IllegalStateException("the shipped provider table " + SHIPPED + " is missing");
                }
                return parse(in, SHIPPED);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the shipped provider table " + SHIPPED, e);
            }
        }
    }
}
