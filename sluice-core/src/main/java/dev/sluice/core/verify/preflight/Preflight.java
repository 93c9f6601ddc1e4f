package dev.sluice.core.verify.preflight;

import dev.sluice.core.verify.dns.DnsDomainResolver;
import dev.sluice.core.verify.dns.DnsSettings;
import dev.sluice.core.verify.dns.MailDomain;
import dev.sluice.core.verify.dns.MailDomainStatus;
import dev.sluice.core.verify.dns.MxHost;
import dev.sluice.core.verify.dns.NameLookup;
import dev.sluice.core.verify.providers.Provider;
import dev.sluice.core.verify.providers.ProviderTable;
import dev.sluice.core.verify.smtp.MxAddressPolicy;
import dev.sluice.core.verify.smtp.SmtpEgress;
import dev.sluice.core.verify.smtp.SmtpProxy;
import dev.sluice.core.verify.smtp.SmtpSettings;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.xbill.DNS.Address;

/**
 * Runs the {@link PreflightCheck}s once, blocking (up to a DNS timeout per question and one connect timeout for
 * the canaries' mail servers together). Nothing is cached between runs: DNS is asked afresh each time, so a
 * repaired resolver is noticed at the next run. Addresses are never mailed: the egress check closes its
 * connection before the banner.
 *
 * <p>What each check needs: the resolver check needs DNS; the egress check needs the canaries' mail servers from
 * a passed resolver check; the HELO and blocklist checks need DNS and SMTP. A check whose needs are not met is
 * {@link CheckStatus#SKIPPED}, and a skipped check doubts nothing.
 */
public final class Preflight {

    /** Local part prefix of the random name asked under the first canary; such a name cannot exist. */
    static final String RANDOM_PREFIX = "sluice-";

    private static final String DNS_PAUSED = "verdicts that rest on DNS are unknown / dns_unreliable until a later"
            + " check passes (sluice.verify.dns.servers names the resolvers)";
    private static final String SMTP_PAUSED = "the SMTP stage is paused and addresses are unknown /"
            + " smtp_egress_blocked until a later check passes";

    private final List<String> canaries;
    private final List<String> blocklists;
    private final DnsSettings dns;
    private final SmtpSettings smtp;
    private final MxAddressPolicy addressPolicy;
    private final Clock clock;
    private final DnsDomainResolver resolver;
    private final NameLookup names;
    private final ProviderTable providers;

    /**
     * @param canaries   well-known mail domains that must have MX records (lower-case ASCII)
     * @param blocklists DNS blocklist zones asked about the egress address, e.g. {@code zen.spamhaus.org}
     * @param dns        the DNS stage's settings, or null when DNS is disabled
     * @param smtp       the SMTP stage's settings, or null when SMTP is disabled
     * @param addressPolicy the SMTP stage's guard: canary mail server addresses it refuses are not tried
     */
    public Preflight(List<String> canaries, List<String> blocklists, DnsSettings dns, SmtpSettings smtp,
            MxAddressPolicy addressPolicy, Clock clock) {
        this(canaries, blocklists, dns, smtp, addressPolicy, ProviderTable.shipped(), clock);
    }

