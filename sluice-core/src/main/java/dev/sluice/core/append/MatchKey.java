package dev.sluice.core.append;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The match columns of an append, each with its {@link Normalizer.Rule}: turns the values of one record (in
 * column order) into one normalised key, a fixed-length digest of it for indexing, and decides how two
 * records' values match. Immutable and thread-safe.
 */
public record MatchKey(List<Normalizer.Rule> rules) {

    /** Joins normalised column values; no rule ever keeps a control character, so keys cannot run together. */
    private static final char SEPARATOR = '\u001F';

    public MatchKey {
        rules = List.copyOf(rules);
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("a match key needs at least one column");
        }
    }

    /** The normalised values joined by U+001F. */
    public String normalized(List<String> values) {
        check(values);
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < rules.size(); i++) {
            if (i > 0) {
                key.append(SEPARATOR);
            }
            key.append(Normalizer.normalize(rules.get(i), values.get(i)));
        }
        return key.toString();
    }

    /**
     * The SHA-256 of {@link #normalized} as 64 lower-case hex digits: what the index stores, because a fixed
     * length fits any database index however long the addresses are.
     */
    public String digest(List<String> values) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(normalized(values).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Whether every value normalises to blank: such a record is never looked up. */
    public boolean blank(List<String> values) {
        check(values);
        for (int i = 0; i < rules.size(); i++) {
            if (!Normalizer.normalize(rules.get(i), values.get(i)).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /**
     * How an input record's values match a candidate's: {@link MatchCode#EXACT} when every pair is equal
     * after trimming and case-folding, {@link MatchCode#NORMALIZED} when only the normalised keys are equal,
     * {@link MatchCode#NONE} otherwise.
     */
    public MatchCode code(List<String> input, List<String> candidate) {
        check(input);
        check(candidate);
        boolean exact = true;
        for (int i = 0; i < rules.size() && exact; i++) {
            exact = Normalizer.fold(input.get(i)).equals(Normalizer.fold(candidate.get(i)));
        }
        if (exact) {
            return MatchCode.EXACT;
        }
        return normalized(input).equals(normalized(candidate)) ? MatchCode.NORMALIZED : MatchCode.NONE;
    }

    private void check(List<String> values) {
        if (values.size() != rules.size()) {
            throw new IllegalArgumentException("expected " + rules.size() + " values, one per match column, got "
                    + values.size());
        }
    }
}
