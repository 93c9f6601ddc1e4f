package dev.sluice.server.verify;

import dev.sluice.server.job.OperationOptions;
import dev.sluice.server.job.Operations;
import dev.sluice.server.job.ResultOptions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The options of a verify job: {@code escape_formulas} (default true), {@code source: {"uri": "..."}}, the
 * file fetched as the job's first batch, and {@code transcripts} (default false), which keeps the SMTP
 * conversation behind each verdict. Any other key is refused, so a misspelt option never silently takes its
 * default.
 *
 * @param escapeFormulas whether CSV text cells of the result pass through the formula guard
 * @param uri            {@code source.uri} (sealed once stored), or null when files are uploaded
 * @param transcripts    whether each address's SMTP transcript is kept until the batch's retention ends
 */
record VerifyOptions(boolean escapeFormulas, String uri, boolean transcripts) implements OperationOptions {

    static final String SOURCE = "source";
    static final String TRANSCRIPTS = "transcripts";

    /** Reads and checks the options; {@link IllegalArgumentException} says what is wrong. */
    static VerifyOptions parse(Map<String, Object> options) {
        String uri = null;
        boolean transcripts = false;
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
                case TRANSCRIPTS -> {
                    if (!(option.getValue() instanceof Boolean keep)) {
                        throw new IllegalArgumentException("options.transcripts of a verify job must be true or false");
                    }
                    transcripts = keep;
                }
                default -> throw new IllegalArgumentException("unknown verify option '" + Operations.shown(option.getKey())
                        + "': a verify job takes " + ResultOptions.ESCAPE_FORMULAS + ", source.uri and " + TRANSCRIPTS);
            }
        }
        return new VerifyOptions(ResultOptions.escapeFormulas(options), uri, transcripts);
    }

    @Override
    public Optional<String> sourceUri() {
        return Optional.ofNullable(uri);
    }
}
