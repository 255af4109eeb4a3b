/**
 * The protocol v1 JSON codec shared by every transport (WebSocket, SSE, long-poll, REST): commands in,
 * events and REST bodies out. {@link io.parley.wire.ProtocolCodec} is the one entry point; the mapping
 * between domain types and JSON happens here and nowhere else.
 */
package io.parley.wire;
