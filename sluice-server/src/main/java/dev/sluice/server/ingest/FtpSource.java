package dev.sluice.server.ingest;

import dev.sluice.server.job.FetchFailedException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A passive-mode FTP download (RFC 959, RFC 2428) of one file. The data connection always goes to the
 * address of the control connection, the one the {@link AddressGuard} passed: only the port is taken from
 * the server's EPSV or PASV reply, never the address, so a server cannot point the download at another host.
 * Errors are sentences with the reply code, never the server's reply text.
 */
final class FtpSource {

    private static final Pattern EPSV = Pattern.compile("\\(([!-~])\\1\\1(\\d{1,5})\\1\\)");
    private static final Pattern PASV = Pattern.compile("(\\d{1,3}),(\\d{1,3}),(\\d{1,3}),(\\d{1,3}),(\\d{1,3}),(\\d{1,3})");

    private final Socket control = new Socket();
    private final List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>(List.of(control));
    private final String target;
    private final Duration timeout;
    private BufferedReader replies;
    private OutputStream commands;

    private FtpSource(String target, Duration timeout) {
        this.target = target;
        this.timeout = timeout;
    }

    /**
     * Logs in to {@code address:port} (the user info of {@code uri}, anonymous without it), asks for
     * {@code uri}'s path in binary and answers the data stream; closing it ends the session.
     */
    static InputStream open(URI uri, InetAddress address, int port, Duration timeout, FetchWatch watch)
            throws IOException {
        String target = uri.getHost() + ":" + port;
        FtpSource ftp = new FtpSource(target, timeout);
        FetchWatch.Fetch fetch = watch.start(target, ftp::closeAll);
        try {
            return fetch.body(ftp.retrieve(uri, address, port), ftp::closeAll);
        } catch (IOException | RuntimeException e) {
            fetch.finish();
            ftp.closeAll();
            FetchFailedException aborted = fetch.abortedFor();
            if (aborted != null) {
                throw aborted;
            }
            if (e instanceof FetchFailedException f) {
                throw f;
            }
            if (e instanceof IOException io) {
                throw fetch.translated(io);
            }
            throw (RuntimeException) e;
        }
    }

