package dev.sluice.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * An authoritative DNS server on UDP loopback for tests, speaking the real wire protocol through dnsjava's
 * message classes. Zones are set up fluently, before or while queries arrive:
 *
 * <pre>{@code
 * try (DnsResponder dns = DnsResponder.start()) {
 *     dns.mx("example.test", 10, "mx1.example.test").a("mx1.example.test", "127.0.0.2")
 *        .nullMx("nomail.test")
 *        .aOnly("implicit.test", "127.0.0.3")
 *        .servfail("broken.test")
 *        .slow("slow.test", Duration.ofSeconds(2));
 *     InetSocketAddress server = dns.address(); // configure the resolver under test with this
 *     ...
 *     assertThat(dns.queryCount("example.test", Type.MX)).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p>Answers carry the query's id and question, QR and AA set, RD echoed. A name never mentioned is
 * NXDOMAIN (unless {@link #answerEveryName} makes the responder lie); a name that has records but none of the
 * asked type gets NOERROR with an empty answer (NODATA).
 * A CNAME is answered for any type, followed by the target's records of that type when this responder
 * knows them. Every query is handled on its own virtual thread, so a {@link #slow slow} name does not
 * hold up the others.
 */
public final class DnsResponder implements AutoCloseable {

    /** TTL of records added before {@link #ttl(long)} is called, in seconds. */
    public static final long DEFAULT_TTL_SECONDS = 3600;

    private static final int MAX_CNAME_HOPS = 8;
    private static final int PLAIN_UDP_PAYLOAD = 512;

    private final DatagramSocket socket;
    private final Thread receiver;
    private final Map<Name, Entry> zone = new ConcurrentHashMap<>();
    private final Map<Question, AtomicInteger> queries = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private volatile long ttlSeconds = DEFAULT_TTL_SECONDS;
    private volatile InetAddress everyName;
    private volatile boolean closed;

    private record Question(Name name, int type) {
    }

    /** What the responder knows about one name. */
    private static final class Entry {
        final List<Record> records = new CopyOnWriteArrayList<>();
        volatile Integer rcode;
        volatile Duration delay = Duration.ZERO;
    }

    private DnsResponder(DatagramSocket socket) {
        this.socket = socket;
        this.receiver = Thread.ofPlatform().daemon().name("dns-responder-" + socket.getLocalPort())
                .start(this::receive);
    }

    /** Binds a random UDP port on 127.0.0.1 and starts answering. */
    public static DnsResponder start() {
        try {
            return new DnsResponder(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        } catch (SocketException e) {
            throw new UncheckedIOException("Cannot bind a UDP port on loopback for the test DNS responder", e);
        }
    }

    /** Where the responder listens: give this to the resolver under test. */
    public InetSocketAddress address() {
        return new InetSocketAddress(socket.getLocalAddress(), socket.getLocalPort());
    }

    /** TTL, in seconds, of the records added after this call. */
    public DnsResponder ttl(long seconds) {
        this.ttlSeconds = seconds;
        return this;
    }

    /** Adds an MX record {@code domain -> host} with the given preference. */
    public DnsResponder mx(String domain, int preference, String host) {
        return add(new MXRecord(name(domain), DClass.IN, ttlSeconds, preference, name(host)));
    }

    /** Makes {@code domain} a null MX domain (RFC 7505): one MX of preference 0 pointing at ".". */
    public DnsResponder nullMx(String domain) {
        return add(new MXRecord(name(domain), DClass.IN, ttlSeconds, 0, Name.root));
    }

    /** Adds an A record; {@code ip} is an IPv4 literal. */
    public DnsResponder a(String host, String ip) {
        return add(new ARecord(name(host), DClass.IN, ttlSeconds, address(ip, Address.IPv4)));
    }

    /** Adds an AAAA record; {@code ip} is an IPv6 literal. */
    public DnsResponder aaaa(String host, String ip) {
        return add(new AAAARecord(name(host), DClass.IN, ttlSeconds, address(ip, Address.IPv6)));
    }

    /** A domain with an A record and no MX: its mail goes to the domain itself (implicit MX). */
    public DnsResponder aOnly(String domain, String ip) {
        return a(domain, ip);
    }

    /** Adds a PTR record: the reverse DNS name of {@code ip} (an IPv4 or IPv6 literal) is {@code host}. */
    public DnsResponder ptr(String ip, String host) {
        InetAddress address = address(ip, ip.indexOf(':') >= 0 ? Address.IPv6 : Address.IPv4);
        return add(new PTRRecord(ReverseMap.fromAddress(address), DClass.IN, ttlSeconds, name(host)));
    }

    /**
     * Makes the responder lie as some broken resolvers do: every name it does not know, under any domain, gets
     * an A record {@code ip} instead of NXDOMAIN.
     */
    public DnsResponder answerEveryName(String ip) {
        this.everyName = address(ip, Address.IPv4);
        return this;
    }

    /** Adds a CNAME {@code alias -> target}. */
    public DnsResponder cname(String alias, String target) {
        return add(new CNAMERecord(name(alias), DClass.IN, ttlSeconds, name(target)));
    }

    /** Makes {@code domain} exist without any records: every question about it is NODATA. */
    public DnsResponder exists(String domain) {
        entry(domain);
        return this;
    }

    /** Forgets everything about {@code domain}, so it is NXDOMAIN (as any name never mentioned is). */
    public DnsResponder nxdomain(String domain) {
        zone.remove(name(domain));
        return this;
    }

    /** Answers every question about {@code domain} with SERVFAIL. */
    public DnsResponder servfail(String domain) {
        return rcode(domain, Rcode.SERVFAIL);
    }

    /** Answers every question about {@code domain} with REFUSED. */
    public DnsResponder refused(String domain) {
        return rcode(domain, Rcode.REFUSED);
    }

    /** Answers every question about {@code domain} with the given {@link Rcode} and no records. */
    public DnsResponder rcode(String domain, int rcode) {
        entry(domain).rcode = rcode;
        return this;
    }

    /**
     * Delays every answer about {@code domain} by {@code delay}; what it answers is set up separately. The
     * name becomes known, so without records it answers NODATA rather than NXDOMAIN.
     */
    public DnsResponder slow(String domain, Duration delay) {
        entry(domain).delay = delay;
        return this;
    }

    /** How many queries for {@code name} and {@code type} (a {@link Type} constant) arrived. */
    public int queryCount(String name, int type) {
        AtomicInteger count = queries.get(new Question(name(name), type));
        return count == null ? 0 : count.get();
    }

    /** How many queries arrived, for any name and type. */
    public int queryCount() {
        return queries.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** The most queries that were being answered at the same moment (received, response not yet sent). */
    public int peakConcurrentQueries() {
        return peakInFlight.get();
    }

    /** Stops answering and frees the port. */
    @Override
    public void close() {
        closed = true;
        socket.close();
        try {
            receiver.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private DnsResponder add(Record record) {
        entry(record.getName()).records.add(record);
        return this;
    }

    private Entry entry(String name) {
        return entry(name(name));
    }

    private Entry entry(Name name) {
        return zone.computeIfAbsent(name, n -> new Entry());
    }

    private void receive() {
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(new byte[Message.MAXLENGTH], Message.MAXLENGTH);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            byte[] data = Arrays.copyOf(packet.getData(), packet.getLength());
            SocketAddress client = packet.getSocketAddress();
            Thread.ofVirtual().name("dns-query").start(() -> answer(data, client));
        }
    }

    private void answer(byte[] data, SocketAddress client) {
        Message query;
        try {
            query = new Message(data);
        } catch (IOException e) {
            return; // not DNS: a real server would drop it too
        }
        int now = inFlight.incrementAndGet();
        peakInFlight.accumulateAndGet(now, Math::max);
        byte[] wire;
        try {
            Message response = respond(query);
            wire = response.toWire(maxPayload(query));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } finally {
            // Counted out before the answer leaves: once the client has it, it may send its next query at
            // once, and that one must not overlap this one in the count.
            inFlight.decrementAndGet();
        }
        try {
            socket.send(new DatagramPacket(wire, wire.length, client));
        } catch (IOException e) {
            // the socket closed under us, or the client went away: nothing to answer
        }
    }

    private Message respond(Message query) throws InterruptedException {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        Record question = query.getQuestion();
        if (question == null) {
            response.getHeader().setRcode(Rcode.FORMERR);
            return response;
        }
        response.addRecord(question, Section.QUESTION);
        queries.computeIfAbsent(new Question(question.getName(), question.getType()), q -> new AtomicInteger())
                .incrementAndGet();

        Entry entry = zone.get(question.getName());
        InetAddress made = everyName;
        if (entry == null && made != null) {
            if (question.getType() == Type.A) {
                response.addRecord(new ARecord(question.getName(), DClass.IN, ttlSeconds, made), Section.ANSWER);
            }
            return response;
        }
        if (entry == null) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
            return response;
        }
        if (!entry.delay.isZero()) {
            Thread.sleep(entry.delay);
        }
        if (entry.rcode != null) {
            response.getHeader().setRcode(entry.rcode);
            return response;
        }
        for (int hop = 0; hop <= MAX_CNAME_HOPS && entry != null; hop++) {
            List<Record> matching = ofType(entry, question.getType());
            if (!matching.isEmpty() || question.getType() == Type.CNAME) {
                matching.forEach(r -> response.addRecord(r, Section.ANSWER));
                break;
            }
            List<Record> aliases = ofType(entry, Type.CNAME);
            if (aliases.isEmpty()) {
                break; // NODATA (or the end of a chain whose target has no such records)
            }
            CNAMERecord alias = (CNAMERecord) aliases.get(0);
            response.addRecord(alias, Section.ANSWER);
            entry = zone.get(alias.getTarget());
        }
        return response;
    }

    private static List<Record> ofType(Entry entry, int type) {
        return entry.records.stream().filter(r -> r.getType() == type).toList();
    }

    private static int maxPayload(Message query) {
        OPTRecord opt = query.getOPT();
        return opt == null ? PLAIN_UDP_PAYLOAD : Math.max(PLAIN_UDP_PAYLOAD, opt.getPayloadSize());
    }

    private static Name name(String name) {
        try {
            return Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("Not a DNS name: '" + name + "'", e);
        }
    }

    private static InetAddress address(String ip, int family) {
        try {
            return Address.getByAddress(ip, family);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Not an IP" + (family == Address.IPv4 ? "v4" : "v6")
                    + " literal: '" + ip + "'", e);
        }
    }
}
