package dev.sluice.server.verify;

import dev.sluice.core.ingest.ChunkReader;
import dev.sluice.core.result.DuplicatePlan;
import dev.sluice.core.verify.AccountRules;
import dev.sluice.core.verify.Precheck;
import dev.sluice.core.verify.Reason;
import dev.sluice.core.verify.Verdict;
import dev.sluice.core.verify.VerdictStatus;
import dev.sluice.core.verify.VerificationCache;
import dev.sluice.core.verify.VerificationEngine;
import dev.sluice.server.job.Batch;
import dev.sluice.server.job.Chunk;
import dev.sluice.server.job.ChunkProcessor;
import dev.sluice.server.job.Counter;
import dev.sluice.server.job.Job;
import dev.sluice.server.job.Operation;
import dev.sluice.server.job.RecordCounts;
import dev.sluice.server.job.SideFiles;
import dev.sluice.server.storage.BlobStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The estimate operation: a verify without SMTP. Each chunk runs its distinct addresses (the loader's duplicate
 * plan, as verify's) through syntax, lists, the account's rules, the cache and DNS, and writes what it found as
 * a small JSON part; the parts add up to the batch's estimate, which is both its result file
 * ({@code estimate.json}) and its {@code estimate} in the batch JSON. Takes verify's options, so the verify that
 * follows can be created with the same ones.
 *
 * <p>Credits: one per distinct address whose verdict needs the network (DNS or SMTP); addresses decided offline
 * (syntax, disposable), by an account rule, or from the cache cost nothing. ETA: each domain's addresses that need
 * SMTP at its RCPT rate ({@code sluice.verify.smtp.rcpt-per-second-per-domain}; unlimited counts
 * {@link #UNLIMITED_RCPT_PER_CONNECTION} per second per connection), {@code max-concurrent-domains} domains at
 * once: the longer of the slowest domain and the total spread over the parallel domains.
 */
@Component
class EstimateChunkProcessor implements ChunkProcessor<VerifyOptions> {

    /** RCPT commands a second one SMTP connection is counted to carry when no rate limit is set. */
    static final double UNLIMITED_RCPT_PER_CONNECTION = 2;

    static final Counter INVALID = new Counter("invalid", Counter.Slot.INVALID,
            "distinct addresses already invalid without SMTP (syntax, lists, rules, cache, DNS)");
    static final Counter DUPLICATES = new Counter("duplicates", Counter.Slot.DUPLICATES,
            "records repeating an earlier record's address in the batch");

    private final VerificationEngine engine;
    private final VerifyProperties properties;
    private final AccountRuleStore rules;
    private final BlobStorage storage;
    private final JsonMapper json;

    EstimateChunkProcessor(VerificationEngine engine, VerifyProperties properties, AccountRuleStore rules,
            BlobStorage storage, JsonMapper json) {
        this.engine = engine;
        this.properties = properties;
        this.rules = rules;
        this.storage = storage;
        this.json = json;
    }

    /** What one chunk found, summed over the batch: distinct addresses by what a verify would need. */
    record ChunkEstimate(long records, long duplicates, long invalid, long cached, long rules, long network,
            Map<String, Long> providers, Map<String, Long> domains) {

        ChunkEstimate plus(ChunkEstimate o) {
            return new ChunkEstimate(records + o.records, duplicates + o.duplicates, invalid + o.invalid,
                    cached + o.cached, rules + o.rules, network + o.network, sum(providers, o.providers),
                    sum(domains, o.domains));
        }

        private static Map<String, Long> sum(Map<String, Long> a, Map<String, Long> b) {
            Map<String, Long> total = new TreeMap<>(a);
            b.forEach((key, n) -> total.merge(key, n, Long::sum));
            return total;
        }
    }

    /**
     * The batch's quote, as clients read it.
     *
     * @param records               records in the file
     * @param distinct              distinct addresses (records less duplicates)
     * @param duplicates            records repeating an earlier record's address
     * @param alreadyInvalid        distinct addresses invalid without SMTP
     * @param cached                distinct addresses whose verdict the cache holds
     * @param decidedByRules        distinct addresses an account rule decides
     * @param needSmtp              distinct addresses a verify would still ask a mail server about
     * @param needSmtpByProvider    those by provider: the provider table's name for the domain's MX hosts
     * @param credits               what a verify would cost: one credit per distinct address that needs the network
     * @param etaSeconds            how long the SMTP stage would take at the current limits
     */
    record Estimate(long records, long distinct, long duplicates, long alreadyInvalid, long cached,
            long decidedByRules, long needSmtp, Map<String, Long> needSmtpByProvider, long credits, long etaSeconds) {
    }

    @Override
    public Operation operation() {
        return Operation.ESTIMATE;
    }

    @Override
    public VerifyOptions parse(String accountId, Map<String, Object> options) {
        return VerifyOptions.parse(options);
    }

    @Override
    public VerifyOptions read(Map<String, Object> options) {
        return VerifyOptions.parse(options);
    }

    @Override
    public List<Counter> counters() {
        return List.of(INVALID, DUPLICATES);
    }

    @Override
    public boolean foldsDuplicates(VerifyOptions options) {
        return true;
    }

    @Override
    public RecordCounts process(Job job, VerifyOptions options, Batch batch, Chunk chunk, InputStream records,
            OutputStream part, SideFiles sideFiles) throws IOException {
        DuplicatePlan plan = DuplicatePlans.of(storage, batch, chunk);
        List<String> cells = new ArrayList<>();
        long[] row = {chunk.firstRow()};
        int keyColumn = batch.keyColumn();
        long read = ChunkReader.read(records, fields -> {
            if (plan.firstOf(row[0]) == 0) {
                cells.add(keyColumn < fields.size() ? fields.get(keyColumn) : "");
            }
            row[0]++;
        });
        String scope = properties.cache().scope() == VerifyProperties.CacheScope.ACCOUNT
                ? job.accountId() : VerificationCache.SHARED;
        AccountRules accountRules = rules.rules(job.accountId());
        long invalid = 0;
        long cached = 0;
        long ruled = 0;
        long network = 0;
        Map<String, Long> providers = new TreeMap<>();
        Map<String, Long> domains = new TreeMap<>();
        List<Precheck> checks = engine.precheckAll(cells, scope, accountRules);
        for (int i = 0; i < checks.size(); i++) {
            Precheck check = checks.get(i);
            if (check.needsSmtp()) {
                network++;
                providers.merge(check.provider(), 1L, Long::sum);
                // SMTP works per domain: the ETA counts each domain's addresses
                domains.merge(domainOf(cells.get(i)), 1L, Long::sum);
                continue;
            }
            Verdict verdict = check.verdict();
            if (verdict.status() == VerdictStatus.INVALID) {
                invalid++;
            }
            if (verdict.cached()) {
                cached++;
            } else if (verdict.reason() == Reason.ACCOUNT_RULE) {
                ruled++;
            } else if (verdict.normalized() != null && verdict.reason() != Reason.DISPOSABLE
                    && verdict.reason() != Reason.OFFLINE_CHECKS_PASSED) {
                network++; // DNS answered it
            }
        }
        ChunkEstimate estimate = new ChunkEstimate(read, plan.copyCount(), invalid, cached, ruled, network,
                providers, domains);
        part.write(json.writeValueAsBytes(estimate));
        part.flush();
        return RecordCounts.processedOnly(read).plus(INVALID, invalid).plus(DUPLICATES, plan.copyCount());
    }

    @Override
    public String resultName(Job job, VerifyOptions options, Batch batch) {
        return "estimate.json";
    }

    @Override
    public void assemble(Job job, VerifyOptions options, Batch batch, List<PartSource> parts, OutputStream result)
            throws IOException {
        result.write(estimate(job, options, batch, parts).getBytes(StandardCharsets.UTF_8));
        result.write('\n');
    }

    @Override
    public String estimate(Job job, VerifyOptions options, Batch batch, List<PartSource> parts) throws IOException {
        ChunkEstimate total = new ChunkEstimate(0, 0, 0, 0, 0, 0, Map.of(), Map.of());
        for (PartSource part : parts) {
            try (InputStream in = part.open()) {
                total = total.plus(json.readValue(in, ChunkEstimate.class));
            }
        }
        long needSmtp = total.domains().values().stream().mapToLong(Long::longValue).sum();
        Map<String, Long> byProvider = new LinkedHashMap<>();
        total.providers().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .forEach(entry -> byProvider.put(entry.getKey(), entry.getValue()));
        return json.writeValueAsString(new Estimate(total.records(), total.records() - total.duplicates(),
                total.duplicates(), total.invalid(), total.cached(), total.rules(), needSmtp, byProvider,
                total.network(), etaSeconds(total.domains())));
    }

    /** The longer of the slowest domain and the whole SMTP work spread over the domains verified at once. */
    long etaSeconds(Map<String, Long> addressesByDomain) {
        VerifyProperties.Smtp smtp = properties.smtp();
        double rate = smtp.rcptPerSecondPerDomain() > 0 ? smtp.rcptPerSecondPerDomain()
                : UNLIMITED_RCPT_PER_CONNECTION * Math.max(1, smtp.connectionsPerDomain());
        double slowest = 0;
        double total = 0;
        for (long addresses : addressesByDomain.values()) {
            double seconds = addresses / rate;
            slowest = Math.max(slowest, seconds);
            total += seconds;
        }
        return (long) Math.ceil(Math.max(slowest, total / Math.max(1, properties.maxConcurrentDomains())));
    }

    private static String domainOf(String cell) {
        String address = cell.strip();
        return address.substring(address.lastIndexOf('@') + 1).toLowerCase(java.util.Locale.ROOT);
    }
}
