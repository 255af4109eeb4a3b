/**
 * The WebSocket transport at {@code /v1/ws}: protocol v1 over text frames, on Helidon SE's WebSocket
 * server. Entry point: {@link io.parley.adapters.ws.WebSocketTransport}.
 */
package io.parley.adapters.ws;
