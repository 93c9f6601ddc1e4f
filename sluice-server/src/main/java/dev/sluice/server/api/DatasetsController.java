package dev.sluice.server.api;

import dev.sluice.core.dataset.Column;
import dev.sluice.core.dataset.ColumnType;
import dev.sluice.core.dataset.Schema;
import dev.sluice.server.account.Caller;
import dev.sluice.server.api.Views.Page;
import dev.sluice.server.dataset.Dataset;
import dev.sluice.server.dataset.DatasetService;
import dev.sluice.server.dataset.DatasetStore;
import dev.sluice.server.dataset.DatasetValues;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Datasets and their records. */
@RestController
@RequestMapping("/api/v1/datasets")
class DatasetsController {

    private final DatasetService datasets;

    DatasetsController(DatasetService datasets) {
        this.datasets = datasets;
    }

    record ColumnRequest(String name, String type, Boolean required) {
    }

    record CreateDataset(String name, List<ColumnRequest> columns, List<String> key) {
    }

    record ColumnView(String name, String type, boolean required) {
    }

    record DatasetView(String name, List<ColumnView> columns, List<String> key, Long records, Instant createdAt) {
        static DatasetView of(Dataset dataset, Long records) {
            return new DatasetView(dataset.name(), dataset.schema().columns().stream()
                    .map(c -> new ColumnView(c.name(), c.type().wire(), c.required())).toList(),
                    dataset.schema().key(), records, dataset.createdAt());
        }
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    DatasetView create(Caller caller, @RequestBody CreateDataset request) {
        if (request == null || request.name() == null || request.columns() == null || request.columns().isEmpty()) {
            throw new ProblemException(Problem.INVALID_REQUEST,
                    "a dataset needs 'name', 'columns' [{name, type, required}] and 'key' [column names]");
        }
        Schema schema;
        try {
            Column.checkName(request.name());
            List<Column> columns = new ArrayList<>();
            for (int i = 0; i < request.columns().size(); i++) {
                ColumnRequest c = request.columns().get(i);
                if (c == null || c.name() == null) {
                    throw new IllegalArgumentException("'columns[" + i + "]' must be an object with a 'name' (and "
                            + "optionally 'type' and 'required')");
                }
                columns.add(new Column(c.name(), ColumnType.fromWire(c.type() == null ? "string" : c.type()),
                        Boolean.TRUE.equals(c.required())));
            }
            List<String> key = request.key() == null ? List.of() : request.key();
            for (int i = 0; i < key.size(); i++) {
                if (key.get(i) == null) {
                    throw new IllegalArgumentException("'key[" + i + "]' must be the name of a column");
                }
            }
            schema = new Schema(columns, key);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.INVALID_REQUEST, e.getMessage());
        }
        return DatasetView.of(datasets.create(caller, request.name(), schema), 0L);
    }

    @GetMapping
    Page<DatasetView> list(Caller caller) {
        return new Page<>(datasets.all(caller).stream().map(d -> DatasetView.of(d, null)).toList(), null);
    }

    @GetMapping("/{name}")
    DatasetView get(Caller caller, @PathVariable String name) {
        Dataset dataset = datasets.get(caller, name);
        return DatasetView.of(dataset, datasets.count(dataset));
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(Caller caller, @PathVariable String name) {
        datasets.delete(caller, name);
    }

    @GetMapping("/{name}/records")
    Page<Map<String, Object>> records(Caller caller, @PathVariable String name,
            @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        Dataset dataset = datasets.get(caller, name);
        int size = limit == null ? JobsController.DEFAULT_PAGE : limit;
        if (size < 1 || size > JobsController.MAX_PAGE) {
            throw new ProblemException(Problem.INVALID_REQUEST, "'limit' must be an integer from 1 to " + JobsController.MAX_PAGE);
        }
        long after;
        try {
            after = cursor == null || cursor.isBlank() ? 0 : Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw new ProblemException(Problem.INVALID_REQUEST, "the cursor '" + cursor + "' is not one this API gave");
        }
        List<Map<String, Object>> rows = datasets.page(dataset, after, size);
        String next = rows.size() == size ? String.valueOf(rows.get(rows.size() - 1).get(DatasetStore.ROW_ID)) : null;
        return new Page<>(rows.stream().map(DatasetsController::json).toList(), next);
    }

    @GetMapping("/{name}/records/{key}")
    Map<String, Object> record(Caller caller, @PathVariable String name, @PathVariable String key) {
        Dataset dataset = datasets.get(caller, name);
        return json(datasets.record(dataset, key));
    }

    @PutMapping("/{name}/records/{key}")
    Map<String, Object> put(Caller caller, @PathVariable String name, @PathVariable String key,
            @RequestBody Map<String, Object> body) {
        Dataset dataset = datasets.get(caller, name);
        return json(datasets.put(dataset, key, body == null ? Map.of() : body));
    }

    @DeleteMapping("/{name}/records/{key}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void deleteRecord(Caller caller, @PathVariable String name, @PathVariable String key) {
        datasets.deleteRecord(datasets.get(caller, name), key);
    }

    private static Map<String, Object> json(Map<String, Object> record) {
        Map<String, Object> out = new LinkedHashMap<>();
        record.forEach((column, value) -> {
            if (!column.equals(DatasetStore.ROW_ID)) {
                out.put(column, DatasetValues.toJson(value));
            }
        });
        return out;
    }
}
