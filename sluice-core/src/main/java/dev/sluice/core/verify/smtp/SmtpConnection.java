package dev.sluice.core.verify.smtp;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One blocking SMTP client connection: writes CRLF-terminated commands, reads (multi-line) replies. Every
 * read is bounded by the socket's SO timeout, so a silent server surfaces as {@link
 * java.net.SocketTimeoutException}; a closed connection as {@link EOFException}; garbage as {@link
 * SmtpProtocolException}. Closing releases the per-domain connection permit it was opened under. With a
 * transcript log, every command sent and reply line received is written to it; without one nothing extra is
 * kept.
 */
final class SmtpConnection implements Closeable {

    /** RFC 5321 allows 512 octets per reply line; servers exceed it a little, garbage exceeds it a lot. */
    private static final int MAX_LINE = 4096;
    /** More lines than any EHLO reply has: a server streaming lines is broken. */
    private static final int MAX_LINES = 200;

    private final Runnable onClose;
    /** Where the conversation is written, or null when no transcript was asked for. */
    private final SmtpTranscript.Connection log;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private boolean closed;

    private SmtpConnection(Socket socket, Runnable onClose, SmtpTranscript.Connection log) throws IOException {
        this.onClose = onClose;
        this.log = log;
        useSocket(socket);
    }

    /** Opens a TCP connection; the caller has acquired the permit that {@code onClose} releases. */
    static SmtpConnection open(InetAddress address, int port, Duration connectTimeout, Duration readTimeout,
            Runnable onClose) throws IOException {
        return open(address, port, null, connectTimeout, readTimeout, onClose, null);
    }

    /**
     * Opens a TCP connection, through {@code proxy} when it is not null: a proxy that cannot be reached,
     * or refuses, throws {@link ProxyFailedException}; a proxy that says the mail server cannot be reached
     * throws {@link ConnectException}, like a direct attempt. The connect timeout bounds the connection to the
     * proxy and the proxy's answer to CONNECT (its own connection to the mail server); the read timeout each
     * other step of its handshake. With {@code log} (null for none) the conversation is written to it.
     */
    static SmtpConnection open(InetAddress address, int port, SmtpProxy proxy, Duration connectTimeout,
            Duration readTimeout, Runnable onClose, SmtpTranscript.Connection log) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setSoTimeout(Math.toIntExact(Math.max(1, readTimeout.toMillis())));
            socket.setTcpNoDelay(true);
            int timeout = Math.toIntExact(Math.max(1, connectTimeout.toMillis()));
            if (proxy == null) {
                socket.connect(new InetSocketAddress(address, port), timeout);
            } else {
                try {
                    connectToProxy(socket, proxy, timeout);
                    Socks5Handshake.connect(socket, proxy, address, port, timeout);
                } catch (ProxyFailedException | ConnectException e) {
                    // ConnectException here is the handshake's: the proxy could not reach the mail server
                    throw e;
                } catch (IOException e) {
                    throw new ProxyFailedException(proxy + ": " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
                }
            }
            return new SmtpConnection(socket, onClose, log);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static void connectToProxy(Socket socket, SmtpProxy proxy, int timeout) throws ProxyFailedException {
        try {
            socket.connect(new InetSocketAddress(proxy.host(), proxy.port()), timeout);
        } catch (IOException e) {
            throw new ProxyFailedException(proxy + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
    }

    private void useSocket(Socket newSocket) throws IOException {
        this.socket = newSocket;
        this.in = new BufferedInputStream(newSocket.getInputStream());
        this.out = newSocket.getOutputStream();
    }

    /** Reads one reply (all lines of a multi-line reply). */
    /** The local address of the connection (to the proxy, when there is one). */
    InetAddress localAddress() {
        return socket.getLocalAddress();
    }

    SmtpReply readReply() throws IOException {
        List<String> lines = new ArrayList<>();
        int code = -1;
        while (true) {
            String line = readLine();
            if (line.length() < 3 || !isCode(line)) {
                throw new SmtpProtocolException("not an SMTP reply: " + abbreviate(line));
            }
            int lineCode = Integer.parseInt(line.substring(0, 3));
            char separator = line.length() > 3 ? line.charAt(3) : ' ';
            if (separator != ' ' && separator != '-') {
                throw new SmtpProtocolException("not an SMTP reply: " + abbreviate(line));
            }
            if (code != -1 && lineCode != code) {
                throw new SmtpProtocolException("reply code changed within a multi-line reply: " + abbreviate(line));
            }
            code = lineCode;
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (separator == ' ') {
                return new SmtpReply(code, lines);
            }
            if (lines.size() > MAX_LINES) {
                throw new SmtpProtocolException("multi-line reply longer than " + MAX_LINES + " lines");
            }
        }
    }

    /** Sends one command line and reads its reply. */
    SmtpReply command(String line) throws IOException {
        send(line);
        return readReply();
    }

    void send(String line) throws IOException {
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
            // an address with a line break would smuggle a second command
            throw new IllegalArgumentException("SMTP command must be one line");
        }
        if (log != null) {
            log.sent(line);
        }
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Notes in the transcript that the RCPT TO just sent asks about {@code address}. */
    void asking(String address) {
        if (log != null) {
            log.recipient(address);
        }
    }

    /** Notes in the transcript why the connection ends without a normal QUIT. */
    void failed(String why) {
        if (log != null) {
            log.failed(why);
        }
    }

    /**
     * Wraps the connection in TLS after the server said 220 to STARTTLS, with the JVM's default
     * SSLContext (its trust store decides; no host name check).
     */
    void upgradeToTls(String host, int port) throws IOException {
        SSLSocketFactory factory = (SSLSocketFactory) SSLSocketFactory.getDefault();
        SSLSocket tls = (SSLSocket) factory.createSocket(socket, host, port, true);
        tls.setSoTimeout(socket.getSoTimeout());
        tls.startHandshake();
        useSocket(tls);
    }

    /** Says QUIT and waits for the 221 (bounded by the read timeout), then closes. Never throws. */
    void quit() {
        try {
            command("QUIT");
        } catch (IOException | RuntimeException ignored) {
            // the server may hang up without 221; nothing depends on it
        }
        close();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is best effort
        } finally {
            onClose.run();
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(buffer.size() == 0 ? "server closed the connection"
                        : "server closed the connection inside a reply line");
            }
            if (b == '\n') {
                byte[] bytes = buffer.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                String line = new String(bytes, 0, length, StandardCharsets.UTF_8);
                if (log != null) {
                    log.received(line);
                }
                return line;
            }
            if (buffer.size() >= MAX_LINE) {
                throw new SmtpProtocolException("reply line longer than " + MAX_LINE + " bytes");
            }
            buffer.write(b);
        }
    }

    private static boolean isCode(String line) {
        return line.charAt(0) >= '1' && line.charAt(0) <= '5' && Character.isDigit(line.charAt(1))
                && Character.isDigit(line.charAt(2));
    }

    private static String abbreviate(String line) {
        String printable = line.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 80 ? printable.substring(0, 80) + "..." : printable;
    }
}
