package dev.sluice.core.verify.dns;

import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.Record;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;

/**
 * The answer to one DNS question, with dnsjava's exceptions turned into values so the resolver can
 * combine answers without exceptional futures.
 *
 * @param outcome what kind of answer
 * @param records the records of the asked type (empty unless {@code RECORDS}; empty {@code RECORDS} is NODATA)
 */
record DnsAnswer(Outcome outcome, List<Record> records) {

    enum Outcome {
        /** NOERROR; no records of the type is NODATA. */
        RECORDS,
        /** The name does not exist. */
        NXDOMAIN,
        /** SERVFAIL, REFUSED, a broken answer or any other error. */
        FAILURE,
        /** No answer in time. */
        TIMEOUT
    }

    DnsAnswer {
        records = List.copyOf(records);
    }

    static DnsAnswer of(List<Record> records, int type) {
        return new DnsAnswer(Outcome.RECORDS, records.stream().filter(r -> r.getType() == type).toList());
    }

    static DnsAnswer failed(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof NoSuchDomainException) {
            return new DnsAnswer(Outcome.NXDOMAIN, List.of());
        }
        if (cause instanceof NoSuchRRSetException) {
            return new DnsAnswer(Outcome.RECORDS, List.of());
        }
        return new DnsAnswer(isTimeout(cause) ? Outcome.TIMEOUT : Outcome.FAILURE, List.of());
    }

    boolean isProblem() {
        return outcome == Outcome.FAILURE || outcome == Outcome.TIMEOUT;
    }

    static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
