package dev.sluice.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The {@code --name=value} arguments a command hands to Spring. */
final class SpringArgs {

    private SpringArgs() {
    }

    /**
     * {@code args} with, of those naming the same property, only the last one, where it stands. Spring joins the
     * values of a property given twice with commas ({@code --sluice.data-dir=a --sluice.data-dir=b} is the data
     * directory {@code a,b}), so a command's own argument followed by the user's for the same property would
     * otherwise make a value neither of them meant.
     */
    static List<String> lastWins(List<String> args) {
        Set<String> named = new HashSet<>();
        List<String> kept = new ArrayList<>(args.size());
        for (int i = args.size() - 1; i >= 0; i--) {
            String arg = args.get(i);
            int equals = arg.indexOf('=');
            if (!arg.startsWith("--") || equals < 0 || named.add(arg.substring(2, equals))) {
                kept.addFirst(arg);
            }
        }
        return kept;
    }
}
