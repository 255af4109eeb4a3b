/**
 * The composition root: reads the configuration, picks the adapters, wires them to the core and starts
 * the Helidon server. The only place that knows every adapter.
 */
package io.parley.bootstrap;
