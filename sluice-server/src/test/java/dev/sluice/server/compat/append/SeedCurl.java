package dev.sluice.server.compat.append;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a seed's cURL example with the real {@code /usr/bin/curl}. The command is taken as the seed prints
 * it; only the host and the placeholders ({@code {your_key}}, {@code {your_token}}, ids) are substituted,
 * and {@code -w "\n%{http_code}"} is appended so the status can be asserted. The seed's GET examples open
 * a header with a doubled quote ({@code -H ""Content-Type: ...}), which no shell would run; it is read as
 * the single quote it means.
 */
final class SeedCurl {

    private static final String CURL = "/usr/bin/curl";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The seed's hosts, the second as its text spells it (with a stray space). */
    private static final List<String> SEED_HOSTS = List.of("https://api.thedatagroup.com", "https:// api.thedatagroup.com");

    private final String base;
    private final Path workDir;

    SeedCurl(String base, Path workDir) {
        this.base = base;
        this.workDir = workDir;
    }

    /** What curl printed: the HTTP status and the body. */
    record Answer(int status, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    Answer run(String command, Map<String, String> substitutions) {
        String text = command.replace("-H \"\"", "-H \"");
        for (String host : SEED_HOSTS) {
            text = text.replace(host, base);
        }
        for (Map.Entry<String, String> entry : substitutions.entrySet()) {
            text = text.replace(entry.getKey(), entry.getValue());
        }
        List<String> args = words(text);
        if (!args.getFirst().equals("curl")) {
            throw new IllegalArgumentException("not a curl command: " + command);
        }
        args.set(0, CURL);
        args.add("-w");
        args.add("\n%{http_code}");
        try {
            Process process = new ProcessBuilder(args).directory(workDir.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("curl failed (" + process.exitValue() + "): " + args);
            }
            String printed = new String(out, StandardCharsets.UTF_8);
            int cut = printed.lastIndexOf('\n');
            return new Answer(Integer.parseInt(printed.substring(cut + 1).strip()), printed.substring(0, cut));
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + CURL, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Splits a command line as a POSIX shell does for words, single and double quotes (no expansions). */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (quote == '"' && c == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                char next = line.charAt(++i);
                if (next != '\n') {
                    word.append(next);
                    inWord = true;
                }
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unterminated " + quote + " quote in: " + line);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
