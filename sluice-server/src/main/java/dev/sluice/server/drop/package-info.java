/**
 * The SFTP drop: an SSH server (Apache MINA SSHD) inside the application where each account logs in
 * with its own SFTP credentials and reads, never writes, its own folder of the local blob directory
 * ({@code accounts/<account>/drop/}); exports are placed there under {@code exports/} (see
 * {@link dev.sluice.server.drop.DropKeys}). Owns the {@code sftp_credentials} table and the shared host
 * key; uses {@code store} and {@code config}, and knows no other capability.
 */
package dev.sluice.server.drop;
