package dev.sluice.server.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Servers a test starts for itself, closed after that test: for a test that moves its server's
 * {@link TestClock}, which must never move the server its class shares. Register it on a field with
 * {@code @RegisterExtension final OwnServers own = new OwnServers();}.
 */
public final class OwnServers implements AfterEachCallback {

    private final List<TestServer> started = new ArrayList<>();

    /** Starts a server on a new database of {@code database}, reading the time from {@code clock}. */
    public TestServer start(TestDatabase database, TestClock clock, Map<String, String> properties) {
        TestServer server = TestServer.start(database, clock, properties);
        started.add(server);
        return server;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            started.forEach(TestServer::close);
        } finally {
            started.clear();
        }
    }
}
