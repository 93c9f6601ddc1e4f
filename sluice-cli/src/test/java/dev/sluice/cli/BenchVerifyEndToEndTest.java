package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/**
 * The whole product on loopback: {@code sluice bench verify} starts a real server as a child process
 * (same class path), uploads a generated list through the client, waits for the verdicts, downloads
 * them and counts them, twice (a cold and a warm job), then uploads the list twice at once to a second
 * server. Asserts on counts only, never on speed.
 */
class BenchVerifyEndToEndTest {

    private static final int ROWS = 2_000;

    @Test
    void bench_verify_gets_one_verdict_per_generated_row() {
        // given
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = SluiceCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));

        // when
        int exitCode = commandLine.execute("bench", "verify", "--rows", Integer.toString(ROWS), "--timeout", "3m",
                "--uploads", "2");

        // then
        assertThat(exitCode).as("exit code; stderr:%n%s", err).isZero();
        Map<String, String> figures = Arrays.stream(out.toString().split("\\R"))
                .filter(line -> line.length() > 21)
                .collect(Collectors.toMap(line -> line.substring(0, 20).strip(), line -> line.substring(21).strip()));
        assertThat(figures).containsEntry("rows", Integer.toString(ROWS))
                .containsEntry("cold result rows", Integer.toString(ROWS))
                .containsEntry("warm result rows", Integer.toString(ROWS))
                .containsKeys("file MB", "raw FastCSV s", "server peak RSS MB", "cold upload s", "cold processing s",
                        "cold download s", "cold total s", "cold records/s", "cold x raw FastCSV", "cold server CPU s",
                        "warm total s", "warm records/s", "warm x raw FastCSV", "uploads s", "uploads peak RSS MB");
        for (String job : new String[] {"cold", "warm"}) {
            long verdicts = Long.parseLong(figures.get(job + " valid")) + Long.parseLong(figures.get(job + " invalid"))
                    + Long.parseLong(figures.get(job + " accept_all")) + Long.parseLong(figures.get(job + " unknown"));
            assertThat(verdicts).as(job).isEqualTo(ROWS);
            assertThat(figures.get(job + " stages s")).as(job)
                    .matches("load \\d+\\.\\d\\d, chunks \\d+\\.\\d\\d, assembly \\d+\\.\\d\\d");
            assertThat(figures.get(job + " CPU by thread s")).as(job).matches("workers \\d+\\.\\d\\d, "
                    + "early chunks \\d+\\.\\d\\d, compilers \\d+\\.\\d\\d, collector \\d+\\.\\d\\d, "
                    + "requests \\d+\\.\\d\\d, other \\d+\\.\\d\\d");
        }
    }
}
