package dev.sluice.core.ingest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whether the first record is a header, which column is the required one, and the output column names.
 *
 * <p>A header names the required column (trimmed, any case; for {@code email} also {@code e-mail},
 * {@code email_address}, {@code emailaddress}, {@code email address}, {@code e-mail address},
 * {@code email-address}; quotes around a name are ignored, as in {@code " EMAIL "} written after a space).
 * Without such a header, a file whose first record has an {@code @} in a column where most of the first 20
 * records have one is taken as headerless: people often upload a bare list of addresses. A header that names
 * no such column while exactly one column holds addresses in at least 80% of the records under it uses that
 * column, and says so in {@link #notes()}. Anything else is refused rather than guessed, because guessing
 * wrong verifies the wrong column.
 */
record HeaderLayout(boolean header, int keyColumn, List<String> names, List<String> notes) {

    HeaderLayout(boolean header, int keyColumn, List<String> names) {
        this(header, keyColumn, names, List.of());
    }

    /** Output names Sluice appends to results; an input column with one of these names is renamed. */
    static final List<String> RESERVED = List.of("sluice_row", "sluice_status", "sluice_reason", "sluice_email",
            "sluice_role", "sluice_disposable", "sluice_free", "sluice_suggestion", "sluice_cached",
            "sluice_provider", "sluice_score", "sluice_safe_to_send", "sluice_duplicate_of");

    private static final Set<String> EMAIL_ALIASES = Set.of("email", "e-mail", "email_address", "emailaddress",
            "email address", "e-mail address", "email-address");

    private static final int HEADERLESS_PROBE_RECORDS = 20;

    static HeaderLayout decide(List<List<String>> sample, String requiredColumn) throws MalformedFileException {
        return decide(sample, requiredColumn, null);
    }

    /**
     * As {@link #decide(List, String)}, or with {@code header} given: the first record is (or is not) the
     * header as the caller says. Without a required column the key column is -1 and a headerless file's
     * columns are {@code column_1..n}.
     */
    static HeaderLayout decide(List<List<String>> sample, String requiredColumn, Boolean header)
            throws MalformedFileException {
        List<String> first = sample.getFirst();
        if (requiredColumn == null) {
            if (Boolean.TRUE.equals(header)) {
                return new HeaderLayout(true, -1, uniqueNames(first));
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i < first.size(); i++) {
                names.add("column_" + (i + 1));
            }
            return new HeaderLayout(false, -1, uniqueNames(names));
        }
        if (Boolean.FALSE.equals(header)) {
            int probed = addressColumn(sample);
            if (probed < 0) {
                throw new MalformedFileException(MalformedReason.MISSING_COLUMN, "no column of the first records"
                        + " holds \"" + requiredColumn.trim() + "\" values in a file said to have no header");
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i < first.size(); i++) {
                names.add(i == probed ? requiredColumn.trim() : "column_" + (i + 1));
            }
            return new HeaderLayout(false, probed, uniqueNames(names));
        }
        int named = namedColumn(first, requiredColumn);
        if (named >= 0) {
            return new HeaderLayout(true, named, uniqueNames(first));
        }
        int probed = Boolean.TRUE.equals(header) ? -1 : addressColumn(sample);
        if (probed >= 0) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < first.size(); i++) {
                names.add(i == probed ? requiredColumn.trim() : "column_" + (i + 1));
            }
            return new HeaderLayout(false, probed, uniqueNames(names));
        }
        int under = addressColumnUnderHeader(sample);
        if (under >= 0) {
            List<String> names = uniqueNames(first);
            return new HeaderLayout(true, under, names, List.of("no header cell names the \"" + requiredColumn.trim()
                    + "\" column; column " + (under + 1) + " (\"" + names.get(under) + "\") holds addresses and is"
                    + " used as it"));
        }
        throw new MalformedFileException(MalformedReason.MISSING_COLUMN,
                "no \"" + requiredColumn.trim() + "\" column; header is " + cleaned(first)
                        + ". Name the column holding the addresses \"" + requiredColumn.trim()
                        + "\" in the first row and upload again");
    }

    /** The names widened with {@code column_N} up to {@code width}, keeping them unique. */
    List<String> widenedTo(int width) {
        if (width <= names.size()) {
            return names;
        }
        List<String> widened = new ArrayList<>(names);
        for (int i = names.size(); i < width; i++) {
            widened.add("");
        }
        return uniqueNames(widened);
    }

    private static int namedColumn(List<String> first, String requiredColumn) {
        String required = normalise(requiredColumn);
        boolean email = required.equals("email");
        int alias = -1;
        for (int i = 0; i < first.size(); i++) {
            String cell = normalise(first.get(i));
            if (cell.equals(required)) {
                return i;
            }
            if (email && alias < 0 && EMAIL_ALIASES.contains(cell)) {
                alias = i;
            }
        }
        return alias;
    }

    private static int addressColumn(List<List<String>> sample) {
        List<String> first = sample.getFirst();
        List<List<String>> probe = sample.subList(0, Math.min(sample.size(), HEADERLESS_PROBE_RECORDS));
        int best = -1;
        int bestHits = 0;
        for (int column = 0; column < first.size(); column++) {
            if (first.get(column).indexOf('@') < 0) {
                continue;
            }
            int hits = 0;
            for (List<String> record : probe) {
                if (column < record.size() && record.get(column).indexOf('@') >= 0) {
                    hits++;
                }
            }
            if (hits * 2 > probe.size() && hits > bestHits) {
                best = column;
                bestHits = hits;
            }
        }
        return best;
    }

    /**
     * The one column whose cell holds an {@code @} in at least 80% of the (up to 20) non-blank records after
     * the first, or -1 when there is none, more than one, or fewer than two such records.
     */
    private static int addressColumnUnderHeader(List<List<String>> sample) {
        List<List<String>> probe = sample.subList(1, Math.min(sample.size(), HEADERLESS_PROBE_RECORDS + 1));
        if (probe.size() < 2) {
            return -1;
        }
        int width = 0;
        for (List<String> record : probe) {
            width = Math.max(width, record.size());
        }
        int found = -1;
        for (int column = 0; column < width; column++) {
            int hits = 0;
            for (List<String> record : probe) {
                if (column < record.size() && record.get(column).indexOf('@') > 0) {
                    hits++;
                }
            }
            if (hits * 5 >= probe.size() * 4) {
                if (found >= 0) {
                    return -1;
                }
                found = column;
            }
        }
        return found < sample.getFirst().size() ? found : -1;
    }

    /**
     * Trimmed names, blanks as {@code column_N} (1-based position), duplicates (ignoring case, since many
     * consumers of CSV and JSON do) and reserved result names suffixed {@code _2}, {@code _3}...
     */
    static List<String> uniqueNames(List<String> raw) {
        Set<String> used = new HashSet<>(RESERVED);
        List<String> names = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            String base = clean(raw.get(i));
            if (base.isEmpty()) {
                base = "column_" + (i + 1);
            }
            String name = base;
            for (int k = 2; used.contains(name.toLowerCase(Locale.ROOT)); k++) {
                name = base + "_" + k;
            }
            used.add(name.toLowerCase(Locale.ROOT));
            names.add(name);
        }
        return List.copyOf(names);
    }

    private static List<String> cleaned(List<String> cells) {
        return cells.stream().map(HeaderLayout::clean).toList();
    }

    private static String clean(String cell) {
        // A second byte-order mark (files concatenated or saved twice) sticks to the first header cell.
        return cell.replace("\uFEFF", "").strip();
    }

    /** For matching: cleaned, lower case, without one pair of quotes around the name and the spaces inside. */
    private static String normalise(String cell) {
        String name = clean(cell);
        if (name.length() >= 2 && (name.charAt(0) == '"' || name.charAt(0) == '\'')
                && name.charAt(name.length() - 1) == name.charAt(0)) {
            name = name.substring(1, name.length() - 1).strip();
        }
        return name.toLowerCase(Locale.ROOT);
    }
}
