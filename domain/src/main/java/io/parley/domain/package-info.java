/**
 * The chat domain: rooms, membership, messages, room events with their per-room sequence, presence and
 * typing. Pure Java; no framework, no I/O, no clock of its own.
 */
package io.parley.domain;
