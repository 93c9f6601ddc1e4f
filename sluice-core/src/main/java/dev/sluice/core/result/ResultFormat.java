package dev.sluice.core.result;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The file formats a result can be downloaded in. */
public enum ResultFormat {

    /** UTF-8 CSV without byte-order mark: a header row, LF line endings, RFC 4180 quoting where needed. */
    CSV("csv", "text/csv; charset=UTF-8"),

    /** One JSON array of objects, one object per input record, keys in column order. */
    JSON("json", "application/json"),

    /** Newline-delimited JSON: one object per line, each line ending in LF. */
    NDJSON("ndjson", "application/x-ndjson"),

    /**
     * XML, {@code <records><record><column>value</column>...</record></records>}: exports only
     * ({@link #recordResults()} is false); a verify job refuses it when it is created.
     */
    XML("xml", "application/xml");

    private final String extension;
    private final String mediaType;

    ResultFormat(String extension, String mediaType) {
        this.extension = extension;
        this.mediaType = mediaType;
    }

    /** Wire value, e.g. {@code ndjson}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** File name extension without the dot, e.g. {@code csv}. */
    public String extension() {
        return extension;
    }

    /** Media type for {@code Content-Type}, e.g. {@code application/json}. */
    public String mediaType() {
        return mediaType;
    }

    /** Whether record-by-record results (verify, append) can be written in this format; XML is for exports only. */
    public boolean recordResults() {
        return this != XML;
    }

    /**
     * The format for a wire value, ignoring case and surrounding whitespace.
     *
     * @throws IllegalArgumentException naming the allowed values when {@code wire} is none of them
     */
    public static ResultFormat fromWire(String wire) {
        if (wire != null) {
            String wanted = wire.strip();
            for (ResultFormat format : values()) {
                if (format.wire().equalsIgnoreCase(wanted)) {
                    return format;
                }
            }
        }
        throw new IllegalArgumentException("unknown result format \"" + wire + "\"; allowed: "
                + Arrays.stream(values()).map(ResultFormat::wire).collect(Collectors.joining(", ")));
    }
}
