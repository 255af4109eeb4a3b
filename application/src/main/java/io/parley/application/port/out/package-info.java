/**
 * Outbound ports: what the use cases need from the outside world, each with the contract an adapter
 * must keep. The contract suites in {@code parley-testkit} check those contracts; every adapter runs them.
 */
package io.parley.application.port.out;
