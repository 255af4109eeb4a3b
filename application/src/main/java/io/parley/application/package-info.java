/**
 * The chat use cases (inbound ports, the library's public API), the outbound ports they need, and
 * {@link io.parley.application.ChatCore}, which wires them. Depends on the domain only; the session engine
 * and the protocol's types are in {@code parley-engine}.
 */
package io.parley.application;
