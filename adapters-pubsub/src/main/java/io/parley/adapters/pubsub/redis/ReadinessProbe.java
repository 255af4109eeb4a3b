package io.parley.adapters.pubsub.redis;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The readiness round trip: a nonce published on the node's own probe channel must come back through the node's
 * subscription, so "Redis answers but delivery is broken" counts as down. On a cluster the channel lives on the
 * master of its slot, so this checks that one master.
 */
final class ReadinessProbe {
    private static final Duration RESUBSCRIBE_RETRY = Duration.ofSeconds(1);

    private final Channels channels;
    private final String channel;
    private final ExecutorService workers;
    private final Map<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();

    ReadinessProbe(Channels channels, String channel, ExecutorService workers) {
        this.channels = channels;
        this.channel = channel;
        this.workers = workers;
    }

    /** @return the probe channel */
    String channel() {
        return channel;
    }

    /**
     * Subscribes the probe channel, when the node starts.
     *
     * @param timeout how long Redis may take to confirm
     * @param sharded whether channels are sharded, for the error message
     * @throws IllegalStateException when Redis does not confirm in time
     */
    void subscribe(Duration timeout, boolean sharded) {
        try {
            channels.subscribe(channel).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while subscribing to " + channel, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String hint = String.valueOf(cause.getMessage()).startsWith("MOVED")
                    ? " (Redis is a cluster: use cluster mode)"
                    : sharded ? " (sharded pub/sub needs Redis 7 or later)" : "";
            throw new IllegalStateException("Redis did not confirm the subscription to " + channel + hint + ": "
                    + cause, cause);
        }
    }

    /** Subscribes the probe channel again after Redis dropped it, every second until that works. */
    void resubscribe() {
        channels.subscribe(channel).whenComplete((ok, error) -> {
            if (error != null && !workers.isShutdown()) {
                CompletableFuture.delayedExecutor(RESUBSCRIBE_RETRY.toMillis(), TimeUnit.MILLISECONDS, workers)
                        .execute(this::resubscribe);
            }
        });
    }

    /**
     * @param timeout how long to wait
     * @return whether a probe came back in time
     */
    boolean roundTrip(Duration timeout) {
        String nonce = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        CompletableFuture<Void> back = new CompletableFuture<>();
        pending.put(nonce, back);
        try {
            channels.publish(channel, nonce).whenComplete((receivers, error) -> {
                if (error != null) {
                    back.completeExceptionally(error);
                }
            });
            back.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return false;
        } finally {
            pending.remove(nonce);
        }
    }

    /**
     * Takes a message if it is on the probe channel (on the client's event loop: only completes a future).
     *
     * @return whether it was
     */
    boolean arrived(String messageChannel, String message) {
        if (!messageChannel.equals(channel)) {
            return false;
        }
        CompletableFuture<Void> probe = pending.remove(message);
        if (probe != null) {
            probe.complete(null);
        }
        return true;
    }
}
