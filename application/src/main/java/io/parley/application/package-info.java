/**
 * The chat use cases (inbound ports, the library's public API), the outbound ports they need, and the
 * transport-neutral session layer every transport builds on. Depends on the domain only.
 */
package io.parley.application;
