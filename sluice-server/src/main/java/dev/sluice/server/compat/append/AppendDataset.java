package dev.sluice.server.compat.append;

import dev.sluice.core.dataset.Column;
import dev.sluice.core.dataset.ColumnType;
import dev.sluice.core.dataset.Schema;
import dev.sluice.server.account.Caller;
import dev.sluice.server.dataset.Dataset;
import dev.sluice.server.dataset.DatasetService;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The account's dataset the emails come from ({@code sluice.compat.append.dataset}), made on first use,
 * and the native append options that read it: matched on name and postal address, appending the email.
 */
@Component
class AppendDataset {

    /** The columns of a dataset made on first use, in order. */
    static final List<String> COLUMNS = List.of("first_name", "last_name", "address", "city", "state", "zip", "email");

    /** The columns a record is matched on, which are also the key of a dataset made on first use. */
    static final List<String> MATCH = List.of("first_name", "last_name", "address", "zip");

    /** The columns appended to each record. */
    static final List<String> FIELDS = List.of("email");

    private final DatasetService datasets;
    private final String name;

    AppendDataset(DatasetService datasets, CompatAppendProperties properties) {
        this.datasets = datasets;
        this.name = properties.dataset();
    }

    /** The dataset of the caller's account, created now if it does not exist yet. */
    Dataset ensure(Caller caller) {
        try {
            return datasets.get(caller, name);
        } catch (ProblemException e) {
            if (e.problem() != Problem.NOT_FOUND) {
                throw e;
            }
        }
        try {
            return datasets.create(caller, name, schema());
        } catch (ProblemException e) {
            if (e.problem() == Problem.CONFLICT) {
                // another request made it first
                return datasets.get(caller, name);
            }
            throw e;
        }
    }

    /** The options of the native append job. */
    Map<String, Object> options() {
        return Map.of("dataset", name, "match", MATCH, "fields", FIELDS);
    }

    private static Schema schema() {
        List<Column> columns = COLUMNS.stream()
                .map(c -> new Column(c, c.equals("email") ? ColumnType.EMAIL : ColumnType.STRING, false))
                .toList();
        return new Schema(columns, MATCH);
    }
}
