package dev.sluice.server.drop;

import java.util.regex.Pattern;

/**
 * Blob keys inside an account's SFTP drop. Whatever is written under {@link #folder(String)} through the
 * blob storage is what the account sees over SFTP, {@code exports/} appearing as {@code /exports}.
 */
public final class DropKeys {

    /** Folder of exported files inside the drop, as seen over SFTP: {@code /exports}. */
    public static final String EXPORTS = "exports";

    /** Account ids and file names that may become part of a key: no separators, no dot-only names. */
    private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,254}");

    private DropKeys() {
    }

    /** The root of an account's drop, e.g. {@code accounts/acc_01j.../drop}. */
    public static String folder(String accountId) {
        return "accounts/" + segment("account id", accountId) + "/drop";
    }

    /** Where an export's file goes: {@code accounts/<account>/drop/exports/<fileName>}. */
    public static String exportFile(String accountId, String fileName) {
        return folder(accountId) + "/" + EXPORTS + "/" + segment("file name", fileName);
    }

    private static String segment(String what, String value) {
        if (value == null || !SAFE_SEGMENT.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a valid " + what + " for the SFTP drop: "
                    + "use letters, digits, '.', '_' and '-' only, at most 255 characters, not starting with '.' or '-'");
        }
        return value;
    }
}
