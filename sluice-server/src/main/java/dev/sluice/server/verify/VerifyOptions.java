package dev.sluice.server.verify;

import dev.sluice.server.job.OperationOptions;
import dev.sluice.server.job.Operations;
import dev.sluice.server.job.ResultOptions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The options of a verify job: {@code escape_formulas} (default true) and {@code source: {"uri": "..."}}, the
 * file fetched as the job's first batch. Any other key is refused, so a misspelt option never silently takes
 * its default.
 *
 * @param escapeFormulas whether CSV text cells of the result pass through the formula guard
 * @param uri            {@code source.uri} (sealed once stored), or null when files are uploaded
 */
record VerifyOptions(boolean escapeFormulas, String uri) implements OperationOptions {

    static final String SOURCE = "source";

    /** Reads and checks the options; {@link IllegalArgumentException} says what is wrong. */
    static VerifyOptions parse(Map<String, Object> options) {
        String uri = null;
        for (Map.Entry<String, Object> option : options.entrySet()) {
            switch (option.getKey()) {
                case ResultOptions.ESCAPE_FORMULAS -> ResultOptions.escapeFormulas(options);
                case SOURCE -> {
                    if (!(option.getValue() instanceof Map<?, ?> source) || !source.keySet().equals(Set.of("uri"))
                            || !(source.get("uri") instanceof String text)) {
                        throw new IllegalArgumentException("options.source of a verify job must be {\"uri\": \"...\"}");
                    }
                    uri = text;
                }
                default -> throw new IllegalArgumentException("unknown verify option '" + Operations.shown(option.getKey())
                        + "': a verify job takes " + ResultOptions.ESCAPE_FORMULAS + " and source.uri");
            }
        }
        return new VerifyOptions(ResultOptions.escapeFormulas(options), uri);
    }

    @Override
    public Optional<String> sourceUri() {
        return Optional.ofNullable(uri);
    }
}
