package dev.sluice.server.compat.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a README curl example as a user pastes it: the text goes to {@code bash -c}, so its shell variables
 * ({@code $K}, {@code $E}...) are expanded from the environment given, its quotes and line continuations
 * are the shell's, and the request is sent by the real {@code curl}. {@code -w "\n%{http_code}"} is
 * appended so that the status can be asserted.
 */
final class ReadmeCurl {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path workDir;

    ReadmeCurl(Path workDir) {
        this.workDir = workDir;
    }

    /** What curl printed: the HTTP status and the body. */
    record Answer(int status, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    Answer run(String example, Map<String, String> environment) {
        if (!example.startsWith("curl ")) {
            throw new IllegalArgumentException("not a curl example: " + example);
        }
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", example.strip() + " -w '\\n%{http_code}'")
                .directory(workDir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("curl failed (" + process.exitValue() + "): " + example);
            }
            String printed = new String(out, StandardCharsets.UTF_8);
            int cut = printed.lastIndexOf('\n');
            return new Answer(Integer.parseInt(printed.substring(cut + 1).strip()), printed.substring(0, cut));
        } catch (IOException e) {
            throw new IllegalStateException("could not run bash and curl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
