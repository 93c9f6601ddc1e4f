package dev.sluice.server.job;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the threads that process jobs at a lower operating-system priority (a higher nice value) than the threads
 * that answer requests. A job keeps every core busy; at equal priority an API request then waits its turn
 * behind the job's threads, and on two cores {@code GET /api/v1/jobs/{id}} took 70 - 100 ms at the 99th
 * percentile. The kernel gives a thread of nice 10 about a tenth of the time of a nice-0 thread that wants the
 * same core, so requests are answered first and the job still has every core that requests leave idle.
 *
 * <p>Linux only, where the nice value belongs to a thread: {@code setpriority(PRIO_PROCESS, 0, nice)} sets the
 * calling thread's own. Raising one's nice value needs no privilege. Elsewhere, or when the C library cannot be
 * reached, the threads keep the priority they have, and the first attempt logs why.
 */
final class WorkerPriority {

    private static final Logger log = LoggerFactory.getLogger(WorkerPriority.class);
    private static final int PRIO_PROCESS = 0;
    private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    private static final AtomicBoolean reported = new AtomicBoolean();

    private WorkerPriority() {
    }

    /** The C library's {@code setpriority(2)}. */
    private interface C extends Library {
        int setpriority(int which, int who, int prio);
    }

    /** Loaded on first use, so that a node whose workers keep their priority never loads native code. */
    private static final class Holder {
        static final C LIBRARY = Native.load(Platform.C_LIBRARY_NAME, C.class);
    }

    /**
     * A factory of daemon or non-daemon threads named {@code prefix} and a number, each of which sets its own nice
     * value to {@code nice} before it runs anything; 0 leaves the priority as it is.
     */
    static ThreadFactory threads(String prefix, boolean daemon, int nice) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(() -> {
                lowerCurrentThread(nice);
                task.run();
            }, prefix + count.incrementAndGet());
            thread.setDaemon(daemon);
            return thread;
        };
    }

    /**
     * Sets the calling thread's nice value to {@code nice} (1 to 19) unless it is that or higher already (a server
     * started with {@code nice -n 15} keeps 15: going back up takes a privilege); 0 does nothing.
     */
    static void lowerCurrentThread(int nice) {
        if (nice == 0) {
            return;
        }
        if (!LINUX) {
            report("the operating system is not Linux", null);
            return;
        }
        try {
            if (currentNice() >= nice) {
                return;
            }
            if (Holder.LIBRARY.setpriority(PRIO_PROCESS, 0, nice) != 0) {
                report("setpriority failed with errno " + Native.getLastError(), null);
            }
        } catch (IOException e) {
            report("/proc/thread-self/stat could not be read", e);
        } catch (LinkageError | RuntimeException e) {
            report("the C library could not be called", e);
        }
    }

    /** The calling thread's nice value, read from {@code /proc} (Linux). */
    static int currentNice() throws IOException {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        // the command name (field 2) is in parentheses and may hold spaces; nice is field 19
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[19 - 3]);
    }

    private static void report(String why, Throwable failure) {
        if (reported.compareAndSet(false, true)) {
            log.info("job workers run at the same priority as requests ({}); sluice.job.worker-nice has no effect",
                    why, failure);
        }
    }
}