    /**
     * As {@link #Preflight(List, List, DnsSettings, SmtpSettings, MxAddressPolicy, Clock)}, with the provider
     * table that picks each canary mail server's route ({@code sluice.verify.smtp.routes.<provider>.proxy}), so
     * the egress check connects the way verification would.
     */
    public Preflight(List<String> canaries, List<String> blocklists, DnsSettings dns, SmtpSettings smtp,
            MxAddressPolicy addressPolicy, ProviderTable providers, Clock clock) {
        this.providers = Objects.requireNonNull(providers, "providers");
        this.canaries = canaries.stream().map(c -> c.strip().toLowerCase(Locale.ROOT)).filter(c -> !c.isEmpty())
                .toList();
        this.blocklists = blocklists.stream().map(String::strip).filter(z -> !z.isEmpty()).toList();
        this.dns = dns;
        this.smtp = dns == null ? null : smtp;
        this.addressPolicy = Objects.requireNonNull(addressPolicy, "addressPolicy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.resolver = dns == null ? null
                : new DnsDomainResolver(dns.withCacheTtls(Duration.ZERO, Duration.ZERO), clock);
        this.names = dns == null ? null : new NameLookup(dns);
    }

    /** Makes every check once and answers them in {@link PreflightCheck} order. */
    public PreflightReport run() {
        if (dns == null) {
            String why = "DNS is disabled (sluice.verify.dns.enabled=false): only offline checks run.";
            return new PreflightReport(List.of(skipped(PreflightCheck.RESOLVER, why),
                    skipped(PreflightCheck.SMTP_EGRESS, why), skipped(PreflightCheck.HELO_NAME, why),
                    skipped(PreflightCheck.BLOCKLISTS, why)));
        }
        Map<String, MailDomain> canaryMail = new LinkedHashMap<>();
        CheckResult resolverResult = checkResolver(canaryMail);
        if (smtp == null) {
            String why = "SMTP is disabled (sluice.verify.smtp.enabled=false): no mail server is asked.";
            return new PreflightReport(List.of(resolverResult, skipped(PreflightCheck.SMTP_EGRESS, why),
                    skipped(PreflightCheck.HELO_NAME, why), skipped(PreflightCheck.BLOCKLISTS, why)));
        }
        InetAddress[] egressAddress = new InetAddress[1];
        CheckResult egress = resolverResult.status() == CheckStatus.OK
                ? checkEgress(canaryMail, egressAddress)
                : skipped(PreflightCheck.SMTP_EGRESS, "The canaries' mail servers are unknown: the resolver check "
                        + (resolverResult.failed() ? "failed." : "was skipped."));
        NameLookup.Answer helo = names.addresses(smtp.heloName());
        CheckResult heloResult = checkHelo(helo, egressAddress[0]);
        CheckResult blocklistResult = checkBlocklists(helo, egressAddress[0]);
        return new PreflightReport(List.of(resolverResult, egress, heloResult, blocklistResult));
    }

    private CheckResult checkResolver(Map<String, MailDomain> canaryMail) {
        if (canaries.isEmpty()) {
            return skipped(PreflightCheck.RESOLVER, "No canary domains are configured (sluice.verify.dns.canaries).");
        }
        String random = randomName(canaries.get(0));
        Map<String, CompletableFuture<MailDomain>> asked = new LinkedHashMap<>();
        for (String canary : canaries) {
            asked.put(canary, resolver.resolve(canary));
        }
        CompletableFuture<MailDomain> randomAnswer = resolver.resolve(random);
        asked.forEach((canary, answer) -> canaryMail.put(canary, answer.join()));
        for (MailDomain mail : canaryMail.values()) {
            String problem = switch (mail.status()) {
                case MX -> null;
                case NO_SUCH_DOMAIN -> "The resolver says " + mail.domain() + " does not exist";
                case TIMEOUT -> "The resolver did not answer about " + mail.domain() + " within " + dns.timeout();
                case FAILURE -> "The resolver failed to answer about " + mail.domain()
                        + " (SERVFAIL or a broken reply)";
                case NULL_MX, NO_MAIL_SERVER, IMPLICIT_MX -> "The resolver says " + mail.domain() + " has no MX record";
            };
            if (problem != null) {
                return failed(PreflightCheck.RESOLVER, problem + ": " + DNS_PAUSED + ".");
            }
        }
        MailDomain made = randomAnswer.join();
        if (made.status() == MailDomainStatus.TIMEOUT || made.status() == MailDomainStatus.FAILURE) {
            return failed(PreflightCheck.RESOLVER, "The resolver did not answer about the random name " + random
                    + ": " + DNS_PAUSED + ".");
        }
        if (made.status() != MailDomainStatus.NO_SUCH_DOMAIN) {
            return failed(PreflightCheck.RESOLVER, "The resolver answers the random name " + random
                    + ", which cannot exist (it makes answers up): " + DNS_PAUSED + ".");
        }
        return ok(PreflightCheck.RESOLVER, list(canaries) + (canaries.size() == 1 ? " has" : " have")
                + " MX records and the random name " + random + " does not exist.");
    }

    /** One canary mail server address the egress check connects to, and the proxy its provider's route names. */
    private record Target(String host, InetAddress address, SmtpProxy proxy) {
        @Override
        public String toString() {
            return host + " [" + address.getHostAddress() + "]";
        }
    }

    /**
     * Connects to each canary's first mail server at once (one attempt per canary, on virtual threads), so a
     * blocked egress costs one connect timeout, not one per canary.
     */
    private CheckResult checkEgress(Map<String, MailDomain> canaryMail, InetAddress[] egressAddress) {
        List<Target> targets = new ArrayList<>();
        boolean anyAddress = false;
        for (MailDomain mail : canaryMail.values()) {
            MxHost host = mail.mxHosts().stream().filter(h -> !h.addresses().isEmpty())
                    .min(Comparator.comparingInt(MxHost::preference)).orElse(null);
            if (host == null) {
                continue;
            }
            anyAddress = true;
            InetAddress address = host.addresses().stream().filter(a -> addressPolicy.allows(host.host(), a))
                    .findFirst().orElse(null);
            if (address != null) {
                Provider provider = providers.forMxHosts(mail.mxHosts().stream().map(MxHost::host).toList());
                targets.add(new Target(host.host(), address, smtp.proxyFor(provider)));
            }
        }
        if (targets.isEmpty()) {
            return skipped(PreflightCheck.SMTP_EGRESS, anyAddress
                    ? "Every canary mail server address is refused by the MX address guard (sluice.verify.smtp.allow)."
                    : "No canary mail server has an address.");
        }
        SmtpEgress egress = new SmtpEgress(smtp);
        List<SmtpEgress.Attempt> attempts;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<SmtpEgress.Attempt>> running = targets.stream()
                    .map(t -> CompletableFuture.supplyAsync(() -> egress.attempt(t.address(), t.proxy()), threads)).toList();
            attempts = running.stream().map(CompletableFuture::join).toList();
        }
        String lastProblem = "";
        boolean proxyFailed = false;
        for (int i = 0; i < targets.size(); i++) {
            SmtpEgress.Attempt attempt = attempts.get(i);
            if (attempt.outcome() == SmtpEgress.Outcome.CONNECTED) {
                egressAddress[0] = attempt.localAddress();
                return ok(PreflightCheck.SMTP_EGRESS, "Connected to port " + smtp.port() + " of " + targets.get(i)
                        + (targets.get(i).proxy() == null ? "" : " through " + targets.get(i).proxy()) + ".");
            }
            lastProblem = attempt.detail();
            proxyFailed |= attempt.outcome() == SmtpEgress.Outcome.PROXY_FAILED;
        }
        List<String> tried = targets.stream().map(Target::toString).toList();
        if (proxyFailed) {
            return failed(PreflightCheck.SMTP_EGRESS, "The SOCKS5 proxy failed (" + lastProblem + "): " + SMTP_PAUSED
                    + ".");
        }
        return failed(PreflightCheck.SMTP_EGRESS, "No canary mail server could be reached on port " + smtp.port()
                + " (tried " + String.join(", ", tried) + "; last: " + lastProblem + "): outbound port " + smtp.port()
                + " is probably blocked, so " + SMTP_PAUSED + " (sluice.verify.smtp.proxy can route it elsewhere).");
    }

