package dev.sluice.server.compat.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The verified file keeps the input columns and adds the verdict, from a native result. */
class VerifiedFileTest {

    private static final String NATIVE_TAIL = "sluice_row,sluice_status,sluice_reason,sluice_email,sluice_role,"
            + "sluice_disposable,sluice_free,sluice_suggestion,sluice_cached,sluice_provider,sluice_duplicate_of";

    @Test
    void input_columns_are_kept_quoted_as_needed_and_the_verdict_added() throws IOException {
        // given a native result of two input columns, one value holding a comma
        String result = "email,note," + NATIVE_TAIL + "\n"
                + "ann@example.com,\"a, b\",1,valid,offline_checks_passed,ann@example.com,false,false,false,,false,,\n";

        // when / then
        assertThat(rewrite(result, 2)).isEqualTo("email,note,status\r\nann@example.com,\"a, b\",valid\r\n");
    }

    @Test
    void an_input_status_column_keeps_its_name_and_the_verdict_becomes_status_2() throws IOException {
        String result = "email,Status," + NATIVE_TAIL + "\n"
                + "x@example.com,vip,1,invalid,disposable,x@example.com,false,true,false,,false,other,\n";

        assertThat(rewrite(result, 2)).isEqualTo("email,Status,status_2\r\nx@example.com,vip,invalid\r\n");
    }

    private static String rewrite(String nativeResult, int inputColumns) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        VerifiedFile.rewrite(new ByteArrayInputStream(nativeResult.getBytes(StandardCharsets.UTF_8)), inputColumns, out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
