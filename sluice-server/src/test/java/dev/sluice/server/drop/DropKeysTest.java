package dev.sluice.server.drop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DropKeysTest {

    @Test
    void export_file_key_is_under_the_accounts_drop_exports_folder() {
        // given / when
        String key = DropKeys.exportFile("acc_01jd9x", "results-2026.csv.zip");

        // then
        assertThat(key).isEqualTo("accounts/acc_01jd9x/drop/exports/results-2026.csv.zip");
        assertThat(key).startsWith(DropKeys.folder("acc_01jd9x") + "/" + DropKeys.EXPORTS + "/");
    }

    @Test
    void names_that_could_leave_the_folder_are_refused() {
        // given / when / then
        assertThatThrownBy(() -> DropKeys.exportFile("acc_1", "../other.csv")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DropKeys.exportFile("acc_1", "a/b.csv")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DropKeys.exportFile("acc_1", "..")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DropKeys.exportFile("..", "x.csv")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DropKeys.folder(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
