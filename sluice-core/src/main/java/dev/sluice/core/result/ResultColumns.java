package dev.sluice.core.result;

import java.util.ArrayList;
import java.util.List;

/** The columns Sluice appends to every input record in a result, in output order. */
final class ResultColumns {

    // ingest.HeaderLayout reserves these names so an input column never collides with them.
    static final String ROW = "sluice_row";
    static final String STATUS = "sluice_status";
    static final String REASON = "sluice_reason";
    static final String EMAIL = "sluice_email";
    static final String ROLE = "sluice_role";
    static final String DISPOSABLE = "sluice_disposable";
    static final String FREE = "sluice_free";
    static final String SUGGESTION = "sluice_suggestion";
    static final String CACHED = "sluice_cached";
    static final String PROVIDER = "sluice_provider";
    static final String SCORE = "sluice_score";
    static final String SAFE_TO_SEND = "sluice_safe_to_send";
    /** Always the last appended column: engineers adding columns put theirs before it. */
    static final String DUPLICATE_OF = "sluice_duplicate_of";

    static final List<String> APPENDED = List.of(ROW, STATUS, REASON, EMAIL, ROLE, DISPOSABLE, FREE, SUGGESTION,
            CACHED, PROVIDER, SCORE, SAFE_TO_SEND, DUPLICATE_OF);

    private ResultColumns() {
    }

    /** Input columns followed by the appended ones: the CSV header. */
    static List<String> header(List<String> columns) {
        List<String> header = new ArrayList<>(columns.size() + APPENDED.size());
        header.addAll(columns);
        header.addAll(APPENDED);
        return header;
    }
}
