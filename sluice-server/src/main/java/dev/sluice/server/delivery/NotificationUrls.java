package dev.sluice.server.delivery;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The one rule for notification URLs, asked by the native API and every front door when a job is created and
 * by {@link DeliveryWorker} before each attempt, so a URL accepted at the door is never refused later for its
 * shape: an absolute URI with a host, {@code https}, or plain {@code http} only where the operator set
 * {@code sluice.delivery.allow-http}. Where the host resolves to is the worker's question
 * ({@code ingest.AddressGuard}, at connect time): a name can resolve elsewhere by then.
 */
@Component
public final class NotificationUrls {

    /** Why a URL cannot be a notification URL. */
    public enum Reason {
        /** Not a URI at all. */
        NOT_A_URI,
        /** A relative URI or one without a host. */
        NO_HOST,
        /** A scheme other than https and http. */
        SCHEME,
        /** Plain http while {@code sluice.delivery.allow-http} is off. */
        PLAIN_HTTP
    }

    /** A refusal: its reason and a sentence that completes "the notification URL ...". */
    public record Refusal(Reason reason, String sentence) {
    }

    private final boolean allowHttp;

    public NotificationUrls(DeliveryProperties properties) {
        this.allowHttp = properties.allowHttp();
    }

    /** Whether plain http URLs may be used; the doors say so in their own words. */
    public boolean allowHttp() {
        return allowHttp;
    }

    /** Why {@code url} (as given, passwords still in it) cannot be called, or empty when it can. */
    public Optional<Refusal> refusal(String url) {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.strip());
        } catch (URISyntaxException e) {
            return Optional.of(new Refusal(Reason.NOT_A_URI, "is not a valid URI"));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return Optional.of(new Refusal(Reason.SCHEME, scheme.isEmpty()
                    ? "must be an absolute https URL" : "must be https, not '" + scheme + "'"));
        }
        if (uri.getHost() == null) {
            return Optional.of(new Refusal(Reason.NO_HOST, "has no host; send an absolute https URL"));
        }
        if (scheme.equals("http") && !allowHttp) {
            return Optional.of(new Refusal(Reason.PLAIN_HTTP,
                    "must be https; an operator can allow http with sluice.delivery.allow-http"));
        }
        return Optional.empty();
    }
}
