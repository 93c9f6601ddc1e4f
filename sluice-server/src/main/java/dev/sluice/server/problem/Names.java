package dev.sluice.server.problem;

/**
 * The one rule for names people give things (jobs, accounts), on every door: 1 to {@value #MAX_LENGTH}
 * characters after stripping, and no control characters (a NUL or a line break in a name breaks logs, CSV
 * exports and every page that lists it).
 */
public final class Names {

    /** Longest name accepted, in characters. */
    public static final int MAX_LENGTH = 200;

    private Names() {
    }

    /** The name stripped of surrounding white space; {@link ProblemException} 400 naming the field otherwise. */
    public static String check(String field, String name) {
        String stripped = name == null ? "" : name.strip();
        if (stripped.isEmpty() || stripped.length() > MAX_LENGTH
                || stripped.codePoints().anyMatch(Character::isISOControl)) {
            throw new ProblemException(Problem.INVALID_REQUEST, "'" + field + "' is required: 1 to " + MAX_LENGTH
                    + " characters, without control characters");
        }
        return stripped;
    }
}
