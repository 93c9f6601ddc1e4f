package dev.sluice.server.compat.refdata;

import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for {@code compat_refdata_tickets}: what a ticket echoes of its request, found by job or batch id. */
@Repository
class TicketStore {

    private static final String INSERT = """
            INSERT INTO compat_refdata_tickets (ticket_id, account_id, batch_id, dataset, request_id, api_user,
                request_uri, base_url, response_uri, response_ref, created_at)
            VALUES (:ticket_id, :account_id, :batch_id, :dataset, :request_id, :api_user, :request_uri, :base_url,
                :response_uri, :response_ref, :created_at)
            """;

    private static final String COLUMNS = """
            SELECT ticket_id, account_id, batch_id, dataset, request_id, api_user, request_uri, base_url,
                response_uri, response_ref, created_at
            FROM compat_refdata_tickets
            """;

    private static final String BY_TICKET = COLUMNS + " WHERE ticket_id = :id";

    private static final String BY_BATCH = COLUMNS + " WHERE batch_id = :id";

    /**
     * One ticket: the native job ({@code ticketId}) and batch ({@code batchId}, the async result's id), and
     * what it echoes of the request that made it.
     */
    record Ticket(String ticketId, String accountId, String batchId, String dataset, String requestId,
            String apiUser, String requestUri, String baseUrl, String responseUri, String responseRef,
            Instant createdAt) {
    }

    private static final RowMapper<Ticket> ROW = (rs, row) -> new Ticket(rs.getString("ticket_id"),
            rs.getString("account_id"), rs.getString("batch_id"), rs.getString("dataset"), rs.getString("request_id"),
            rs.getString("api_user"), rs.getString("request_uri"), rs.getString("base_url"),
            rs.getString("response_uri"), rs.getString("response_ref"), Instant.ofEpochMilli(rs.getLong("created_at")));

    private final JdbcClient jdbc;

    TicketStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Ticket ticket) {
        jdbc.sql(INSERT)
                .param("ticket_id", ticket.ticketId())
                .param("account_id", ticket.accountId())
                .param("batch_id", ticket.batchId())
                .param("dataset", ticket.dataset())
                .param("request_id", ticket.requestId())
                .param("api_user", ticket.apiUser())
                .param("request_uri", ticket.requestUri())
                .param("base_url", ticket.baseUrl())
                .param("response_uri", ticket.responseUri())
                .param("response_ref", ticket.responseRef())
                .param("created_at", ticket.createdAt().toEpochMilli())
                .update();
    }

    /** The ticket of a job, whoever owns it (workers act for the job's account). */
    Optional<Ticket> byTicket(String ticketId) {
        return jdbc.sql(BY_TICKET).param("id", ticketId).query(ROW).optional();
    }

    /** The ticket of a job, only when the account owns it. */
    Optional<Ticket> byTicket(String accountId, String ticketId) {
        return byTicket(ticketId).filter(t -> t.accountId().equals(accountId));
    }

    /** The ticket whose batch is the async result {@code batchId}, only when the account owns it. */
    Optional<Ticket> byBatch(String accountId, String batchId) {
        return jdbc.sql(BY_BATCH).param("id", batchId).query(ROW).optional()
                .filter(t -> t.accountId().equals(accountId));
    }
}
