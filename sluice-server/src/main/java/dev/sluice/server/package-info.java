/**
 * The Sluice server application. Its packages are capabilities ({@code job}, {@code ingest},
 * {@code verify}, {@code account}) used by the HTTP layer ({@code api}) and using the shared
 * {@code store}, {@code storage}, {@code problem} and {@code config}.
 */
package dev.sluice.server;
