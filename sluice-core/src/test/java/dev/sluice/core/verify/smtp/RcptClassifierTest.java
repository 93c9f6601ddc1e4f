package dev.sluice.core.verify.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RcptClassifierTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            250 | 2.1.5 Ok                                               | ACCEPTED
            251 | User not local; will forward                           | ACCEPTED
            550 | 5.1.1 <a@b.c>: Recipient address rejected: User unknown | MAILBOX_NOT_FOUND
            553 | 5.1.3 Bad recipient address syntax                     | MAILBOX_NOT_FOUND
            551 | 5.1.6 Mailbox has moved                                | MAILBOX_NOT_FOUND
            550 | Requested action not taken: mailbox unavailable, no such user | MAILBOX_NOT_FOUND
            550 | 5.0.0 <a@b.c>... User unknown                          | MAILBOX_NOT_FOUND
            550 | The email account that you tried to reach does not exist | MAILBOX_NOT_FOUND
            550 | 5.7.1 Service unavailable; user unknown in spam list   | REJECTED
            550 | 5.1.8 Sender address rejected: Domain not found        | REJECTED
            550 | 5.7.1 Client host blocked using zen.spamhaus.org       | REJECTED
            554 | 5.7.1 Relay access denied                              | REJECTED
            552 | 5.2.2 Mailbox full                                     | MAILBOX_FULL
            552 | Requested mail action aborted: exceeded storage allocation | MAILBOX_FULL
            550 | 5.2.2 Over quota                                       | MAILBOX_FULL
            452 | 4.2.2 Over quota                                       | MAILBOX_FULL
            550 | 5.2.1 Mailbox disabled, not accepting messages         | MAILBOX_DISABLED
            450 | 4.2.0 Mailbox busy                                     | GREYLISTED
            451 | 4.7.1 Greylisted, try again later                      | GREYLISTED
            452 | 4.5.3 Too many recipients                              | TEMPORARY_FAILURE
            421 | 4.3.2 Service shutting down                            | TEMPORARY_FAILURE
            354 | go ahead                                               | PROTOCOL_ERROR
            252 | Cannot VRFY user                                       | PROTOCOL_ERROR
            """)
    void rcpt_reply_is_classified(int code, String text, RcptOutcome expected) {
        // when
        RcptOutcome outcome = RcptClassifier.classify(new SmtpReply(code, List.of(text)));

        // then
        assertThat(outcome).isEqualTo(expected);
    }
}
