package dev.sluice.server.api;

import dev.sluice.server.problem.Problem;
import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's last word, for refusals no servlet saw (a request line with broken %-escapes, headers over the
 * size limit): problem details in place of Tomcat's HTML page, with the same security headers as every
 * other answer. Replaces the host's {@link ErrorReportValve} (see {@link WebServerConfig}).
 */
class ProblemReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        Problem problem = ContainerErrors.problem(status);
        String body = "{\"type\":\"/problems/" + problem.code() + "\",\"status\":" + status + ",\"code\":\""
                + problem.code() + "\",\"detail\":\"" + ContainerErrors.detail(problem, status).replace("\\", "\\\\")
                + "\"}";
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            SecurityHeaders.apply(response);
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response was committed meanwhile: nothing left to tell it
        }
    }
}
