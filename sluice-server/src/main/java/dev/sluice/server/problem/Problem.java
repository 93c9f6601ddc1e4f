package dev.sluice.server.problem;

import java.util.Locale;

/**
 * The closed set of error codes of the native API, each with its HTTP status. The code is the stable
 * {@code code} member of the problem details; the status may not be enough to tell causes apart.
 */
public enum Problem {
    /** The request body or a parameter is not what the endpoint takes. */
    INVALID_REQUEST(400),
    /** No API key, or one that is not known. */
    UNAUTHORIZED(401),
    /** The key is known but may not do this (for example, only admin keys create accounts). */
    FORBIDDEN(403),
    /** A signed link whose signature does not match its method, path and expiry. */
    INVALID_SIGNATURE(403),
    /** Nothing with that id belongs to the caller's account. */
    NOT_FOUND(404),
    /** The HTTP method is not allowed on this path. */
    METHOD_NOT_ALLOWED(405),
    /** The request body came too slowly (below the minimum rate, or past the deadline); nothing of it was kept. */
    REQUEST_TIMEOUT(408),
    /** The resource is not in a state that allows this (e.g. uploading twice, result before completion). */
    CONFLICT(409),
    /** The Idempotency-Key was used before with a different request. */
    IDEMPOTENCY_KEY_REUSED(409),
    /** A signed link that has expired, or a result past its retention. */
    GONE(410),
    /** The file or body is over the configured size limit; nothing of it was kept. */
    PAYLOAD_TOO_LARGE(413),
    /** The {@code Accept} header names no media type this endpoint answers in. */
    NOT_ACCEPTABLE(406),
    /** The body's media type is not one this endpoint reads. */
    UNSUPPORTED_MEDIA_TYPE(415),
    /** Every live job stream this node allows is open; close one or retry later. */
    TOO_MANY_STREAMS(429),
    /** The account already has as many uploads in progress as it may; finish one or retry later. */
    TOO_MANY_UPLOADS(429),
    /**
     * An evaluation key's account made its single-address checks of the day ({@code
     * sluice.verify.single.evaluation-daily-limit}); {@code Retry-After} says when the next UTC day starts.
     */
    TOO_MANY_CHECKS(429),
    /** The server failed; the request may be retried. */
    INTERNAL_ERROR(500),
    /** Every request body this node reads at once is being read; retry shortly, the body was not read. */
    SERVER_BUSY(503),
    /** This node runs without the {@code api} role; the request belongs on another node. */
    NOT_AN_API_NODE(503),
    /**
     * The server's disk is full or under its free-space reserve: new uploads are refused until room is made
     * (deleting jobs frees it); nothing of the refused request was kept.
     */
    INSUFFICIENT_STORAGE(507);

    private final int status;

    Problem(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The stable code, e.g. {@code payload_too_large}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
