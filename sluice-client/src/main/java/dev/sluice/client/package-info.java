/**
 * Java SDK over Sluice's native HTTP API ({@code /api/v1}). Built on {@code java.net.http} and
 * Jackson only, with no Spring, so any JVM application can embed it. {@link dev.sluice.client.SluiceClient}
 * is the entry point; requests and responses are records mirroring the API's snake_case JSON, and every
 * error answer surfaces as a {@link dev.sluice.client.SluiceApiException} carrying the RFC 9457 problem.
 */
package dev.sluice.client;