    private InputStream retrieve(URI uri, InetAddress address, int port) throws IOException {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        try {
            control.connect(new InetSocketAddress(address, port), millis);
        } catch (ConnectException e) {
            throw FetchFailedException.retryable("the FTP server at " + target + " refused the connection");
        } catch (SocketTimeoutException e) {
            throw FetchFailedException.retryable("connecting to the FTP server at " + target + " timed out after "
                    + FetchWatch.describe(timeout) + " (sluice.fetch.timeout)");
        }
        control.setSoTimeout(millis);
        replies = new BufferedReader(new InputStreamReader(control.getInputStream(), StandardCharsets.UTF_8));
        commands = control.getOutputStream();
        expect("greeting", reply(), 2);
        String user = "anonymous";
        String password = "sluice@";
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            user = URLDecoder.decode(colon < 0 ? info : info.substring(0, colon), StandardCharsets.UTF_8);
            password = colon < 0 ? "" : URLDecoder.decode(info.substring(colon + 1), StandardCharsets.UTF_8);
        }
        int code = send("USER " + user);
        if (code / 100 == 3) {
            code = send("PASS " + password);
        }
        expect("the login", code, 2);
        expect("TYPE I", send("TYPE I"), 2);
        List<String> segments = segments(uri);
        for (String directory : segments.subList(0, segments.size() - 1)) {
            expect("changing to a directory of the path", send("CWD " + directory), 2);
        }
        int dataPort = passivePort();
        Socket data = new Socket();
        sockets.add(data);
        try {
            // the control connection's address, never one the server names
            data.connect(new InetSocketAddress(address, dataPort), millis);
        } catch (IOException e) {
            throw FetchFailedException.retryable("the FTP data connection to " + address.getHostAddress() + ":"
                    + dataPort + " failed");
        }
        data.setSoTimeout(millis);
        expect("RETR", send("RETR " + segments.getLast()), 1);
        return data.getInputStream();
    }

    /** The data port from EPSV, or from PASV when the server does not know EPSV. */
    private int passivePort() throws IOException {
        String[] line = new String[1];
        int code = send("EPSV", line);
        if (code == 229) {
            Matcher m = EPSV.matcher(line[0]);
            if (m.find()) {
                return port(Integer.parseInt(m.group(2)));
            }
        }
        code = send("PASV", line);
        expect("PASV", code, 2);
        Matcher m = PASV.matcher(line[0]);
        if (!m.find()) {
            throw FetchFailedException.permanent("the FTP server at " + target + " answered PASV without a port");
        }
        // groups 1 to 4, the address, are ignored on purpose
        return port(Integer.parseInt(m.group(5)) * 256 + Integer.parseInt(m.group(6)));
    }

    private int port(int port) throws FetchFailedException {
        if (port < 1 || port > 65535) {
            throw FetchFailedException.permanent("the FTP server at " + target + " named data port " + port);
        }
        return port;
    }

    private static List<String> segments(URI uri) throws FetchFailedException {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        int type = path.indexOf(";type=");
        if (type >= 0) {
            path = path.substring(0, type);
        }
        List<String> segments = new ArrayList<>();
        for (String raw : path.split("/", -1)) {
            segments.add(URLDecoder.decode(raw, StandardCharsets.UTF_8));
        }
        segments.removeFirst(); // before the leading slash
        if (segments.isEmpty() || segments.getLast().isEmpty()) {
            throw FetchFailedException.permanent("the ftp source URI names a directory, not a file");
        }
        for (String segment : segments) {
            if (segment.indexOf('\r') >= 0 || segment.indexOf('\n') >= 0) {
                throw FetchFailedException.permanent("the ftp source URI's path holds a line break");
            }
        }
        return segments;
    }

    private void expect(String what, int code, int wantedClass) throws FetchFailedException {
        if (code / 100 == wantedClass) {
            return;
        }
        String sentence = "the FTP server at " + target + " answered " + code + " to " + what;
        // 4xx: transient (RFC 959); 5xx: permanent (not found, login incorrect...)
        throw code / 100 == 4 ? FetchFailedException.retryable(sentence) : FetchFailedException.permanent(sentence);
    }

    private int send(String command) throws IOException {
        return send(command, new String[1]);
    }

    private int send(String command, String[] lastLine) throws IOException {
        if (command.indexOf('\r') >= 0 || command.indexOf('\n') >= 0) {
            throw FetchFailedException.permanent("the ftp source URI holds a line break");
        }
        commands.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
        commands.flush();
        return reply(lastLine);
    }

    private int reply() throws IOException {
        return reply(new String[1]);
    }

    /** Reads one reply, multi-line ones included ({@code 123-...} up to {@code 123 ...}); answers its code. */
    private int reply(String[] lastLine) throws IOException {
        String line;
        try {
            line = replies.readLine();
            if (line != null && line.length() >= 4 && line.charAt(3) == '-') {
                String end = line.substring(0, 3) + " ";
                while (line != null && !line.startsWith(end)) {
                    line = replies.readLine();
                }
            }
        } catch (SocketTimeoutException e) {
            throw FetchFailedException.retryable("the FTP server at " + target + " sent no reply within "
                    + FetchWatch.describe(timeout) + " (sluice.fetch.timeout)");
        }
        if (line == null || line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)) {
            throw FetchFailedException.retryable("the FTP server at " + target + " closed the connection or "
                    + "answered something that is not FTP");
        }
        lastLine[0] = line;
        return Integer.parseInt(line.substring(0, 3));
    }

    /** Ends the session: closes the data and control connections (also from the watch, to unblock a read). */
    private void closeAll() {
        for (Socket socket : List.copyOf(sockets)) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing is all that is left to do
            }
        }
    }
}
