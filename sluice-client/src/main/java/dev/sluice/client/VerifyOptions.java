package dev.sluice.client;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Options of a verify job; each null takes the server's default.
 *
 * @param escapeFormulas whether CSV text cells of the result that a spreadsheet would run are escaped (server
 *                       default true)
 * @param transcripts    whether the SMTP conversation behind each verdict is kept, to be read with
 *                       {@link SluiceClient#transcript} until the batch's retention ends (server default false)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerifyOptions(Boolean escapeFormulas, Boolean transcripts) implements JobOptions {

    /** Options that keep the SMTP transcript of every address. */
    public static VerifyOptions withTranscripts() {
        return new VerifyOptions(null, true);
    }

    @Override
    @JsonIgnore
    public Operation operation() {
        return Operation.VERIFY;
    }
}
