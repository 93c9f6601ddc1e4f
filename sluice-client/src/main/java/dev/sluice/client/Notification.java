package dev.sluice.client;

import java.util.Objects;

/**
 * Where the server announces each batch that reaches a final status.
 *
 * @param url    an absolute https URL (http only when the server allows it)
 * @param method {@code POST} (a signed JSON body) or {@code GET} (query parameters)
 */
public record Notification(String url, String method) {

    public Notification {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(method, "method");
    }

    /** A POST of the signed JSON event to {@code url}. */
    public static Notification post(String url) {
        return new Notification(url, "POST");
    }
}
