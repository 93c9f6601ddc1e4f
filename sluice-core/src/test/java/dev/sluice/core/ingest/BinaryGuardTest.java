package dev.sluice.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BinaryGuardTest {

    @Test
    void a_word_has_a_byte_below_space_exactly_when_one_of_its_bytes_is() {
        // every byte value at every place among text bytes, then random words with bytes of every kind
        for (int place = 0; place < Long.BYTES; place++) {
            for (int value = 0; value < 256; value++) {
                long word = 0x6161616161616161L & ~(0xFFL << (8 * place)) | ((long) value << (8 * place));
                assertThat(BinaryGuard.anyBelowSpace(word)).as("byte %x at %d", value, place).isEqualTo(value < 0x20);
            }
        }
        Random random = new Random(7);
        for (int i = 0; i < 1_000_000; i++) {
            long word = random.nextLong();
            boolean below = false;
            for (int place = 0; place < Long.BYTES; place++) {
                below |= ((word >>> (8 * place)) & 0xFF) < 0x20;
            }
            assertThat(BinaryGuard.anyBelowSpace(word)).isEqualTo(below);
        }
    }

    @Test
    void control_bytes_are_counted_wherever_a_read_starts_and_ends() throws IOException {
        // given a window of text with one control byte more than the threshold allows, at odd places
        byte[] window = new byte[BinaryGuard.WINDOW];
        Arrays.fill(window, (byte) 'a');
        int allowed = BinaryGuard.WINDOW / 20;
        for (int i = 0; i <= allowed; i++) {
            window[(i * 37) % window.length] = 0x01;
        }

        // when read whole and in reads of 13 bytes, then the same with one control byte fewer
        // then the first is refused either way, the second passes either way
        assertThatThrownBy(() -> drain(new BinaryGuard(new ByteArrayInputStream(window), 0), window.length))
                .isInstanceOf(BinaryGuard.BinaryContentException.class);
        assertThatThrownBy(() -> drain(new BinaryGuard(new ByteArrayInputStream(window), 0), 13))
                .isInstanceOf(BinaryGuard.BinaryContentException.class);
        window[0] = 'a';
        drain(new BinaryGuard(new ByteArrayInputStream(window), 0), window.length);
        drain(new BinaryGuard(new ByteArrayInputStream(window), 0), 13);
    }

    @Test
    void every_byte_below_space_is_flagged_and_the_counts_are_exact_at_any_place() throws IOException {
        // words of bytes below space next to bytes just above it, and of every kind at random
        Random random = new Random(11);
        byte[] kinds = {0, 1, 9, 10, 12, 13, 0x1F, 0x20, 0x21, 'a', (byte) 0x80, (byte) 0xE0, (byte) 0xFF};
        for (int i = 0; i < 200_000; i++) {
            long word = 0;
            for (int place = 0; place < Long.BYTES; place++) {
                long value = random.nextBoolean() ? kinds[random.nextInt(kinds.length)] & 0xFF : random.nextInt(256);
                word |= value << (8 * place);
            }
            long flagged = BinaryGuard.belowSpace(word);
            for (int place = 0; place < Long.BYTES; place++) {
                if (((word >>> (8 * place)) & 0xFF) < 0x20) {
                    assertThat(flagged & (0x80L << (8 * place))).as("word %x place %d", word, place).isNotZero();
                }
            }
        }
        // windows dense with NUL and control bytes among text, read in pieces of every size: the counts in the
        // refusal are those of a byte-by-byte count
        for (int trial = 0; trial < 40; trial++) {
            byte[] window = new byte[BinaryGuard.WINDOW];
            int nul = 0;
            int control = 0;
            for (int i = 0; i < window.length; i++) {
                byte b = random.nextInt(10) == 0 ? kinds[random.nextInt(kinds.length)] : (byte) 'a';
                window[i] = b;
                nul += b == 0 ? 1 : 0;
                control += b > 0 && b < 0x20 && b != 9 && b != 10 && b != 12 && b != 13 ? 1 : 0;
            }
            String counts = nul + " NUL and " + control + " other control bytes";
            int readSize = 1 + random.nextInt(100);
            assertThatThrownBy(() -> drain(new BinaryGuard(new ByteArrayInputStream(window), 0), readSize))
                    .isInstanceOf(BinaryGuard.BinaryContentException.class).hasMessageStartingWith(counts);
        }
    }

    private static void drain(InputStream in, int readSize) throws IOException {
        byte[] buffer = new byte[readSize + 3];
        while (in.read(buffer, 3, readSize) >= 0) {
            // reading is the check
        }
    }
}
