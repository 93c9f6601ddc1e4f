package dev.sluice.server.compat.refdata;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a request with the real {@code /usr/bin/curl}: the seed's host {@code https://api.yesmail.com} is
 * replaced by the server on loopback, nothing else. Response headers are written to a file ({@code -D}) so
 * {@code Content-Location} can be read, and {@code -w "\n%{http_code}"} prints the status after the body.
 */
final class RefDataCurl {

    static final String SEED_HOST = "https://api.yesmail.com";

    private static final String CURL = "/usr/bin/curl";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String base;
    private final Path workDir;

    RefDataCurl(String base, Path workDir) {
        this.base = base;
        this.workDir = workDir;
    }

    /** What curl printed: the HTTP status, the response headers (names lower-cased) and the body. */
    record Answer(int status, Map<String, String> headers, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Runs {@code curl <args>}; an argument holding the seed's host gets the loopback server instead. */
    Answer run(String... args) {
        Path headerFile = workDir.resolve("headers-" + System.nanoTime() + ".txt");
        List<String> command = new ArrayList<>();
        command.add(CURL);
        command.add("-sS");
        for (String arg : args) {
            command.add(arg.replace(SEED_HOST, base));
        }
        command.add("-D");
        command.add(headerFile.toString());
        command.add("-w");
        command.add("\n%{http_code}");
        try {
            Process process = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("curl failed (" + process.exitValue() + "): " + command);
            }
            String printed = new String(out, StandardCharsets.UTF_8);
            int cut = printed.lastIndexOf('\n');
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : Files.readAllLines(headerFile, StandardCharsets.ISO_8859_1)) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
                }
            }
            return new Answer(Integer.parseInt(printed.substring(cut + 1).strip()), headers, printed.substring(0, cut));
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + CURL, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
