package dev.sluice.cli;

import java.io.Console;

/** Whether a person is watching: decides between a redrawn progress bar and tables, or plain lines. */
final class Terminal {

    private Terminal() {
    }

    /**
     * True when the output goes to a terminal that can redraw a line. From JDK 22 {@code System.console()}
     * exists even when output is redirected and {@code Console.isTerminal()} tells; on 21 a console means a
     * terminal. {@code TERM=dumb} (editors, some CI) cannot redraw.
     */
    static boolean isInteractive() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException jdk21) {
            return true;
        }
    }
}
