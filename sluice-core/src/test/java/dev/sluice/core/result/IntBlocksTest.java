package dev.sluice.core.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IntBlocksTest {

    @Test
    void keeps_values_across_blocks_in_order() {
        IntBlocks ints = new IntBlocks();
        int count = IntBlocks.BLOCK * 2 + 7;
        for (int i = 0; i < count; i++) {
            ints.add(i * 3);
        }

        assertThat(ints.size()).isEqualTo(count);
        for (int i = 0; i < count; i++) {
            assertThat(ints.get(i)).isEqualTo(i * 3);
        }
        assertThatThrownBy(() -> ints.get(count)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ints.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
