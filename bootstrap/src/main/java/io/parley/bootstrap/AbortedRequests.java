package io.parley.bootstrap;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.DirectHandler;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.parley.wire.RefusalLog;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A request whose client went away before its request line and headers were read — a closed tab, a
 * dropped network, a slowloris socket given up on, a connection ended at its {@link RequestDeadlines} —
 * is the client's doing, not a server error. Helidon 4.1.2 reports it as an internal error and logs it at
 * WARNING with a stack trace, one per connection (1,502 stack traces, 5 MB of log, for 1,500 abandoned
 * sockets). Here it is counted in the {@link RefusalLog} instead (one line per minute at most, the path
 * without its query); every other internal error keeps Helidon's handling, stack trace included, because
 * that one is a bug.
 */
final class AbortedRequests implements DirectHandler {
    private final DirectHandler fallback = DirectHandler.defaultHandler();
    private final RefusalLog refusals;

    AbortedRequests(RefusalLog refusals) {
        this.refusals = refusals;
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                                    ServerResponseHeaders headers, Throwable thrown, System.Logger logger) {
        if (eventType == EventType.INTERNAL_ERROR && clientGone(thrown)) {
            refusals.refused(400, "aborted", request.method(), request.path(), "-",
                    "the client closed the connection before its request was read");
            return TransportResponse.builder()
                    .status(Status.BAD_REQUEST_400)
                    .headers(headers)
                    .keepAlive(false)
                    .build();
        }
        return DirectHandler.super.handle(request, eventType, defaultStatus, headers, thrown, logger);
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                                    ServerResponseHeaders headers, String message) {
        return fallback.handle(request, eventType, defaultStatus, headers, message);
    }

    /** @return whether the request failed because its connection ended while it was being read */
    static boolean clientGone(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DataReader.InsufficientDataAvailableException || t instanceof IOException
                    || t instanceof UncheckedIOException) {
                return true;
            }
        }
        return false;
    }
}
