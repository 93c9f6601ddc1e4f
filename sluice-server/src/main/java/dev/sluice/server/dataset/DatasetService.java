package dev.sluice.server.dataset;

import dev.sluice.core.dataset.Column;
import dev.sluice.core.dataset.InvalidValueException;
import dev.sluice.core.dataset.Schema;
import dev.sluice.server.account.Caller;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import dev.sluice.server.store.Ids;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Datasets as clients see them: create, read, delete, and records by key. */
@Service
public class DatasetService {

    /** Separates the values of a composite key in a record path. */
    public static final String KEY_SEPARATOR = ",";

    private final DatasetStore store;
    private final TransactionTemplate tx;
    private final Clock clock;

    public DatasetService(DatasetStore store, TransactionTemplate tx, Clock clock) {
        this.store = store;
        this.tx = tx;
        this.clock = clock;
    }

    public Dataset create(Caller caller, String name, Schema schema) {
        Column.checkName(name);
        String id = Ids.next("dst");
        Dataset dataset = new Dataset(id, caller.accountId(), name, schema, "ds_" + id.substring(4).toLowerCase(Locale.ROOT),
                clock.instant());
        try {
            tx.executeWithoutResult(status -> store.create(dataset));
        } catch (DuplicateKeyException e) {
            throw new ProblemException(Problem.CONFLICT, "a dataset named '" + name + "' already exists in this account");
        }
        return dataset;
    }

    public List<Dataset> all(Caller caller) {
        return store.all(caller.accountId());
    }

    public Dataset get(Caller caller, String name) {
        return find(caller.accountId(), name);
    }

    /** For workers, which act for the account that owns the job. */
    public Dataset find(String accountId, String name) {
        return store.find(accountId, name).orElseThrow(() -> ProblemException.notFound("dataset", name));
    }

    public void delete(Caller caller, String name) {
        Dataset dataset = get(caller, name);
        tx.executeWithoutResult(status -> store.delete(dataset));
    }

    public long count(Dataset dataset) {
        return store.count(dataset);
    }

    public Map<String, Object> record(Dataset dataset, String keyPath) {
        return store.record(dataset, parseKey(dataset, keyPath))
                .orElseThrow(() -> ProblemException.notFound("record", keyPath));
    }

    /** Writes the whole record under the key of the path (the body's key columns, if any, must agree). */
    public Map<String, Object> put(Dataset dataset, String keyPath, Map<String, Object> body) {
        Schema schema = dataset.schema();
        List<Object> key = parseKey(dataset, keyPath);
        Map<String, Object> values = new LinkedHashMap<>();
        for (String name : body.keySet()) {
            if (schema.column(name).isEmpty()) {
                throw new ProblemException(Problem.INVALID_REQUEST, "'" + name + "' is not a column of dataset "
                        + dataset.name());
            }
        }
        for (Column column : schema.columns()) {
            int keyIndex = schema.key().indexOf(column.name());
            Object raw = body.get(column.name());
            Object value;
            try {
                value = raw == null ? column.valueOf(null) : column.valueOf(String.valueOf(raw));
            } catch (InvalidValueException e) {
                if (keyIndex >= 0 && raw == null) {
                    value = null;
                } else {
                    throw new ProblemException(Problem.INVALID_REQUEST, column.name() + ": " + e.getMessage());
                }
            }
            if (keyIndex >= 0) {
                if (value != null && !value.equals(key.get(keyIndex))) {
                    throw new ProblemException(Problem.INVALID_REQUEST, "the body's '" + column.name()
                            + "' differs from the key in the path");
                }
                value = key.get(keyIndex);
            }
            values.put(column.name(), value);
        }
        tx.executeWithoutResult(status -> store.upsert(dataset, values));
        return store.record(dataset, key).orElseThrow();
    }

    public void deleteRecord(Dataset dataset, String keyPath) {
        if (!store.deleteRecord(dataset, parseKey(dataset, keyPath))) {
            throw ProblemException.notFound("record", keyPath);
        }
    }

    public List<Map<String, Object>> page(Dataset dataset, long afterId, int limit) {
        return store.page(dataset, afterId, limit);
    }

    /** The typed key values of a record path: one value, or several joined by {@link #KEY_SEPARATOR}. */
    public static List<Object> parseKey(Dataset dataset, String keyPath) {
        List<Column> keyColumns = dataset.schema().keyColumns();
        String[] parts = keyColumns.size() == 1 ? new String[]{keyPath} : keyPath.split(KEY_SEPARATOR, -1);
        if (parts.length != keyColumns.size()) {
            throw new ProblemException(Problem.INVALID_REQUEST, "the key of dataset " + dataset.name() + " has "
                    + keyColumns.size() + " values (" + String.join(", ", dataset.schema().key())
                    + "), joined by '" + KEY_SEPARATOR + "'");
        }
        List<Object> key = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            try {
                key.add(keyColumns.get(i).valueOf(parts[i]));
            } catch (InvalidValueException e) {
                throw new ProblemException(Problem.INVALID_REQUEST, keyColumns.get(i).name() + ": " + e.getMessage());
            }
        }
        return key;
    }
}
