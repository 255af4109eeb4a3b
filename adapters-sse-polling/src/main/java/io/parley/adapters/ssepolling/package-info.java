/**
 * The SSE ({@code GET /v1/events}) and long-poll ({@code GET /v1/poll}) transports, with command POSTs
 * ({@code POST /v1/commands}), on Helidon SE. Sessions outlive their connection and may move between
 * nodes: their state is in {@link io.parley.application.port.out.ResumableSessions}, the client's position
 * in its cursor. Entry point: {@link io.parley.adapters.ssepolling.SsePollingTransport}.
 */
package io.parley.adapters.ssepolling;