    private CheckResult checkHelo(NameLookup.Answer helo, InetAddress egressAddress) {
        String name = smtp.heloName();
        switch (helo.outcome()) {
            case FAILED -> {
                return failed(PreflightCheck.HELO_NAME, "The HELO name " + name + " could not be looked up (the"
                        + " resolver failed).");
            }
            case NO_SUCH_NAME, NO_RECORDS -> {
                return failed(PreflightCheck.HELO_NAME, "The HELO name " + name + " does not resolve, and mail"
                        + " servers distrust such a name: set sluice.verify.smtp.helo-name to this server's public"
                        + " name.");
            }
            case FOUND -> {
                // each address must name the HELO name back
            }
        }
        for (String address : helo.values()) {
            NameLookup.Answer back = names.pointers(literal(address));
            if (!back.values().contains(name.toLowerCase(Locale.ROOT))) {
                return failed(PreflightCheck.HELO_NAME, "The HELO name " + name + " resolves to " + address
                        + ", whose reverse DNS is " + (back.values().isEmpty() ? "missing" : list(back.values()))
                        + ": set the PTR record of " + address + " to " + name + ".");
            }
        }
        if (egressAddress != null && isPublic(egressAddress)
                && !helo.values().contains(egressAddress.getHostAddress())) {
            return failed(PreflightCheck.HELO_NAME, "The egress address " + egressAddress.getHostAddress()
                    + " is not among the addresses of the HELO name " + name + " (" + list(helo.values())
                    + "): set sluice.verify.smtp.helo-name to the egress address's name.");
        }
        return ok(PreflightCheck.HELO_NAME, "The HELO name " + name + " resolves to " + list(helo.values())
                + ", whose reverse DNS names it.");
    }

