package dev.sluice.core.verify;

import java.util.Locale;

/**
 * The key under which two cells of one batch are the same address, so that it is verified once: the cell
 * without surrounding spaces, its domain in lower case. For {@code gmail.com} and {@code googlemail.com} only,
 * the local part is also lower-cased, its dots dropped and a {@code +tag} cut, and both domains are one: Gmail
 * documents that it delivers all those spellings to one mailbox. Elsewhere they are kept apart on purpose:
 * Outlook and Yahoo treat dots as part of the name, Yahoo's sub-addresses use {@code -}, and a company's server
 * may well deliver {@code j.doe} and {@code jdoe}, or {@code sales+eu} and {@code sales}, to different people;
 * merging them would hand one person's verdict to another. Local parts keep their case outside Gmail too (RFC
 * 5321 lets a server tell them apart).
 */
public final class DuplicateKey {

    private DuplicateKey() {
    }

    /** The key of a cell, or null when the cell holds no address to compare (blank, or without {@code @}). */
    public static String of(String cell) {
        if (cell == null) {
            return null;
        }
        String address = cell.strip();
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return null;
        }
        if (isPlainDomain(address, at + 1)) {
            // the common case: the domain is lower-case ASCII and not Gmail's, so the address is its own key
            return address;
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1).toLowerCase(Locale.ROOT);
        if (domain.equals("gmail.com") || domain.equals("googlemail.com")) {
            int plus = local.indexOf('+');
            String name = (plus < 0 ? local : local.substring(0, plus)).replace(".", "").toLowerCase(Locale.ROOT);
            return name + "@gmail.com";
        }
        return local + "@" + domain;
    }

    /**
     * The common case of {@link #of}, on a cell held in {@code chars[from..to)} and without making a string: when the
     * cell without its surrounding white space is its own key (an address whose domain is ASCII without capitals and
     * not Gmail's), answers where that key lies, {@code start << 32 | end}; otherwise -1, and {@link #of} tells the key
     * (or that there is none).
     */
    public static long plainBounds(char[] chars, int from, int to) {
        int start = from;
        int end = to;
        // as String.strip: white space is all in the basic plane, so a char tells what its code point does
        while (start < end && Character.isWhitespace(chars[start])) {
            start++;
        }
        while (end > start && Character.isWhitespace(chars[end - 1])) {
            end--;
        }
        int at = end - 1;
        while (at >= start && chars[at] != '@') {
            if (!isPlainDomainChar(chars[at])) {
                return -1;
            }
            at--;
        }
        if (at < start || isGmail(chars, at + 1, end)) {
            return -1;
        }
        return (long) start << 32 | end;
    }

    /** ASCII and not a capital: a domain of such chars is already its key's domain. */
    private static boolean isPlainDomainChar(char c) {
        return c < 0x80 && (c < 'A' || c > 'Z');
    }

    private static boolean isGmail(char[] chars, int from, int to) {
        return regionIs(chars, from, to, "gmail.com") || regionIs(chars, from, to, "googlemail.com");
    }

    private static boolean regionIs(char[] chars, int from, int to, String text) {
        if (to - from != text.length()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (chars[from + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the domain from {@code from} on is ASCII without capitals and neither of Gmail's domains. */
    private static boolean isPlainDomain(String address, int from) {
        for (int i = from; i < address.length(); i++) {
            if (!isPlainDomainChar(address.charAt(i))) {
                return false;
            }
        }
        int length = address.length() - from;
        return !(length == 9 && address.startsWith("gmail.com", from))
                && !(length == 14 && address.startsWith("googlemail.com", from));
    }
}
