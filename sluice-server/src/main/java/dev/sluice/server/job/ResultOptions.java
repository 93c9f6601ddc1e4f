package dev.sluice.server.job;

import java.util.Map;

/**
 * Job options about how record results (verify, append) are written, shared by the operations that write
 * them: {@code escape_formulas} (default true) passes CSV text cells through
 * {@link dev.sluice.core.result.FormulaGuard}, as exports always do; {@code false} keeps cells raw.
 */
public final class ResultOptions {

    public static final String ESCAPE_FORMULAS = "escape_formulas";

    private ResultOptions() {
    }

    /**
     * The job's {@code escape_formulas}, true when absent.
     *
     * @throws IllegalArgumentException when it is present and not a JSON boolean
     */
    public static boolean escapeFormulas(Map<String, Object> options) {
        Object value = options == null ? null : options.get(ESCAPE_FORMULAS);
        if (value == null) {
            return true;
        }
        if (value instanceof Boolean escape) {
            return escape;
        }
        throw new IllegalArgumentException("options." + ESCAPE_FORMULAS + " must be true or false, was " + value);
    }
}
