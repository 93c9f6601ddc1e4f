package dev.sluice.server.account;

import java.util.OptionalLong;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL for account credit balances. An account without a row, or with a NULL balance, has unlimited
 * credit; a charge never takes a balance below zero.
 */
@Repository
public class CreditStore {

    private static final String SELECT_BALANCE = "SELECT balance FROM account_credits WHERE account_id = :account_id";

    private static final String DELETE_BALANCE = "DELETE FROM account_credits WHERE account_id = :account_id";

    private static final String INSERT_BALANCE = """
            INSERT INTO account_credits (account_id, balance) VALUES (:account_id, :balance)
            """;

    /** Compare-and-set on the amount: a limited balance pays only when it covers the whole cost. */
    private static final String CHARGE = """
            UPDATE account_credits SET balance = balance - :cost
            WHERE account_id = :account_id AND balance IS NOT NULL AND balance >= :cost
            """;

    private final JdbcClient jdbc;

    public CreditStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The account's balance; empty when unlimited. */
    public OptionalLong balance(String accountId) {
        return jdbc.sql(SELECT_BALANCE).param("account_id", accountId)
                .query((rs, row) -> {
                    long balance = rs.getLong("balance");
                    return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(balance);
                })
                .optional().orElse(OptionalLong.empty());
    }

    /** Sets the balance; {@code null} makes it unlimited. Call inside a transaction. */
    public void setBalance(String accountId, Long balance) {
        jdbc.sql(DELETE_BALANCE).param("account_id", accountId).update();
        jdbc.sql(INSERT_BALANCE).param("account_id", accountId).param("balance", balance, java.sql.Types.BIGINT).update();
    }

    /** Takes {@code cost} from the balance; true when paid (always for unlimited accounts). */
    public boolean charge(String accountId, long cost) {
        if (balance(accountId).isEmpty()) {
            return true;
        }
        return jdbc.sql(CHARGE).param("account_id", accountId).param("cost", cost).update() == 1;
    }
}
