package dev.sluice.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine;

/** One run of the command tree, as {@code main} runs it, with its exit code and what it printed. */
record CliRun(int exitCode, String out, String err) {

    private static final Pattern PAIR = Pattern.compile("(\\w+)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)");

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = SluiceCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int code = commandLine.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    static CliRun of(List<String> args) {
        return of(args.toArray(String[]::new));
    }

    /** The stdout lines that start with {@code kind }, each read as its {@code key=value} pairs. */
    List<Map<String, String>> lines(String kind) {
        return lines(out, kind);
    }

    /** The only stdout line of {@code kind}. */
    Map<String, String> line(String kind) {
        List<Map<String, String>> all = lines(kind);
        if (all.size() != 1) {
            throw new AssertionError("expected one '" + kind + "' line, found " + all.size() + " in:\n" + out + "\nstderr:\n" + err);
        }
        return all.getFirst();
    }

    static List<Map<String, String>> lines(String text, String kind) {
        return Arrays.stream(text.split("\\R"))
                .filter(line -> line.startsWith(kind + " "))
                .map(CliRun::pairs)
                .toList();
    }

    private static Map<String, String> pairs(String line) {
        Map<String, String> pairs = new LinkedHashMap<>();
        Matcher m = PAIR.matcher(line);
        while (m.find()) {
            String value = m.group(2);
            if (value.startsWith("\"")) {
                value = value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\");
            }
            pairs.put(m.group(1), value);
        }
        return pairs;
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
}
