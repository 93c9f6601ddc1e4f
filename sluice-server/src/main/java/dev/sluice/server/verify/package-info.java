/**
 * The verify operation in the server: runs the core's email verifier over each chunk and assembles the
 * result file. Plugs into {@code job} as a chunk processor; the verification itself lives in
 * {@code sluice-core}. It also owns what the verification of every node shares: the provider table bean, and the
 * SMTP throttles kept in the store ({@code ThrottleStore}, used through {@code ClusterThrottle}).
 */
package dev.sluice.server.verify;
