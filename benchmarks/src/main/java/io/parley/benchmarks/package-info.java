/**
 * Parley's benchmarks: an open-loop load generator that speaks protocol v1 over WebSocket, SSE and
 * long-poll ({@link io.parley.benchmarks.WireLoop}), the baseline Helidon server it is compared with
 * ({@link io.parley.benchmarks.BaselineServer}), the scenarios ({@link io.parley.benchmarks.Scenarios}) and
 * the runner that measures both servers side by side and rewrites {@code docs/benchmarks.md}
 * ({@link io.parley.benchmarks.Bench}).
 */
package io.parley.benchmarks;
