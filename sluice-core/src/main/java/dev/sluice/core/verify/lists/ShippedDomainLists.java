package dev.sluice.core.verify.lists;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The {@link DomainLists} read from data files: the ones shipped in the jar next to this class
 * ({@code disposable-domains.txt}, {@code free-providers.txt}, {@code role-local-parts.txt},
 * {@code domain-typos.txt}; their headers name sources, versions and licenses), each replaceable by a file
 * of {@link ListOverrides}. Loaded once into hash sets; immutable and thread-safe afterwards.
 *
 * <p>Matching rules: domains are compared lower-case without a trailing dot. A domain is disposable when
 * it or one of its parent domains is listed ({@code x.mailinator.com}), never looking at the last label
 * alone. Free providers match exactly. A local part is a role when, lower-cased and without a
 * {@code +tag}, it is listed. A typo correction comes from the typo file, else from the TLD rules
 * ({@code .con .cpm .vom .xom .comm .cim .ocm -> .com}, {@code .nt .ner -> .net}, {@code .ogr .orgg -> .org}),
 * else from a domain one edit (Damerau-Levenshtein) away from a {@linkplain #TOP_PROVIDERS top provider}
 * that is not itself a free provider ({@code gmaik.com -> gmail.com}, but {@code mail.com} and
 * {@code ymail.com} stay as they are).
 */
public final class ShippedDomainLists implements DomainLists {

    static final String DISPOSABLE_FILE = "disposable-domains.txt";
    static final String FREE_FILE = "free-providers.txt";
    static final String ROLES_FILE = "role-local-parts.txt";
    static final String TYPOS_FILE = "domain-typos.txt";

    /**
     * Providers big enough, and with names long enough, that a domain one edit away from them is far more
     * likely a typo than a real domain. Not aol.com: bol.com, aon.com and aoc.com are real companies one
     * edit away from it, so its typos are listed in the typo file instead.
     */
    static final List<String> TOP_PROVIDERS =
            List.of("gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com");

    private static final Map<String, String> TLD_TYPOS = Map.ofEntries(
            Map.entry("con", "com"), Map.entry("cpm", "com"), Map.entry("vom", "com"), Map.entry("xom", "com"),
            Map.entry("comm", "com"), Map.entry("cim", "com"), Map.entry("ocm", "com"),
            Map.entry("nt", "net"), Map.entry("ner", "net"),
            Map.entry("ogr", "org"), Map.entry("orgg", "org"));

    /** The shipped files, read by the first {@link #shipped} or {@link #readAhead} and shared afterwards. */
    private static final FutureTask<ShippedDomainLists> SHIPPED = new FutureTask<>(() -> new ShippedDomainLists(
            entries(DISPOSABLE_FILE, null), entries(FREE_FILE, null), entries(ROLES_FILE, null),
            Map.copyOf(typoTable(null))));

    private final Set<String> disposable;
    private final Set<String> free;
    private final Set<String> roles;
    private final Map<String, String> typos;

    private ShippedDomainLists(Set<String> disposable, Set<String> free, Set<String> roles,
            Map<String, String> typos) {
        this.disposable = disposable;
        this.free = free;
        this.roles = roles;
        this.typos = typos;
    }

    /** The shipped lists, read on first use (or by {@link #readAhead}) and shared. */
    public static ShippedDomainLists shipped() {
        // runs the reading here unless it has run or is running on another thread, whose result get() waits for
        SHIPPED.run();
        try {
            return SHIPPED.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("cannot read the shipped lists", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the shipped lists", e);
        }
    }

    /**
     * Starts reading the shipped lists on a thread of their own, so that a start can go on with other work
     * meanwhile: the 121,565 disposable domains took about 120 ms of a server's start on its main thread. The
     * first {@link #shipped} or {@link #load} waits for them if the reading has not finished; a failure shows
     * there. Does nothing once they are read.
     */
    public static void readAhead() {
        if (!SHIPPED.isDone()) {
            Thread.ofPlatform().daemon().name("sluice-shipped-lists").start(SHIPPED);
        }
    }

    /**
     * The shipped lists with the given files in place of some of them (a file replaces its list, see
     * {@link ListOverrides}).
     *
     * @throws UncheckedIOException     if an override file cannot be read
     * @throws IllegalArgumentException if a typo line is not {@code wrong=right}
     */
    public static ShippedDomainLists load(ListOverrides overrides) {
        Objects.requireNonNull(overrides, "overrides");
        if (overrides.equals(ListOverrides.NONE)) {
            return shipped();
        }
        // each list not overridden is the shipped one, read once per process
        return new ShippedDomainLists(
                overrides.disposable() == null ? shipped().disposable
                        : entries(DISPOSABLE_FILE, overrides.disposable()),
                overrides.free() == null ? shipped().free : entries(FREE_FILE, overrides.free()),
                overrides.roles() == null ? shipped().roles : entries(ROLES_FILE, overrides.roles()),
                overrides.typos() == null ? shipped().typos : Map.copyOf(typoTable(overrides.typos())));
    }

    @Override
    public boolean isDisposable(String asciiDomain) {
        String domain = normalize(asciiDomain);
        if (domain.isEmpty()) {
            return false;
        }
        // The domain itself, then each parent with at least two labels: a.b.mailinator.com, b.mailinator.com,
        // mailinator.com, never "com".
        for (String candidate = domain; candidate.indexOf('.') >= 0;
                candidate = candidate.substring(candidate.indexOf('.') + 1)) {
            if (disposable.contains(candidate)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean isFree(String asciiDomain) {
        return free.contains(normalize(asciiDomain));
    }

    @Override
    public boolean isRole(String localPart) {
        if (localPart == null) {
            return false;
        }
        int plus = localPart.indexOf('+');
        String base = plus < 0 ? localPart : localPart.substring(0, plus);
        return roles.contains(base.strip().toLowerCase(Locale.ROOT));
    }

    @Override
    public String typoCorrection(String asciiDomain) {
        String domain = normalize(asciiDomain);
        if (domain.isEmpty()) {
            return null;
        }
        String listed = typos.get(domain);
        if (listed != null) {
            return listed;
        }
        String fixed = fixTld(domain);
        listed = typos.get(fixed);
        if (listed != null) {
            return listed;
        }
        if (!free.contains(fixed)) {
            for (String provider : TOP_PROVIDERS) {
                if (!provider.equals(fixed) && isOneEditAway(fixed, provider)) {
                    return provider;
                }
            }
        }
        return fixed.equals(domain) ? null : fixed;
    }

    /** Number of disposable domains loaded, for logs and tests. */
    public int disposableCount() {
        return disposable.size();
    }

    /** Number of free providers loaded. */
    public int freeCount() {
        return free.size();
    }

    /** Number of role local parts loaded. */
    public int roleCount() {
        return roles.size();
    }

    /** Number of {@code wrong=right} typo lines loaded. */
    public int typoCount() {
        return typos.size();
    }

    private static String fixTld(String domain) {
        int dot = domain.lastIndexOf('.');
        if (dot <= 0) {
            return domain;
        }
        String tld = TLD_TYPOS.get(domain.substring(dot + 1));
        return tld == null ? domain : domain.substring(0, dot + 1) + tld;
    }

    /** Damerau-Levenshtein (optimal string alignment) distance of exactly one, without a full matrix. */
    static boolean isOneEditAway(String a, String b) {
        int la = a.length();
        int lb = b.length();
        if (Math.abs(la - lb) > 1 || a.equals(b)) {
            return false;
        }
        int i = 0;
        while (i < Math.min(la, lb) && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        if (la == lb) {
            // One substitution, or one swap of neighbours.
            return a.regionMatches(i + 1, b, i + 1, la - i - 1)
                    || (i + 1 < la && a.charAt(i) == b.charAt(i + 1) && a.charAt(i + 1) == b.charAt(i)
                            && a.regionMatches(i + 2, b, i + 2, la - i - 2));
        }
        // One insertion or deletion: skip the extra character of the longer string.
        String longer = la > lb ? a : b;
        String shorter = la > lb ? b : a;
        return longer.regionMatches(i + 1, shorter, i, shorter.length() - i);
    }

    private static String normalize(String domain) {
        if (domain == null) {
            return "";
        }
        String d = domain.strip().toLowerCase(Locale.ROOT);
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }

    /**
     * A list's entries in lower case, as an immutable set. Built from an array of distinct entries: {@code Set.copyOf}
     * of a {@code HashSet} copies it into another {@code HashSet} first, which for the 121,565 disposable domains
     * took longer at every start than reading the file.
     */
    private static Set<String> entries(String resource, Path override) {
        List<String> lines = lines(resource, override);
        Set<String> distinct = HashSet.newHashSet(lines.size());
        for (String line : lines) {
            distinct.add(line.toLowerCase(Locale.ROOT));
        }
        return Set.of(distinct.toArray(String[]::new));
    }

    private static Map<String, String> typoTable(Path override) {
        Map<String, String> table = new HashMap<>();
        List<String> lines = lines(TYPOS_FILE, override);
        for (String line : lines) {
            int eq = line.indexOf('=');
            String wrong = eq < 0 ? "" : normalize(line.substring(0, eq));
            String right = eq < 0 ? "" : normalize(line.substring(eq + 1));
            if (wrong.isEmpty() || right.isEmpty()) {
                throw new IllegalArgumentException("typo list " + source(TYPOS_FILE, override) + " has the line '"
                        + line + "'; each line must be wrong=right, e.g. gmial.com=gmail.com");
            }
            table.put(wrong, right);
        }
        return table;
    }

    /** Trimmed lines without blanks and {@code #} comments, from the override file if any, else the jar. */
    private static List<String> lines(String resource, Path override) {
        try (InputStream in = override == null
                ? ShippedDomainLists.class.getResourceAsStream(resource)
                : Files.newInputStream(override)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + source(resource, null)
                        + " in the jar; rebuild sluice-core");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String entry = line.strip();
                if (!entry.isEmpty() && entry.charAt(0) != '#') {
                    lines.add(entry);
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read list " + source(resource, override)
                    + "; check that the configured file exists and is readable", e);
        }
    }

    private static String source(String resource, Path override) {
        return override != null ? override.toString() : "dev/sluice/core/verify/lists/" + resource;
    }
}
