package io.parley.testservices;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The records one JDK logger publishes while the capture is open, for tests that assert what a server logs
 * (the connection log, the refusal log). Close it to stop listening.
 */
public final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger;
    private final List<LogRecord> records = new ArrayList<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
    }

    /**
     * @param loggerName the logger to listen to
     * @return a capture, listening from now on
     */
    public static LogCapture of(String loggerName) {
        LogCapture capture = new LogCapture(Logger.getLogger(loggerName));
        capture.logger.addHandler(capture);
        return capture;
    }

    @Override
    public void publish(LogRecord record) {
        synchronized (records) {
            records.add(record);
            records.notifyAll();
        }
    }

    /** @return what was logged so far */
    public List<LogRecord> records() {
        synchronized (records) {
            return List.copyOf(records);
        }
    }

    /**
     * Waits for a record that matches.
     *
     * @param matching the record wanted
     * @param timeout  how long to wait
     * @return the first record that matches
     * @throws AssertionError when none arrives in time
     */
    public LogRecord await(Predicate<LogRecord> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (records) {
            while (true) {
                for (LogRecord record : records) {
                    if (matching.test(record)) {
                        return record;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching log record within " + timeout + " among "
                            + records.stream().map(r -> r.getParameters() != null && r.getParameters().length > 0
                            ? String.valueOf(r.getParameters()[0]) : r.getMessage()).toList());
                }
                try {
                    records.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
