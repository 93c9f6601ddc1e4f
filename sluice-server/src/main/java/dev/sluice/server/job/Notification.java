package dev.sluice.server.job;

/** Where to tell a client that a job changed: a URL and the HTTP method ({@code GET} or {@code POST}). */
public record Notification(String url, String method) {
}
