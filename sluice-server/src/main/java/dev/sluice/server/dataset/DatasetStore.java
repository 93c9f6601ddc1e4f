package dev.sluice.server.dataset;

import dev.sluice.core.dataset.Column;
import dev.sluice.core.dataset.Schema;
import dev.sluice.server.store.Dialect;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * SQL for datasets: their metadata, and the table of each dataset. Table and column names in dynamic
 * SQL come only from validated schemas ({@link Column#checkName}) and ids, and are quoted; values are
 * always bound parameters.
 */
@Repository
public class DatasetStore {

    private static final String INSERT = """
            INSERT INTO datasets (id, account_id, name, schema_json, table_name, created_at)
            VALUES (:id, :account_id, :name, :schema_json, :table_name, :created_at)
            """;

    private static final String COLUMNS = "id, account_id, name, schema_json, table_name, created_at";

    private static final String SELECT_ONE = "SELECT " + COLUMNS
            + " FROM datasets WHERE account_id = :account_id AND name = :name";

    private static final String SELECT_ALL = "SELECT " + COLUMNS
            + " FROM datasets WHERE account_id = :account_id ORDER BY name";

    private static final String DELETE = "DELETE FROM datasets WHERE id = :id";

    /** The auto-numbered column every dataset table has; orders pages. */
    public static final String ROW_ID = "sluice_id";

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Dialect dialect;

    public DatasetStore(JdbcClient jdbc, JsonMapper json, Dialect dialect) {
        this.jdbc = jdbc;
        this.json = json;
        this.dialect = dialect;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Records the dataset and creates its table with a unique index on the key. */
    public void create(Dataset dataset) {
        jdbc.sql(INSERT)
                .param("id", dataset.id())
                .param("account_id", dataset.accountId())
                .param("name", dataset.name())
                .param("schema_json", json.writeValueAsString(StoredSchema.of(dataset.schema())))
                .param("table_name", dataset.tableName())
                .param("created_at", dataset.createdAt().toEpochMilli())
                .update();
        createTable(dataset.tableName(), dataset.schema());
        jdbc.sql("CREATE UNIQUE INDEX " + quote("idx_" + dataset.tableName() + "_key") + " ON "
                + quote(dataset.tableName()) + " (" + keyList(dataset.schema()) + ")").update();
    }

    /** Creates a table with the schema's columns (and the row id), without the key index. */
    public void createTable(String table, Schema schema) {
        StringBuilder ddl = new StringBuilder("CREATE TABLE ").append(quote(table)).append(" (")
                .append(dialect.identityColumn(ROW_ID));
        for (Column column : schema.columns()) {
            ddl.append(", ").append(quote(column.name())).append(' ').append(dialect.sqlType(column.type()));
            if (column.required()) {
                ddl.append(" NOT NULL");
            }
        }
        jdbc.sql(ddl.append(')').toString()).update();
    }

    public void dropTable(String table) {
        jdbc.sql("DROP TABLE IF EXISTS " + quote(table)).update();
    }

    public Optional<Dataset> find(String accountId, String name) {
        return jdbc.sql(SELECT_ONE).param("account_id", accountId).param("name", name).query(this::map).optional();
    }

    public List<Dataset> all(String accountId) {
        return jdbc.sql(SELECT_ALL).param("account_id", accountId).query(this::map).list();
    }

    /** Removes the dataset and drops its table. */
    public void delete(Dataset dataset) {
        jdbc.sql(DELETE).param("id", dataset.id()).update();
        dropTable(dataset.tableName());
    }

    public long count(Dataset dataset) {
        return jdbc.sql("SELECT COUNT(*) FROM " + quote(dataset.tableName())).query(Long.class).single();
    }

    /** The record with these key values (in key order), as column name to typed value. */
    public Optional<Map<String, Object>> record(Dataset dataset, List<Object> key) {
        Schema schema = dataset.schema();
        StringBuilder sql = new StringBuilder("SELECT ").append(selectList(schema)).append(" FROM ")
                .append(quote(dataset.tableName())).append(" WHERE ");
        List<Column> keyColumns = schema.keyColumns();
        List<Object> params = new ArrayList<>();
        for (int i = 0; i < keyColumns.size(); i++) {
            if (i > 0) {
                sql.append(" AND ");
            }
            sql.append(quote(keyColumns.get(i).name())).append(" = ?");
            params.add(dialect.toSql(keyColumns.get(i).type(), key.get(i)));
        }
        return jdbc.sql(sql.toString()).params(params).query((rs, row) -> readRecord(schema, rs)).optional();
    }

    /** Inserts the record, or replaces every column of the one with the same key. */
    public void upsert(Dataset dataset, Map<String, Object> values) {
        Schema schema = dataset.schema();
        List<Object> params = new ArrayList<>();
        for (Column column : schema.columns()) {
            params.add(dialect.toSql(column.type(), values.get(column.name())));
        }
        String placeholders = schema.columns().stream().map(c -> "?").collect(Collectors.joining(", "));
        String updates = schema.columns().stream().filter(c -> !schema.key().contains(c.name()))
                .map(c -> quote(c.name()) + " = excluded." + quote(c.name())).collect(Collectors.joining(", "));
        String sql = "INSERT INTO " + quote(dataset.tableName()) + " (" + columnList(schema) + ") VALUES ("
                + placeholders + ") ON CONFLICT (" + keyList(schema) + ") DO "
                + (updates.isEmpty() ? "NOTHING" : "UPDATE SET " + updates);
        jdbc.sql(sql).params(params).update();
    }

    public boolean deleteRecord(Dataset dataset, List<Object> key) {
        Schema schema = dataset.schema();
        StringBuilder sql = new StringBuilder("DELETE FROM ").append(quote(dataset.tableName())).append(" WHERE ");
        List<Column> keyColumns = schema.keyColumns();
        List<Object> params = new ArrayList<>();
        for (int i = 0; i < keyColumns.size(); i++) {
            if (i > 0) {
                sql.append(" AND ");
            }
            sql.append(quote(keyColumns.get(i).name())).append(" = ?");
            params.add(dialect.toSql(keyColumns.get(i).type(), key.get(i)));
        }
        return jdbc.sql(sql.toString()).params(params).update() == 1;
    }

    /** A page of records after row id {@code afterId}, in row-id order; each map carries its row id too. */
    public List<Map<String, Object>> page(Dataset dataset, long afterId, int limit) {
        Schema schema = dataset.schema();
        String sql = "SELECT " + ROW_ID + ", " + selectList(schema) + " FROM " + quote(dataset.tableName())
                + " WHERE " + ROW_ID + " > ? ORDER BY " + ROW_ID + " LIMIT ?";
        return jdbc.sql(sql).params(afterId, limit).query((rs, row) -> {
            Map<String, Object> record = readRecord(schema, rs);
            record.put(ROW_ID, rs.getLong(ROW_ID));
            return record;
        }).list();
    }

    /** Reads the schema's columns of the current row, by name. */
    public Map<String, Object> readRecord(Schema schema, ResultSet rs) throws SQLException {
        Map<String, Object> record = new LinkedHashMap<>();
        for (Column column : schema.columns()) {
            record.put(column.name(), dialect.fromSql(column, rs, column.name()));
        }
        return record;
    }

    /** A double-quoted identifier; only ever called with validated names and generated table names. */
    public static String quote(String identifier) {
        if (!identifier.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("refusing to use '" + identifier + "' as an SQL identifier");
        }
        return '"' + identifier + '"';
    }

    public static String columnList(Schema schema) {
        return schema.columns().stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
    }

    public static String keyList(Schema schema) {
        return schema.key().stream().map(DatasetStore::quote).collect(Collectors.joining(", "));
    }

    private static String selectList(Schema schema) {
        return columnList(schema);
    }

    private Dataset map(ResultSet rs, int row) throws SQLException {
        StoredSchema stored = json.readValue(rs.getString("schema_json"), StoredSchema.class);
        return new Dataset(rs.getString("id"), rs.getString("account_id"), rs.getString("name"), stored.toSchema(),
                rs.getString("table_name"), Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    /** The JSON form of a schema in the metadata table. */
    record StoredSchema(List<StoredColumn> columns, List<String> key) {
        static StoredSchema of(Schema schema) {
            return new StoredSchema(schema.columns().stream()
                    .map(c -> new StoredColumn(c.name(), c.type().wire(), c.required())).toList(), schema.key());
        }

        Schema toSchema() {
            return new Schema(columns.stream().map(c -> new Column(c.name(),
                    dev.sluice.core.dataset.ColumnType.fromWire(c.type()), c.required())).toList(), key);
        }
    }

    record StoredColumn(String name, String type, boolean required) {
    }
}
