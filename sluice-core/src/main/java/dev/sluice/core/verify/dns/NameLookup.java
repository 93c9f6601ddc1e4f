package dev.sluice.core.verify.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Plain, uncached questions to the configured resolvers, for the preflight checks of this server's own
 * identity: a name's addresses, an address's reverse name, whether a blocklist lists an address. Blocking;
 * each question waits at most {@link DnsSettings#timeout()}.
 */
public final class NameLookup {

    /** How a question was answered. */
    public enum Outcome {
        /** Records of the asked type came back. */
        FOUND,
        /** The name does not exist (NXDOMAIN). */
        NO_SUCH_NAME,
        /** The name exists but has no record of the asked type (NODATA). */
        NO_RECORDS,
        /** SERVFAIL, REFUSED, a broken answer or no answer in time. */
        FAILED
    }

    /**
     * @param outcome how it was answered
     * @param values  address literals (A, AAAA) or lower-case names without the trailing dot (PTR); empty
     *                unless {@code FOUND}
     */
    public record Answer(Outcome outcome, List<String> values) {
        public Answer {
            values = List.copyOf(values);
        }
    }

    private final Resolver resolver;

    public NameLookup(DnsSettings settings) {
        this.resolver = DnsDomainResolver.resolverFor(Objects.requireNonNull(settings, "settings"));
    }

    /** The IPv4 then IPv6 addresses of {@code name}; {@code FAILED} if either question failed. */
    public Answer addresses(String name) {
        Answer v4 = ask(name, Type.A);
        Answer v6 = ask(name, Type.AAAA);
        if (v4.outcome() == Outcome.FAILED || v6.outcome() == Outcome.FAILED) {
            return new Answer(Outcome.FAILED, List.of());
        }
        List<String> all = new ArrayList<>(v4.values());
        all.addAll(v6.values());
        if (!all.isEmpty()) {
            return new Answer(Outcome.FOUND, all);
        }
        return v4.outcome() == Outcome.NO_SUCH_NAME ? v4 : new Answer(Outcome.NO_RECORDS, List.of());
    }

    /** The reverse DNS names (PTR) of {@code address}. */
    public Answer pointers(InetAddress address) {
        return ask(ReverseMap.fromAddress(address), Type.PTR);
    }

    /** The IPv4 addresses of {@code name}, as a blocklist answers a listed address. */
    public Answer ipv4(String name) {
        return ask(name, Type.A);
    }

    private Answer ask(String name, int type) {
        try {
            return ask(Name.fromString(name, Name.root), type);
        } catch (TextParseException e) {
            return new Answer(Outcome.FAILED, List.of());
        }
    }

    private Answer ask(Name name, int type) {
        Message response;
        try {
            response = resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
        } catch (IOException | RuntimeException e) {
            return new Answer(Outcome.FAILED, List.of());
        }
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return new Answer(Outcome.NO_SUCH_NAME, List.of());
        }
        if (rcode != Rcode.NOERROR) {
            return new Answer(Outcome.FAILED, List.of());
        }
        List<String> values = new ArrayList<>();
        for (Record record : response.getSection(Section.ANSWER)) {
            switch (record) {
                case ARecord a when type == Type.A -> values.add(a.getAddress().getHostAddress());
                case AAAARecord aaaa when type == Type.AAAA -> values.add(aaaa.getAddress().getHostAddress());
                case PTRRecord ptr when type == Type.PTR ->
                        values.add(ptr.getTarget().toString(true).toLowerCase(Locale.ROOT));
                default -> {
                    // a CNAME on the way, or a record of another type: not an answer to this question
                }
            }
        }
        return new Answer(values.isEmpty() ? Outcome.NO_RECORDS : Outcome.FOUND, values);
    }
}
