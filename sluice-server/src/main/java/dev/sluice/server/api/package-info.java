/**
 * The native HTTP API under {@code /api/v1}: JSON in snake_case, errors as RFC 9457 problem details with
 * a stable {@code code}, the caller taken from the API key. Translates requests onto the capabilities
 * ({@code job}, {@code ingest}, {@code account}) and holds no SQL. Shares the front-door kit ({@code door}:
 * public URLs, bounded JSON bodies, the common error model that {@code ProblemHandler} speaks as problem
 * details) with the seed-compatible doors, and never uses a door ({@code compat.*}). Also streams a job's progress as
 * server-sent events, which the web console (static files under {@code static/}) follows.
 */
package dev.sluice.server.api;
