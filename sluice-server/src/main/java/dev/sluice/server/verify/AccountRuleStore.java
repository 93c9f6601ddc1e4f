package dev.sluice.server.verify;

import dev.sluice.core.verify.AccountRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * SQL for an account's own verification rules ({@code account_rules}): read in the order the account wrote them,
 * replaced whole in one transaction. Rules are stored as written back ({@link AccountRules.Rule#match()}), so a
 * stored rule always parses again.
 */
@Repository
public class AccountRuleStore {

    private static final String SELECT = """
            SELECT rule_match, rule_status FROM account_rules WHERE account_id = :account_id ORDER BY rule_index
            """;

    private static final String DELETE = "DELETE FROM account_rules WHERE account_id = :account_id";

    private static final String INSERT = """
            INSERT INTO account_rules (account_id, rule_index, rule_match, rule_status)
            VALUES (:account_id, :rule_index, :rule_match, :rule_status)
            """;

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate named;
    private final TransactionTemplate tx;

    public AccountRuleStore(JdbcClient jdbc, NamedParameterJdbcTemplate named, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.named = named;
        this.tx = tx;
    }

    /** The account's rules; none when it set none. */
    public AccountRules rules(String accountId) {
        List<AccountRules.Rule> rules = jdbc.sql(SELECT).param("account_id", accountId)
                .query((rs, row) -> AccountRules.Rule.parse(rs.getString("rule_match"), rs.getString("rule_status")))
                .list();
        return AccountRules.of(rules);
    }

    /** Replaces the account's whole list with {@code rules}, in one transaction. */
    public void replace(String accountId, AccountRules rules) {
        List<SqlParameterSource> rows = new ArrayList<>(rules.rules().size());
        for (AccountRules.Rule rule : rules.rules()) {
            rows.add(new MapSqlParameterSource(Map.of("account_id", accountId, "rule_index", rows.size(),
                    "rule_match", rule.match(), "rule_status", rule.status().wire())));
        }
        tx.executeWithoutResult(status -> {
            jdbc.sql(DELETE).param("account_id", accountId).update();
            if (!rows.isEmpty()) {
                named.batchUpdate(INSERT, rows.toArray(SqlParameterSource[]::new));
            }
        });
    }
}
