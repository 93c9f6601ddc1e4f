package dev.sluice.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A job's server CPU by kind of thread, from two readings of {@link ServerProcess#cpuSecondsByThread}: what
 * JFR's samples cannot give (they cover Java code, not the compilers or the collector, and sample running
 * threads unevenly), and what shows where a core waits. The kinds follow the server's thread names.
 */
final class ThreadCpu {

    /** A kind, and the prefixes of the thread names (as Linux keeps them) that make it up. */
    private record Kind(String name, List<String> prefixes) {
    }

    private static final List<Kind> KINDS = List.of(
            // the job workers (PausingTaskExecutor) and the chunks run while a batch loads (EarlyChunks)
            new Kind("workers", List.of("sluice-task-")),
            new Kind("early chunks", List.of("sluice-early-")),
            new Kind("compilers", List.of("C1 CompilerThre", "C2 CompilerThre")),
            new Kind("collector", List.of("GC Thread")),
            new Kind("requests", List.of("http-nio-")));

    private ThreadCpu() {
    }

    /** {@code workers 2.05, early chunks 0.52, ..., other 0.08}: seconds from {@code before} to {@code after}. */
    static String describe(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> byKind = new LinkedHashMap<>();
        KINDS.forEach(kind -> byKind.put(kind.name(), 0.0));
        byKind.put("other", 0.0);
        after.forEach((thread, seconds) -> byKind.merge(kindOf(thread), seconds - before.getOrDefault(thread, 0.0),
                Double::sum));
        return byKind.entrySet().stream()
                .map(kind -> String.format(Locale.ROOT, "%s %.2f", kind.getKey(), kind.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String kindOf(String thread) {
        for (Kind kind : KINDS) {
            for (String prefix : kind.prefixes()) {
                if (thread.startsWith(prefix)) {
                    return kind.name();
                }
            }
        }
        return "other";
    }
}
