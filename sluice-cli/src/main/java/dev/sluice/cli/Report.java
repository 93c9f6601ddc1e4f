package dev.sluice.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a command prints on stdout: aligned tables for people on a terminal, or one line per record of
 * {@code kind key=value ...} for programs ({@code awk}, {@code grep}); values with spaces or quotes are
 * quoted.
 */
final class Report {

    private final PrintWriter out;
    private final boolean interactive;

    Report(PrintWriter out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    /** Rows with the same columns: a table, or one {@code kind} line per row. */
    void rows(String kind, List<String> columns, List<List<String>> rows) {
        if (interactive) {
            table(columns, rows);
        } else {
            for (List<String> row : rows) {
                StringBuilder line = new StringBuilder(kind);
                for (int c = 0; c < columns.size(); c++) {
                    line.append(' ').append(columns.get(c)).append('=').append(quote(row.get(c)));
                }
                out.println(line);
            }
        }
        out.flush();
    }

    /** One thing's fields: {@code name: value} lines, or one {@code kind} line. */
    void fields(String kind, Map<String, String> fields) {
        if (interactive) {
            int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0);
            fields.forEach((name, value) -> out.printf("%-" + (width + 1) + "s %s%n", name + ":", value == null ? "" : value));
        } else {
            StringBuilder line = new StringBuilder(kind);
            fields.forEach((name, value) -> line.append(' ').append(name).append('=').append(quote(value)));
            out.println(line);
        }
        out.flush();
    }

    /** A line for people only (headings, blank lines); plain output leaves it out. */
    void note(String text) {
        if (interactive) {
            out.println(text);
            out.flush();
        }
    }

    private void table(List<String> columns, List<List<String>> rows) {
        int[] widths = new int[columns.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(columns);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int c = 0; c < widths.length; c++) {
                widths[c] = Math.max(widths[c], String.valueOf(row.get(c)).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < widths.length; c++) {
                String cell = row.get(c) == null ? "" : row.get(c);
                boolean number = row != columns && cell.matches("-?[\\d,.]+%?");
                line.append(number ? " ".repeat(widths[c] - cell.length()) + cell : cell + " ".repeat(widths[c] - cell.length()));
                if (c < widths.length - 1) {
                    line.append("  ");
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    static String quote(String value) {
        if (value == null) {
            return "";
        }
        if (value.isEmpty() || value.chars().anyMatch(ch -> Character.isWhitespace(ch) || ch == '"' || ch == '=')) {
            return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
        }
        return value;
    }
}