    private CheckResult checkBlocklists(NameLookup.Answer helo, InetAddress egressAddress) {
        if (blocklists.isEmpty()) {
            return skipped(PreflightCheck.BLOCKLISTS, "No DNS blocklists are configured (sluice.verify.smtp.dnsbl).");
        }
        List<InetAddress> asked = new ArrayList<>();
        if (egressAddress != null && isPublic(egressAddress)) {
            asked.add(egressAddress);
        } else if (helo.outcome() == NameLookup.Outcome.FOUND) {
            helo.values().stream().map(Preflight::literal).filter(Preflight::isPublic).forEach(asked::add);
        }
        if (asked.isEmpty()) {
            return skipped(PreflightCheck.BLOCKLISTS, "The public egress address is not known (a private address"
                    + " behind NAT, or a proxy) and the HELO name gives none, so no blocklist was asked.");
        }
        List<String> silent = new ArrayList<>();
        for (InetAddress address : asked) {
            for (String zone : blocklists) {
                NameLookup.Answer listed = names.ipv4(reversed(address) + "." + zone);
                boolean refused = listed.outcome() == NameLookup.Outcome.FAILED || (!listed.values().isEmpty()
                        && listed.values().stream().allMatch(v -> v.startsWith("127.255.255.")));
                if (refused) {
                    silent.add(zone);
                } else if (listed.outcome() == NameLookup.Outcome.FOUND) {
                    return failed(PreflightCheck.BLOCKLISTS, "The egress address " + address.getHostAddress()
                            + " is listed on " + zone + " (" + list(listed.values()) + "): mail servers may refuse"
                            + " the SMTP stage's questions; use another egress (sluice.verify.smtp.proxy).");
                }
            }
        }
        List<String> addresses = asked.stream().map(InetAddress::getHostAddress).toList();
        if (silent.size() == asked.size() * blocklists.size()) {
            return skipped(PreflightCheck.BLOCKLISTS, "No blocklist answered about " + list(addresses) + ".");
        }
        return ok(PreflightCheck.BLOCKLISTS, "The egress address " + list(addresses) + " is on none of "
                + list(blocklists) + (silent.isEmpty() ? "" : " (" + list(silent.stream().distinct().toList())
                + " did not answer)") + ".");
    }

    /** The blocklist form of an address: reversed octets, or reversed nibbles for IPv6 (RFC 5782). */
    static String reversed(InetAddress address) {
        byte[] bytes = address.getAddress();
        List<String> parts = new ArrayList<>();
        if (address instanceof Inet4Address) {
            for (byte b : bytes) {
                parts.add(0, Integer.toString(b & 0xff));
            }
        } else {
            for (byte b : bytes) {
                parts.add(0, Integer.toHexString((b >> 4) & 0xf));
                parts.add(0, Integer.toHexString(b & 0xf));
            }
        }
        return String.join(".", parts);
    }

    /** Not loopback, private, link-local, shared (100.64/10), unique-local or multicast. */
    static boolean isPublic(InetAddress address) {
        byte[] b = address.getAddress();
        boolean shared = address instanceof Inet4Address && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
        boolean uniqueLocal = !(address instanceof Inet4Address) && (b[0] & 0xfe) == 0xfc;
        return !(address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress() || shared || uniqueLocal);
    }

    private static InetAddress literal(String address) {
        try {
            return Address.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("DNS gave an address that is not a literal: " + address, e);
        }
    }

    private static String randomName(String canary) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder label = new StringBuilder(RANDOM_PREFIX);
        for (int i = 0; i < 12; i++) {
            label.append("abcdefghijklmnopqrstuvwxyz0123456789".charAt(random.nextInt(36)));
        }
        return label + "." + canary;
    }

    private static String list(List<String> items) {
        if (items.size() <= 1) {
            return String.join("", items);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    private CheckResult ok(PreflightCheck check, String message) {
        return new CheckResult(check, CheckStatus.OK, message, clock.instant());
    }

    private CheckResult failed(PreflightCheck check, String message) {
        return new CheckResult(check, CheckStatus.FAILED, message, clock.instant());
    }

    private CheckResult skipped(PreflightCheck check, String message) {
        return new CheckResult(check, CheckStatus.SKIPPED, message, clock.instant());
    }
}
