package dev.sluice.server.drop;

import java.io.IOException;
import java.nio.file.Path;

/** Where an account's SFTP session is rooted: a local folder holding exactly its drop's files. */
interface DropFolders {

    /** The account's drop folder, with {@code exports/} in it, up to date as of this call. */
    Path home(String accountId) throws IOException;
}
