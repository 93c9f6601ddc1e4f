/**
 * The SFTP drop: an SSH server (Apache MINA SSHD) inside the application where each account logs in
 * with its own SFTP credentials and reads, never writes, its own drop folder of the blob storage
 * ({@code accounts/<account>/drop/}); exports are placed there under {@code exports/} (see
 * {@link dev.sluice.server.drop.DropKeys}). On local storage the session sees that folder itself; on S3
 * a local mirror of it, brought up to date at each login. Owns the {@code sftp_credentials} table and the
 * shared host key; uses {@code store}, {@code storage} and {@code config}, and knows no other capability.
 */
package dev.sluice.server.drop;
