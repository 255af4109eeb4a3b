/**
 * The REST endpoints of protocol v1 (rooms, members, history, presence) on Helidon SE routing. Entry
 * point: {@link io.parley.adapters.rest.RestApi}.
 */
package io.parley.adapters.rest;
