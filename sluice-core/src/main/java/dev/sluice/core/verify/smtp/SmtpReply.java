package dev.sluice.core.verify.smtp;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SMTP reply: the three-digit code and the text of each line (without code and separator). The
 * enhanced status code of RFC 3463 ({@code 5.1.1}) is read from the start of the first line's text when
 * present.
 */
record SmtpReply(int code, List<String> lines) {

    private static final Pattern ENHANCED = Pattern.compile("^([245])\\.(\\d{1,3})\\.(\\d{1,3})(?:\\s|$)");

    SmtpReply {
        lines = List.copyOf(lines);
    }

    /** The first line's text, what gets reported. */
    String text() {
        return lines.isEmpty() ? "" : lines.get(0);
    }

    /** All lines joined, for text heuristics. */
    String fullText() {
        return String.join(" ", lines);
    }

    /** The reply as the server wrote it on its first line, {@code 550 5.1.1 no such user}. */
    String display() {
        return text().isEmpty() ? Integer.toString(code) : code + " " + text();
    }

    boolean isPositive() {
        return code >= 200 && code < 300;
    }

    boolean isTransient() {
        return code >= 400 && code < 500;
    }

    boolean isPermanent() {
        return code >= 500 && code < 600;
    }

    /** The enhanced status code's subject ({@code 1} in {@code 5.1.1}), or -1 when there is none. */
    int enhancedSubject() {
        Matcher m = ENHANCED.matcher(text());
        return m.find() ? Integer.parseInt(m.group(2)) : -1;
    }

    /** The enhanced status code's detail ({@code 1} in {@code 5.1.1}), or -1 when there is none. */
    int enhancedDetail() {
        Matcher m = ENHANCED.matcher(text());
        return m.find() ? Integer.parseInt(m.group(3)) : -1;
    }

    /** Whether an EHLO reply lists the extension keyword (case-insensitive, first word of a line). */
    boolean advertises(String keyword) {
        // the first line is the greeting; extensions follow, one per line
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int space = line.indexOf(' ');
            String word = space < 0 ? line : line.substring(0, space);
            if (word.equalsIgnoreCase(keyword)) {
                return true;
            }
        }
        return false;
    }
}
