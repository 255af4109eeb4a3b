/**
 * The transport-neutral session layer: a connected client's session with its subscriptions and bounded
 * outbound queue, the node-local hub that fans room events out to sessions, and the delivery rules every
 * transport inherits (encode once, slow consumers never slow others, shared schedulers).
 */
package io.parley.engine;
