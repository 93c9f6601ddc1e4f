/**
 * The front-door kit: what the native API ({@code api}) and every seed-compatible front door
 * ({@code compat.<seed>}) share at the HTTP edge, written once. {@link dev.sluice.server.door.PublicUrls}
 * builds absolute links and hosts from {@code sluice.public-url} or the request; {@link
 * dev.sluice.server.door.JsonBodies} reads a JSON body by hand within a bound, and {@code JsonBodyLimit}
 * bounds every {@code @RequestBody}; {@link dev.sluice.server.door.RequestErrors} turns any failure of a
 * request into the common error model ({@link dev.sluice.server.door.DoorError}: a {@code problem.Problem}
 * and a sentence), which the native API speaks as problem details and each door maps to its seed's envelope
 * in its one error handler. The notification URL rule is {@code delivery.NotificationUrls}, because the
 * delivery worker asks it too. May use the native core (problem, config, ingest, job, storage) and Spring
 * Web; knows neither the native API nor any door.
 */
package dev.sluice.server.door;
