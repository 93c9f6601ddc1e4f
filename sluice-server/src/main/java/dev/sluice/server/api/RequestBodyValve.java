package dev.sluice.server.api;

import dev.sluice.server.door.BodyCutException;
import dev.sluice.server.problem.Problem;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.apache.coyote.InputBuffer;
import org.apache.tomcat.util.net.ApplicationBufferHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a request body may take of the server, enforced below the servlet API so that every way of reading a
 * body (a handler's stream, multipart parsing, form parsing) is held to it:
 * <ul>
 * <li>at most {@code max-body-readers} bodies are read at once; beyond, 503 without reading, so slow
 * bodies never hold every request thread and probes, the console and the API keep answering;</li>
 * <li>a body must bring {@code min-body-rate} per {@code body-rate-window} and be complete within
 * {@code body-deadline}, else its read fails and the answer is 408;</li>
 * <li>no body is read past the largest file a batch takes plus 1 MB for multipart framing: 413, by its
 * {@code Content-Length} before reading, or once that many bytes of a chunked body came;</li>
 * <li>a body the application did not read to its end is never read by the server afterwards: the
 * connection closes instead (Tomcat would otherwise swallow it, a byte at a time if the client sends so).
 * A refused request (no key, bad signature, unknown path) therefore costs no more than its headers.</li>
 * </ul>
 * It sits in the engine's pipeline, so that closing happens after any error page; {@link CutBodyAnswer}
 * sits in the context's.
 */
final class RequestBodyValve extends ValveBase {

    private static final Logger log = LoggerFactory.getLogger(RequestBodyValve.class);

    private final Semaphore readers;
    private final long minBytesPerSecond;
    private final Duration window;
    private final Duration deadline;
    private final long maxBodyBytes;

    RequestBodyValve(HttpProperties properties, long maxBodyBytes) {
        super(true);
        this.maxBodyBytes = maxBodyBytes;
        this.readers = new Semaphore(properties.maxBodyReaders());
        this.minBytesPerSecond = properties.minBodyRate().toBytes();
        this.window = properties.bodyRateWindow();
        this.deadline = properties.bodyDeadline();
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        org.apache.coyote.Request coyote = request.getCoyoteRequest();
        if (!hasBody(coyote)) {
            getNext().invoke(request, response);
            return;
        }
        if (coyote.getContentLengthLong() > maxBodyBytes) {
            answer(response, Problem.PAYLOAD_TOO_LARGE, "Content Too Large", "the request body is larger than "
                    + maxBodyBytes + " bytes, the most this server reads; nothing of it was read");
            closeUnread(coyote, response);
            return;
        }
        if (!readers.tryAcquire()) {
            answer(response, Problem.SERVER_BUSY, "Service Unavailable",
                    "this node is reading as many request bodies as it may; retry shortly");
            closeUnread(coyote, response);
            return;
        }
        PacedBody body = new PacedBody(coyote.getInputBuffer());
        coyote.setInputBuffer(body);
        try {
            getNext().invoke(request, response);
        } finally {
            coyote.setInputBuffer(body.delegate);
            readers.release();
            if (body.tripped != null) {
                log.info("request body from {} cut: {}", request.getRemoteAddr(), body.tripped);
            }
            if (!request.isAsync() && !fullyRead(coyote)) {
                closeUnread(coyote, response);
            }
        }
    }

    /**
     * The context's part: once the application has handled the failed read, the answer becomes the 408 (or
     * 413) saying why, before the container renders an error page for the exception.
     */
    final class CutBodyAnswer extends ValveBase {

        CutBodyAnswer() {
            super(true);
        }

        @Override
        public void invoke(Request request, Response response) throws IOException, ServletException {
            getNext().invoke(request, response);
            if (request.getCoyoteRequest().getInputBuffer() instanceof PacedBody body && body.tripped != null
                    && !response.isCommitted()) {
                request.removeAttribute(RequestDispatcher.ERROR_EXCEPTION);
                answer(response, body.problem, body.problem == Problem.PAYLOAD_TOO_LARGE ? "Content Too Large"
                        : "Request Timeout", body.tripped);
            }
        }
    }

    private static boolean hasBody(org.apache.coyote.Request coyote) {
        return coyote.getContentLengthLong() > 0 || coyote.getMimeHeaders().getHeader("transfer-encoding") != null;
    }

    private static boolean fullyRead(org.apache.coyote.Request coyote) {
        AtomicBoolean result = new AtomicBoolean();
        coyote.action(ActionCode.REQUEST_BODY_FULLY_READ, result);
        return result.get();
    }

    /**
     * Ends the exchange after this response without reading what is left of the body. The client must be
     * told ({@code Connection: close}), or it would send its next request on a connection about to close: on
     * a response not yet sent the header is set here; on a sent one, Tomcat set it when the unread rest of a
     * body with a length exceeded {@code server.tomcat.max-swallow-size} (0). Otherwise (a chunked body
     * whose answer went out) Tomcat's own swallow, limited to that size and one read, ends it.
     */
    private static void closeUnread(org.apache.coyote.Request coyote, Response response) throws IOException {
        if (!response.isCommitted()) {
            // sent first: Tomcat answers 500 instead of a response still unsent when its request is cut
            response.setHeader("Connection", "close");
            response.flushBuffer();
        } else if (!"close".equalsIgnoreCase(response.getCoyoteResponse().getMimeHeaders().getHeader("Connection"))) {
            return;
        }
        coyote.action(ActionCode.DISABLE_SWALLOW_INPUT, null);
    }

    private static void answer(Response response, Problem problem, String title, String detail) throws IOException {
        response.reset();
        response.resetError();
        // an aborted read leaves the response suspended; this answer is still owed to the client
        response.setSuspended(false);
        response.setStatus(problem.status());
        response.setContentType("application/problem+json");
        response.getOutputStream().write(("{\"type\":\"/problems/" + problem.code() + "\",\"title\":\"" + title
                + "\",\"status\":" + problem.status() + ",\"code\":\"" + problem.code() + "\",\"detail\":\""
                + detail + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    /** The connection's body reads, timed: each read that returns checks the window's rate and the deadline. */
    private final class PacedBody implements InputBuffer {

        private final InputBuffer delegate;
        private final long start = System.nanoTime();
        private long windowStart = start;
        private long windowBytes;
        private long total;
        private volatile String tripped;
        private volatile Problem problem;

        PacedBody(InputBuffer delegate) {
            this.delegate = delegate;
        }

        @Override
        public int doRead(ApplicationBufferHandler handler) throws IOException {
            if (tripped != null) {
                throw new SlowBodyException(tripped);
            }
            int read;
            try {
                read = delegate.doRead(handler);
            } catch (SocketTimeoutException e) {
                throw trip(Problem.REQUEST_TIMEOUT, "no byte of the request body arrived for " + window.toMillis() + " ms");
            }
            if (read < 0) {
                return read;
            }
            long now = System.nanoTime();
            windowBytes += read;
            total += read;
            if (total > maxBodyBytes) {
                throw trip(Problem.PAYLOAD_TOO_LARGE, "the request body is larger than " + maxBodyBytes
                        + " bytes, the most this server reads; nothing of it was kept");
            }
            if (now - start > deadline.toNanos()) {
                throw trip(Problem.REQUEST_TIMEOUT, "the request body did not arrive within " + deadline.toSeconds() + " s");
            }
            long spent = now - windowStart;
            if (spent >= window.toNanos()) {
                if (windowBytes * 1_000_000_000.0 / spent < minBytesPerSecond) {
                    throw trip(Problem.REQUEST_TIMEOUT, "the request body came at " + Math.round(windowBytes * 1_000_000_000.0 / spent)
                            + " bytes/s, below the minimum of " + minBytesPerSecond + " bytes/s");
                }
                windowStart = now;
                windowBytes = 0;
            }
            return read;
        }

        @Override
        public int available() {
            return delegate.available();
        }

        private SlowBodyException trip(Problem refusal, String reason) {
            problem = refusal;
            tripped = reason;
            return new SlowBodyException(reason);
        }
    }

    /** A body read refused for its pace or size; the servlet layer sees it as an aborted client. */
    static final class SlowBodyException extends BodyCutException {
        SlowBodyException(String message) {
            super(message);
        }
    }
}
