package dev.sluice.core.verify.smtp;

import dev.sluice.core.verify.providers.Provider;
import java.time.Duration;
import java.util.Map;

/**
 * How the SMTP stage talks to mail servers.
 *
 * @param port                    port of every MX (25 on the internet)
 * @param heloName                name given in EHLO/HELO
 * @param mailFrom                envelope sender in MAIL FROM (empty string for the null sender {@code <>})
 * @param connectTimeout          time to open a connection
 * @param readTimeout             time to wait for any reply
 * @param startTls                upgrade with STARTTLS when the server offers it
 * @param recipientsPerConnection most RCPT TO on one connection before reconnecting
 * @param connectionsPerDomain    most connections open at once to one domain's servers
 * @param maxRcptPerSecondPerDomain most RCPT TO per second to one domain (0 = no limit)
 * @param retry                   what to do with 4xx answers (greylisting, busy servers)
 * @param proxy                   SOCKS5 proxy every connection goes through, or null to connect directly
 * @param routes                  per provider name, a route overriding {@code proxy} for that provider's domains
 */
public record SmtpSettings(int port, String heloName, String mailFrom, Duration connectTimeout, Duration readTimeout,
        boolean startTls, int recipientsPerConnection, int connectionsPerDomain, double maxRcptPerSecondPerDomain,
        RetryPolicy retry, SmtpProxy proxy, Map<String, SmtpRoute> routes) {

    /** Settings that connect directly, without a proxy. */
    public SmtpSettings(int port, String heloName, String mailFrom, Duration connectTimeout, Duration readTimeout,
            boolean startTls, int recipientsPerConnection, int connectionsPerDomain, double maxRcptPerSecondPerDomain,
            RetryPolicy retry) {
        this(port, heloName, mailFrom, connectTimeout, readTimeout, startTls, recipientsPerConnection,
                connectionsPerDomain, maxRcptPerSecondPerDomain, retry, null);
    }

    /** Settings where every provider goes the same way: through {@code proxy}, or directly when it is null. */
    public SmtpSettings(int port, String heloName, String mailFrom, Duration connectTimeout, Duration readTimeout,
            boolean startTls, int recipientsPerConnection, int connectionsPerDomain, double maxRcptPerSecondPerDomain,
            RetryPolicy retry, SmtpProxy proxy) {
        this(port, heloName, mailFrom, connectTimeout, readTimeout, startTls, recipientsPerConnection,
                connectionsPerDomain, maxRcptPerSecondPerDomain, retry, proxy, Map.of());
    }

    public SmtpSettings {
        routes = Map.copyOf(routes);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("SMTP port must be 1..65535, was " + port);
        }
        if (recipientsPerConnection < 1 || connectionsPerDomain < 1) {
            throw new IllegalArgumentException("recipients per connection and connections per domain must be at least 1");
        }
    }

    /** The proxy for a domain of {@code provider} (null: unknown), or null to connect directly. */
    public SmtpProxy proxyFor(Provider provider) {
        SmtpRoute route = provider == null ? null : routes.get(provider.name());
        return route == null ? proxy : route.proxy();
    }
}
