package dev.sluice.core.verify.smtp;

import java.util.List;
import java.util.Locale;

/**
 * Turns a reply to {@code RCPT TO} into an outcome. Transient replies come back as {@link
 * RcptOutcome#GREYLISTED} (450, 451) or {@link RcptOutcome#TEMPORARY_FAILURE} (other 4xx): the prober
 * retries both and keeps them only when the retries are used up.
 */
final class RcptClassifier {

    /** Texts servers use for an unknown mailbox when they give no (or a generic) enhanced status code. */
    private static final List<String> UNKNOWN_USER_TEXTS = List.of("user unknown", "unknown user", "no such user",
            "does not exist", "doesn't exist", "no such mailbox", "mailbox not found", "unknown recipient",
            "recipient unknown", "invalid recipient", "invalid mailbox", "user not found", "address rejected: user");

    private RcptClassifier() {
    }

    static RcptOutcome classify(SmtpReply reply) {
        int code = reply.code();
        int subject = reply.enhancedSubject();
        int detail = reply.enhancedDetail();
        if (code == 250 || code == 251) {
            return RcptOutcome.ACCEPTED;
        }
        if (code == 552 || (subject == 2 && detail == 2 && (reply.isPermanent() || reply.isTransient()))) {
            // 452 4.2.2 is "over quota" too: final, a retry an hour later would not change it
            return RcptOutcome.MAILBOX_FULL;
        }
        if (reply.isTransient()) {
            return code == 450 || code == 451 ? RcptOutcome.GREYLISTED : RcptOutcome.TEMPORARY_FAILURE;
        }
        if (!reply.isPermanent()) {
            // 1xx, 3xx, 252 and friends are not answers to RCPT TO
            return RcptOutcome.PROTOCOL_ERROR;
        }
        if (subject == 2 && detail == 1) {
            return RcptOutcome.MAILBOX_DISABLED;
        }
        if (code == 550 || code == 551 || code == 553) {
            // x.1.7 and x.1.8 are about the sender's address, not the recipient's
            if (subject == 1 && detail != 7 && detail != 8) {
                return RcptOutcome.MAILBOX_NOT_FOUND;
            }
            // text is trusted only when the enhanced code does not say something else (5.7.1 is policy)
            if ((subject == -1 || subject == 0) && saysUnknownUser(reply)) {
                return RcptOutcome.MAILBOX_NOT_FOUND;
            }
        }
        return RcptOutcome.REJECTED;
    }

    /** The outcomes that mean "ask again later". */
    static boolean isTransient(RcptOutcome outcome) {
        return outcome == RcptOutcome.GREYLISTED || outcome == RcptOutcome.TEMPORARY_FAILURE;
    }

    private static boolean saysUnknownUser(SmtpReply reply) {
        String text = reply.fullText().toLowerCase(Locale.ROOT);
        return UNKNOWN_USER_TEXTS.stream().anyMatch(text::contains);
    }
}
