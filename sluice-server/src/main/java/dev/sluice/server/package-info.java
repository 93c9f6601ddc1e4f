/**
 * The Sluice server application. Its packages are capabilities ({@code job}, {@code ingest},
 * {@code verify}, {@code account}) used by the HTTP layers (the native {@code api} and the seed-compatible
 * front doors {@code compat.<seed>}, which share the front-door kit {@code door}) and using the shared
 * {@code store}, {@code storage}, {@code problem} and {@code config}.
 */
package dev.sluice.server;
