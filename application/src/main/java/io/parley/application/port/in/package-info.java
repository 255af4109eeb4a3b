/**
 * Inbound ports: the use cases, Parley's public library API. An embedding application calls them
 * directly (no transport needed); every transport calls them too.
 */
package io.parley.application.port.in;
