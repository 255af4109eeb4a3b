/**
 * The session engine, between the use cases and the transports: a connected client's session with its
 * subscriptions and bounded outbound queue, the node-local hub that fans room events out to sessions, the
 * delivery rules every transport inherits (encode once, slow consumers never slow others, shared
 * schedulers), and the protocol's types ({@link io.parley.engine.ClientCommand},
 * {@link io.parley.engine.ServerEvent}, {@link io.parley.engine.Frame}, {@link io.parley.engine.CloseReason}).
 * Depends on the application and the domain only.
 */
package io.parley.engine;
