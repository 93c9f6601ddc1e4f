package dev.sluice.server.verify;

import dev.sluice.core.verify.Transcripts;
import dev.sluice.core.verify.Verdict;
import dev.sluice.core.verify.smtp.SmtpTranscript;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * SQL of SMTP transcripts ({@code smtp_conversations}, {@code smtp_transcripts}). A domain's conversation
 * serves many addresses, so each connection is stored once per chunk and each address row names the
 * connections behind its verdict; reading one address's transcript leaves out the other addresses' RCPT TO
 * exchanges. Lines are stored compactly as {@code at_ms TAB S|R TAB text}, one per line of text. A chunk
 * that runs again replaces what it wrote (repeatable); the batch's rows go when its retention ends or its job
 * is deleted ({@link #deleteBatch}).
 */
@Repository
class TranscriptStore {

    private static final String DELETE_CHUNK_CONVERSATIONS = """
            DELETE FROM smtp_conversations WHERE batch_id = :batch_id AND chunk_idx = :chunk_idx
            """;

    private static final String INSERT_CONVERSATION = """
            INSERT INTO smtp_conversations (batch_id, chunk_idx, seq, job_id, mx_host, mx_address, port, proxy, probe,
                failure, lines)
            VALUES (:batch_id, :chunk_idx, :seq, :job_id, :mx_host, :mx_address, :port, :proxy, :probe, :failure,
                :lines)
            """;

    private static final String UPSERT_TRANSCRIPT = """
            INSERT INTO smtp_transcripts (batch_id, email, job_id, normalized, chunk_idx, status, reason, source,
                conversations)
            VALUES (:batch_id, :email, :job_id, :normalized, :chunk_idx, :status, :reason, :source, :conversations)
            ON CONFLICT (batch_id, email) DO UPDATE SET job_id = excluded.job_id, normalized = excluded.normalized,
                chunk_idx = excluded.chunk_idx, status = excluded.status, reason = excluded.reason,
                source = excluded.source, conversations = excluded.conversations
            """;

    private static final String FIND_EXACT = """
            SELECT email, normalized, chunk_idx, status, reason, source, conversations FROM smtp_transcripts
            WHERE job_id = :job_id AND batch_id = :batch_id AND email = :email
            """;

    private static final String FIND_ANY_CASE = """
            SELECT email, normalized, chunk_idx, status, reason, source, conversations FROM smtp_transcripts
            WHERE job_id = :job_id AND batch_id = :batch_id
              AND (LOWER(email) = :email OR LOWER(normalized) = :email)
            ORDER BY email LIMIT 1
            """;

    private static final String CONVERSATIONS = """
            SELECT seq, mx_host, mx_address, port, proxy, probe, failure, lines FROM smtp_conversations
            WHERE batch_id = :batch_id AND chunk_idx = :chunk_idx AND seq IN (:seqs)
            ORDER BY seq
            """;

    private static final String LAST_SEQ = """
            SELECT COALESCE(MAX(seq), 0) FROM smtp_conversations WHERE batch_id = :batch_id AND chunk_idx = :chunk_idx
            """;

    private static final String ADD_ATTEMPT = """
            UPDATE smtp_transcripts SET status = :status, reason = :reason, source = :source,
                conversations = CASE WHEN conversations = '' THEN :conversations
                                     WHEN :conversations = '' THEN conversations
                                     ELSE conversations || ',' || :conversations END
            WHERE batch_id = :batch_id AND email = :email
            """;

    private static final String DELETE_BATCH_TRANSCRIPTS = "DELETE FROM smtp_transcripts WHERE batch_id = :batch_id";
    private static final String DELETE_BATCH_CONVERSATIONS =
            "DELETE FROM smtp_conversations WHERE batch_id = :batch_id";

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate named;
    private final TransactionTemplate tx;

    TranscriptStore(JdbcClient jdbc, NamedParameterJdbcTemplate named, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.named = named;
        this.tx = tx;
    }

    /**
     * Replaces what chunk {@code chunk} of the batch wrote: its conversations, and a row per non-blank cell
     * ({@code cells} and {@code verdicts} in the same order), in one transaction.
     */
    void replaceChunk(String jobId, String batchId, int chunk, List<String> cells, List<Verdict> verdicts,
            Transcripts transcripts) {
        Map<SmtpTranscript.Connection, Integer> seqs = new IdentityHashMap<>();
        List<SqlParameterSource> conversations = conversations(jobId, batchId, chunk, transcripts, 0, seqs);
        Map<String, SqlParameterSource> rows = rows(jobId, batchId, chunk, cells, verdicts, transcripts, seqs);
        tx.executeWithoutResult(status -> {
            jdbc.sql(DELETE_CHUNK_CONVERSATIONS).param("batch_id", batchId).param("chunk_idx", chunk).update();
            if (!conversations.isEmpty()) {
                named.batchUpdate(INSERT_CONVERSATION, conversations.toArray(SqlParameterSource[]::new));
            }
            if (!rows.isEmpty()) {
                named.batchUpdate(UPSERT_TRANSCRIPT, rows.values().toArray(SqlParameterSource[]::new));
            }
        });
    }

    /**
     * Adds a later attempt of some of chunk {@code chunk}'s addresses (a greylisted address asked again): its
     * conversations after the chunk's, and each address row takes the new verdict and names the new
     * conversations after the earlier ones, so its transcript tells every attempt.
     */
    void addAttempt(String jobId, String batchId, int chunk, List<String> cells, List<Verdict> verdicts,
            Transcripts transcripts) {
        tx.executeWithoutResult(status -> {
            int last = jdbc.sql(LAST_SEQ).param("batch_id", batchId).param("chunk_idx", chunk)
                    .query(Integer.class).single();
            Map<SmtpTranscript.Connection, Integer> seqs = new IdentityHashMap<>();
            List<SqlParameterSource> conversations = conversations(jobId, batchId, chunk, transcripts, last, seqs);
            Map<String, SqlParameterSource> rows = rows(jobId, batchId, chunk, cells, verdicts, transcripts, seqs);
            if (!conversations.isEmpty()) {
                named.batchUpdate(INSERT_CONVERSATION, conversations.toArray(SqlParameterSource[]::new));
            }
            if (!rows.isEmpty()) {
                named.batchUpdate(ADD_ATTEMPT, rows.values().toArray(SqlParameterSource[]::new));
            }
        });
    }

    /** One row per connection of {@code transcripts}, numbered after {@code last}; {@code seqs} gets the numbers. */
    private static List<SqlParameterSource> conversations(String jobId, String batchId, int chunk,
            Transcripts transcripts, int last, Map<SmtpTranscript.Connection, Integer> seqs) {
        List<SqlParameterSource> conversations = new ArrayList<>();
        transcripts.byDomain().values().forEach(transcript -> {
            for (SmtpTranscript.Connection connection : transcript.connections()) {
                int seq = last + seqs.size() + 1;
                seqs.put(connection, seq);
                String probe = transcript.probeAddress() != null && connection.asked(transcript.probeAddress())
                        ? transcript.probeAddress() : null;
                conversations.add(new MapSqlParameterSource().addValue("batch_id", batchId)
                        .addValue("chunk_idx", chunk).addValue("seq", seq).addValue("job_id", jobId)
                        .addValue("mx_host", connection.mxHost()).addValue("mx_address", connection.mxAddress())
                        .addValue("port", connection.port()).addValue("proxy", connection.proxy())
                        .addValue("probe", probe).addValue("failure", connection.failure())
                        .addValue("lines", encode(connection.lines())));
            }
        });
        return conversations;
    }

    /** One row per non-blank cell, naming the connections (by {@code seqs}) behind its verdict. */
    private static Map<String, SqlParameterSource> rows(String jobId, String batchId, int chunk, List<String> cells,
            List<Verdict> verdicts, Transcripts transcripts, Map<SmtpTranscript.Connection, Integer> seqs) {
        // in address order, so two chunks holding the same addresses lock their rows in the same order
        Map<String, SqlParameterSource> rows = new TreeMap<>();
        for (int i = 0; i < cells.size(); i++) {
            String email = cells.get(i) == null ? "" : cells.get(i).strip();
            if (email.isEmpty()) {
                continue;
            }
            Verdict verdict = verdicts.get(i);
            Transcripts.Source source = transcripts.source(verdict);
            StringJoiner behind = new StringJoiner(",");
            if (source == Transcripts.Source.SMTP) {
                String domain = verdict.normalized().substring(verdict.normalized().lastIndexOf('@') + 1);
                transcripts.of(domain).orElseThrow().behind(verdict.normalized())
                        .forEach(connection -> behind.add(String.valueOf(seqs.get(connection))));
            }
            rows.put(email, new MapSqlParameterSource().addValue("batch_id", batchId).addValue("email", email)
                    .addValue("job_id", jobId).addValue("normalized", verdict.normalized())
                    .addValue("chunk_idx", chunk).addValue("status", verdict.status().wire())
                    .addValue("reason", verdict.reason().code())
                    .addValue("source", source.name().toLowerCase(Locale.ROOT))
                    .addValue("conversations", behind.toString()));
        }
        return rows;
    }

    /**
     * The transcript of {@code email} in the job's batch: the address as the batch held it, else the first
     * whose address or normalised address equals it ignoring case; empty when the batch has none.
     */
    Optional<Transcript> find(String jobId, String batchId, String email) {
        Optional<Row> row = jdbc.sql(FIND_EXACT).param("job_id", jobId).param("batch_id", batchId)
                .param("email", email).query(TranscriptStore::row).optional();
        if (row.isEmpty()) {
            row = jdbc.sql(FIND_ANY_CASE).param("job_id", jobId).param("batch_id", batchId)
                    .param("email", email.toLowerCase(Locale.ROOT)).query(TranscriptStore::row).optional();
        }
        return row.map(found -> transcript(batchId, found));
    }

    /** Deletes the batch's transcripts; deleting what is gone does nothing. */
    void deleteBatch(String batchId) {
        jdbc.sql(DELETE_BATCH_TRANSCRIPTS).param("batch_id", batchId).update();
        jdbc.sql(DELETE_BATCH_CONVERSATIONS).param("batch_id", batchId).update();
    }

    private record Row(String email, String normalized, int chunk, String status, String reason, String source,
            List<Integer> conversations) {
    }

    private static Row row(ResultSet rs, int rowNumber) throws SQLException {
        String list = rs.getString("conversations");
        List<Integer> seqs = list.isEmpty() ? List.of() : Arrays.stream(list.split(",")).map(Integer::valueOf).toList();
        return new Row(rs.getString("email"), rs.getString("normalized"), rs.getInt("chunk_idx"),
                rs.getString("status"), rs.getString("reason"), rs.getString("source"), seqs);
    }

    private Transcript transcript(String batchId, Row row) {
        List<Transcript.Connection> connections = new ArrayList<>();
        List<Transcript.Line> lines = new ArrayList<>();
        if (!row.conversations().isEmpty()) {
            jdbc.sql(CONVERSATIONS).param("batch_id", batchId).param("chunk_idx", row.chunk())
                    .param("seqs", row.conversations()).query(rs -> {
                        int number = connections.size() + 1;
                        int others = decode(rs.getString("lines"), number, row.normalized(), rs.getString("probe"),
                                lines);
                        connections.add(new Transcript.Connection(number, rs.getString("mx_host"),
                                rs.getString("mx_address"), rs.getInt("port"), rs.getString("proxy"),
                                rs.getString("failure"), others));
                    });
        }
        return new Transcript(row.email(), row.status(), row.reason(), row.source(), note(row.source()), connections,
                lines);
    }

    private static String note(String source) {
        return switch (source) {
            case "smtp" -> "the SMTP conversation behind this verdict, with the domain's catch-all probe when one "
                    + "ran";
            case "cache" -> "served from the cache: a verdict (or the domain's catch-all answer) verified before was "
                    + "reused, so no SMTP conversation was held for it";
            default -> "no mail server was asked: the syntax, the domain lists or DNS decided this verdict";
        };
    }

    private static String encode(List<SmtpTranscript.Line> lines) {
        StringBuilder text = new StringBuilder(lines.size() * 48);
        for (SmtpTranscript.Line line : lines) {
            text.append(line.atMs()).append('\t').append(line.direction() == SmtpTranscript.Direction.SENT ? 'S' : 'R')
                    .append('\t').append(line.text()).append('\n');
        }
        return text.toString();
    }

    /**
     * Adds the stored lines of one connection to {@code out}, leaving out each RCPT TO about an address other
     * than {@code address} and the probe, with its reply; answers how many were left out.
     */
    private static int decode(String stored, int connection, String address, String probe,
            List<Transcript.Line> out) {
        int others = 0;
        boolean skipping = false;
        for (String entry : stored.split("\n")) {
            if (entry.isEmpty()) {
                continue;
            }
            String[] parts = entry.split("\t", 3);
            boolean sent = parts[1].equals("S");
            String text = parts.length > 2 ? parts[2] : "";
            if (sent) {
                String recipient = recipient(text);
                skipping = recipient != null && !recipient.equalsIgnoreCase(address) && !recipient.equals(probe);
                if (skipping) {
                    others++;
                }
            }
            if (!skipping) {
                out.add(new Transcript.Line(connection, Long.parseLong(parts[0]), sent ? "sent" : "received", text));
            }
        }
        return others;
    }

    /** The address of a {@code RCPT TO:<...>} command, or null for another command. */
    private static String recipient(String command) {
        if (!command.regionMatches(true, 0, "RCPT TO:<", 0, 9) || !command.endsWith(">")) {
            return null;
        }
        return command.substring(9, command.length() - 1);
    }
}
