package dev.sluice.core.verify;

import dev.sluice.core.verify.smtp.SmtpTranscript;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SMTP conversations behind one {@link VerificationEngine#verifyAll(java.util.List, String, Transcripts)}
 * call, one per domain probed, for a job that asked to keep transcripts. Passing none (the default) keeps
 * nothing and costs nothing. Filled by the engine's domain threads, read once the call returned.
 */
public final class Transcripts {

    /** Where a verdict's evidence came from, as a transcript tells it. */
    public enum Source {
        /** An SMTP conversation held for this verification. */
        SMTP,
        /** The cache: the verdict, or the domain's catch-all answer, was known without talking to a server. */
        CACHE,
        /** No mail server was asked: syntax, lists or DNS decided. */
        NONE
    }

    private final Map<String, SmtpTranscript> byDomain = new ConcurrentHashMap<>();
    private final Set<String> catchAllFromCache = ConcurrentHashMap.newKeySet();

    /** Starts the transcript of {@code domain}'s probe. */
    SmtpTranscript open(String domain) {
        SmtpTranscript transcript = new SmtpTranscript();
        byDomain.put(domain, transcript);
        return transcript;
    }

    /** Notes that {@code domain} was not probed because the cache knew it accepts any address. */
    void catchAllFromCache(String domain) {
        catchAllFromCache.add(domain);
    }

    /** The conversation held with {@code domain}'s mail servers, if one was. */
    public Optional<SmtpTranscript> of(String domain) {
        return Optional.ofNullable(byDomain.get(domain));
    }

    /** Every conversation held, by domain. */
    public Map<String, SmtpTranscript> byDomain() {
        return Map.copyOf(byDomain);
    }

    /** Where {@code verdict} came from. */
    public Source source(Verdict verdict) {
        if (verdict.cached()) {
            return Source.CACHE;
        }
        if (verdict.normalized() == null) {
            return Source.NONE;
        }
        String domain = verdict.normalized().substring(verdict.normalized().lastIndexOf('@') + 1);
        if (catchAllFromCache.contains(domain)) {
            return Source.CACHE;
        }
        SmtpTranscript transcript = byDomain.get(domain);
        return transcript != null && !transcript.connections().isEmpty() ? Source.SMTP : Source.NONE;
    }
}
