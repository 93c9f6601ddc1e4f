package dev.sluice.server.account;

import java.util.Locale;

/** What an API key may do. */
public enum ApiKeyKind {
    /** Full use. */
    LIVE("live"),
    /**
     * Trial use: each file is capped at {@link #EVALUATION_RECORD_LIMIT} records, and the key may not manage
     * keys or credentials ({@link Caller#mayManageCredentials()}).
     */
    EVALUATION("eval");

    /** Records an evaluation key may submit in one file. */
    public static final long EVALUATION_RECORD_LIMIT = 1_000;

    private final String keyTag;

    ApiKeyKind(String keyTag) {
        this.keyTag = keyTag;
    }

    /** The tag inside the key text, so a person can tell keys apart: {@code sk_live_...}, {@code sk_eval_...}. */
    public String keyTag() {
        return keyTag;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ApiKeyKind fromWire(String value) {
        for (ApiKeyKind kind : values()) {
            if (kind.wire().equals(value)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown key kind '" + value + "'; use live or evaluation");
    }
}
