package dev.sluice.server.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small FTP server on one loopback address, speaking enough of RFC 959 and RFC 2428 for a passive
 * download: USER, PASS, TYPE, CWD, EPSV, PASV, RETR, QUIT. Files are paths (without the leading slash)
 * mapped to bytes. {@link #advertise} makes PASV name another address than its own (the data port is
 * still opened on its own address), and {@link #refuseEpsv} makes clients fall back to PASV.
 */
final class FtpTestServer implements AutoCloseable {

    private final InetAddress address;
    private final ServerSocket control;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final AtomicInteger logins = new AtomicInteger();
    private volatile String advertised;
    private volatile boolean refuseEpsv;
    private volatile String user = "anonymous";
    private volatile String password;
    private volatile ServerSocket lastPassive;
    private volatile int passivePort;

    FtpTestServer(String host) throws IOException {
        this.address = InetAddress.getByName(host);
        this.control = new ServerSocket();
        control.bind(new InetSocketAddress(address, 0));
        Thread.ofPlatform().daemon().name("ftp-test-accept").start(this::accept);
    }

    int port() {
        return control.getLocalPort();
    }

    FtpTestServer file(String path, String content) {
        files.put(path, content.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** PASV names {@code host} (dotted) instead of this server's own address. */
    FtpTestServer advertise(String host) {
        this.advertised = host;
        return this;
    }

    /** Passive data sockets bind this port (0: any). */
    FtpTestServer passivePort(int port) {
        this.passivePort = port;
        return this;
    }

    FtpTestServer refuseEpsv() {
        this.refuseEpsv = true;
        return this;
    }

    FtpTestServer credentials(String user, String password) {
        this.user = user;
        this.password = password;
        return this;
    }

    /** The port of the passive data socket this server opened last, or -1. */
    int lastPassivePort() {
        ServerSocket passive = lastPassive;
        return passive == null ? -1 : passive.getLocalPort();
    }

    int logins() {
        return logins.get();
    }

    private void accept() {
        while (!control.isClosed()) {
            try {
                Socket session = control.accept();
                Thread.ofPlatform().daemon().name("ftp-test-session").start(() -> serve(session));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket session) {
        ServerSocket passive = null;
        try (session) {
            BufferedReader in = new BufferedReader(new InputStreamReader(session.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = session.getOutputStream();
            say(out, "220-test server\r\n220 ready");
            String givenUser = null;
            String directory = "";
            String line;
            while ((line = in.readLine()) != null) {
                String verb = (line.contains(" ") ? line.substring(0, line.indexOf(' ')) : line).toUpperCase();
                String arg = line.contains(" ") ? line.substring(line.indexOf(' ') + 1) : "";
                switch (verb) {
                    case "USER" -> {
                        givenUser = arg;
                        say(out, "331 password please");
                    }
                    case "PASS" -> {
                        boolean ok = user.equals(givenUser) && (password == null || password.equals(arg));
                        if (ok) {
                            logins.incrementAndGet();
                        }
                        say(out, ok ? "230 logged in" : "530 login incorrect");
                    }
                    case "TYPE" -> say(out, "200 type set");
                    case "CWD" -> {
                        directory = directory.isEmpty() ? arg : directory + "/" + arg;
                        say(out, "250 ok");
                    }
                    case "EPSV" -> {
                        if (refuseEpsv) {
                            say(out, "502 EPSV not implemented");
                        } else {
                            passive = open(passive);
                            say(out, "229 Entering Extended Passive Mode (|||" + passive.getLocalPort() + "|)");
                        }
                    }
                    case "PASV" -> {
                        passive = open(passive);
                        int port = passive.getLocalPort();
                        String host = (advertised != null ? advertised : address.getHostAddress()).replace('.', ',');
                        say(out, "227 Entering Passive Mode (" + host + "," + (port >> 8) + "," + (port & 0xff) + ")");
                    }
                    case "RETR" -> {
                        byte[] content = files.get(directory.isEmpty() ? arg : directory + "/" + arg);
                        if (content == null || passive == null) {
                            say(out, "550 no such file");
                            continue;
                        }
                        say(out, "150 opening data connection");
                        try (Socket data = passive.accept(); OutputStream dataOut = data.getOutputStream()) {
                            dataOut.write(content);
                        }
                        say(out, "226 transfer complete");
                    }
                    case "QUIT" -> {
                        say(out, "221 bye");
                        return;
                    }
                    default -> say(out, "502 not implemented");
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            if (passive != null) {
                try {
                    passive.close();
                } catch (IOException e) {
                    // closing
                }
            }
        }
    }

    private ServerSocket open(ServerSocket previous) throws IOException {
        if (previous != null) {
            previous.close();
        }
        ServerSocket passive = new ServerSocket();
        passive.setReuseAddress(true);
        passive.bind(new InetSocketAddress(address, passivePort));
        passive.setSoTimeout(10_000);
        lastPassive = passive;
        return passive;
    }

    private static void say(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        control.close();
    }
}
