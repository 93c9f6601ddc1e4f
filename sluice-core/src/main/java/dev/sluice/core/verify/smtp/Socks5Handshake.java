package dev.sluice.core.verify.smtp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * The client side of a SOCKS5 CONNECT (RFC 1928) with optional username/password authentication (RFC
 * 1929), over a socket already connected to the proxy. The destination is always an IP address (ATYP 1 or
 * 4), never a name. A reply saying the destination cannot be reached (REP 3 network unreachable, 4 host
 * unreachable, 5 connection refused, 6 TTL expired) is a {@link ConnectException}: the mail server is as
 * unreachable as it would be without the proxy. Any other failure (no SOCKS5, no acceptable method, refused
 * credentials, REP 1, 2, 7, 8, a broken reply) is a {@link ProxyFailedException}. No message holds the
 * password.
 */
final class Socks5Handshake {

    private static final int VERSION = 5;
    private static final int NO_AUTH = 0x00;
    private static final int USER_PASSWORD = 0x02;
    private static final int NO_ACCEPTABLE = 0xFF;
    private static final int CONNECT = 1;
    private static final int ATYP_IPV4 = 1;
    private static final int ATYP_DOMAIN = 3;
    private static final int ATYP_IPV6 = 4;

    private Socks5Handshake() {
    }

    /**
     * @param connectTimeout how long the proxy may take to answer the CONNECT (its own connection to the mail
     *                       server): no answer in time is a {@link ConnectException}, as a direct attempt's
     *                       connect timeout would be; the socket's own timeout bounds every other step
     */
    static void connect(Socket socket, SmtpProxy proxy, InetAddress destination, int port, int connectTimeout)
            throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        if (proxy.authenticates()) {
            out.write(new byte[] {VERSION, 2, NO_AUTH, USER_PASSWORD});
        } else {
            out.write(new byte[] {VERSION, 1, NO_AUTH});
        }
        out.flush();
        int version = read(in);
        int method = read(in);
        if (version != VERSION) {
            throw new ProxyFailedException(proxy + " is not a SOCKS5 proxy (version " + version + ")");
        }
        if (method == USER_PASSWORD && proxy.authenticates()) {
            authenticate(in, out, proxy);
        } else if (method != NO_AUTH) {
            throw new ProxyFailedException(proxy + " accepts none of the offered authentication methods"
                    + (method == NO_ACCEPTABLE ? "" : " (chose " + method + ")"));
        }
        byte[] address = destination.getAddress();
        byte[] request = new byte[6 + address.length];
        request[0] = VERSION;
        request[1] = CONNECT;
        request[2] = 0;
        request[3] = (byte) (destination instanceof Inet4Address ? ATYP_IPV4 : ATYP_IPV6);
        System.arraycopy(address, 0, request, 4, address.length);
        request[4 + address.length] = (byte) (port >>> 8);
        request[5 + address.length] = (byte) port;
        out.write(request);
        out.flush();
        int readTimeout = socket.getSoTimeout();
        int replyVersion;
        socket.setSoTimeout(connectTimeout);
        try {
            replyVersion = read(in);
        } catch (SocketTimeoutException e) {
            throw new ConnectException("via " + proxy + ": " + destination.getHostAddress() + ":" + port
                    + " not connected within " + connectTimeout + " ms");
        } finally {
            socket.setSoTimeout(readTimeout);
        }
        if (replyVersion != VERSION) {
            throw new ProxyFailedException(proxy + " answered the CONNECT with another protocol version");
        }
        int rep = read(in);
        read(in); // RSV
        int atyp = read(in);
        int boundLength = switch (atyp) {
            case ATYP_IPV4 -> 4;
            case ATYP_IPV6 -> 16;
            case ATYP_DOMAIN -> read(in);
            default -> throw new ProxyFailedException(proxy + " answered the CONNECT with address type " + atyp);
        };
        in.readNBytes(boundLength + 2);
        if (rep >= 3 && rep <= 6) {
            // the proxy works, the mail server is what cannot be reached: as unreachable as a direct attempt
            throw new ConnectException("via " + proxy + ": " + destination.getHostAddress() + ":" + port + " "
                    + describe(rep));
        }
        if (rep != 0) {
            throw new ProxyFailedException(proxy + " refused the CONNECT to " + destination.getHostAddress() + ":"
                    + port + ": " + describe(rep));
        }
    }

    private static void authenticate(InputStream in, OutputStream out, SmtpProxy proxy) throws IOException {
        byte[] user = proxy.username().getBytes(StandardCharsets.UTF_8);
        byte[] password = proxy.password().getBytes(StandardCharsets.UTF_8);
        byte[] request = new byte[3 + user.length + password.length];
        request[0] = 1;
        request[1] = (byte) user.length;
        System.arraycopy(user, 0, request, 2, user.length);
        request[2 + user.length] = (byte) password.length;
        System.arraycopy(password, 0, request, 3 + user.length, password.length);
        out.write(request);
        out.flush();
        read(in);
        if (read(in) != 0) {
            throw new ProxyFailedException(proxy + " refused the user name and password");
        }
    }

    private static int read(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the SOCKS5 proxy closed the connection during the handshake");
        }
        return b;
    }

    private static String describe(int rep) {
        return switch (rep) {
            case 1 -> "general failure";
            case 2 -> "not allowed by its rules";
            case 3 -> "network unreachable";
            case 4 -> "host unreachable";
            case 5 -> "connection refused";
            case 6 -> "TTL expired";
            case 7 -> "command not supported";
            case 8 -> "address type not supported";
            default -> "reply " + rep;
        };
    }
}
